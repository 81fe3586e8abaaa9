// The language links keep the reader's place: as the page scrolls, every link to this page in another
// language (the header's switcher, the footer, "Read in ...") points at the section being read. Sections
// have the same id in every language, so the other page opens at the same section. Without this script
// the links in each section heading do the same job.
(function () {
  "use strict";
  var headings = Array.prototype.slice.call(document.querySelectorAll(".prose h2[id], .prose h3[id]"))
    .filter(function (heading) { return !heading.closest(".parallel-other"); });
  var links = Array.prototype.slice.call(document.querySelectorAll("a[data-language], a[data-read-in]"))
    .filter(function (link) { return !link.classList.contains("section-language"); });
  if (!headings.length) return;

  function sectionInView() {
    var line = window.innerHeight * 0.3;
    var found = null;
    for (var i = 0; i < headings.length; i++) {
      if (headings[i].getBoundingClientRect().top > line) break;
      found = headings[i].id;
    }
    return found;
  }

  var tocLinks = Array.prototype.slice.call(document.querySelectorAll(".toc a[href^='#']"));

  function update() {
    var id = sectionInView();
    tocLinks.forEach(function (link) {
      if (decodeURIComponent(link.hash.slice(1)) === id) link.setAttribute("aria-current", "location");
      else link.removeAttribute("aria-current");
    });
    links.forEach(function (link) {
      var url = new URL(link.href, window.location.href);
      url.hash = id ? "#" + encodeURIComponent(id) : "";
      link.href = url.href;
    });
  }

  var waiting = false;
  window.addEventListener("scroll", function () {
    if (waiting) return;
    waiting = true;
    window.requestAnimationFrame(function () { waiting = false; update(); });
  }, { passive: true });
  window.addEventListener("hashchange", update);
  update();
})();

// On a phone the page's contents and, on the side-by-side page, each section's other language wait behind a
// tap instead of pushing the text down a screen or more.
(function () {
  "use strict";
  var others = document.querySelectorAll("details.parallel-other");
  window.addEventListener("beforeprint", function () {
    others.forEach(function (details) { details.open = true; });
  });
  if (window.matchMedia("(max-width: 63.99rem)").matches) {
    document.querySelectorAll(".toc details[open]").forEach(function (details) { details.open = false; });
  }
  if (window.matchMedia("(max-width: 59.99rem)").matches) {
    others.forEach(function (details) { details.open = false; });
  }
})();
