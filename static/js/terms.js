// Glossary marks: a term's popover (the term in the other language, a definition, a link to the glossary)
// opens on hover and on keyboard focus as well as on a click or tap, and sits next to its term. Without this
// script the browser still opens it on a click or tap, in the middle of the window.
(function () {
  "use strict";
  if (!HTMLElement.prototype.hasOwnProperty("popover")) return;
  var GAP = 6;
  var MARGIN = 8;

  function place(tip, term) {
    var box = term.getBoundingClientRect();
    tip.style.margin = "0";
    tip.style.inset = "auto";
    tip.style.maxWidth = Math.min(352, window.innerWidth - 2 * MARGIN) + "px";
    var width = tip.offsetWidth;
    var height = tip.offsetHeight;
    var left = Math.max(MARGIN, Math.min(box.left, window.innerWidth - width - MARGIN));
    var top = box.bottom + GAP;
    if (top + height > window.innerHeight - MARGIN && box.top - GAP - height > MARGIN) top = box.top - GAP - height;
    tip.style.left = left + "px";
    tip.style.top = top + "px";
  }

  document.querySelectorAll("button.term[popovertarget]").forEach(function (term) {
    var tip = document.getElementById(term.getAttribute("popovertarget"));
    if (!tip) return;
    var closing = null;
    tip.addEventListener("toggle", function (event) {
      term.setAttribute("aria-expanded", event.newState === "open" ? "true" : "false");
      if (event.newState === "open") place(tip, term);
    });
    function open() {
      window.clearTimeout(closing);
      if (!tip.matches(":popover-open")) tip.showPopover();
    }
    function closeSoon() {
      window.clearTimeout(closing);
      closing = window.setTimeout(function () {
        if (tip.matches(":popover-open") && !tip.matches(":hover") && !tip.contains(document.activeElement)) {
          tip.hidePopover();
        }
      }, 250);
    }
    term.addEventListener("mouseenter", open);
    term.addEventListener("focus", function () {
      if (term.matches(":focus-visible")) open();  // from the keyboard; a click or tap opens it below
    });
    // A click or tap opens the popover (hover may have opened it a moment before: it must not close it).
    term.addEventListener("click", function (event) {
      event.preventDefault();
      open();
    });
    term.addEventListener("mouseleave", closeSoon);
    term.addEventListener("blur", closeSoon);
    tip.addEventListener("mouseleave", closeSoon);
    tip.addEventListener("focusout", closeSoon);
  });
  window.addEventListener("scroll", function () {
    document.querySelectorAll(".term-tip:popover-open").forEach(function (tip) { tip.hidePopover(); });
  }, { passive: true });
})();
