// Every page: the colours switch at once, "/" puts the cursor in the search box, and every code block gets a
// button that copies it.
(function () {
  "use strict";
  var body = document.body;
  var announcer = document.getElementById("announcer");

  // The colours: the header's buttons work without JavaScript (the server sets the cookie and sends the reader
  // back); here they switch at once. The same table as DARK_MEDIA in kb/context_processors.py.
  var darkMedia = { auto: "(prefers-color-scheme: dark)", light: "not all", dark: "all" };
  var themeChoice = document.querySelector(".theme-choice");
  if (themeChoice) {
    themeChoice.addEventListener("click", function (event) {
      var button = event.target.closest("button[name=theme]");
      if (!button || !darkMedia.hasOwnProperty(button.value)) return;
      event.preventDefault();
      var theme = button.value;
      var root = document.documentElement;
      if (theme === "auto") delete root.dataset.theme;
      else root.dataset.theme = theme;
      var scheme = document.querySelector('meta[name="color-scheme"]');
      if (scheme) scheme.content = theme === "auto" ? "light dark" : theme;
      document.querySelectorAll("link[data-dark]").forEach(function (link) { link.media = darkMedia[theme]; });
      var secure = location.protocol === "https:" ? "; secure" : "";
      document.cookie = theme === "auto"
        ? "theme=; path=/; max-age=0; samesite=lax" + secure
        : "theme=" + theme + "; path=/; max-age=31536000; samesite=lax" + secure;
      themeChoice.querySelectorAll("button[name=theme]").forEach(function (other) {
        other.setAttribute("aria-pressed", String(other === button));
      });
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true']")) return;
    var search = document.querySelector(".header-search input[type=search]");
    if (!search) return;
    event.preventDefault();
    search.focus();
    search.select();
  });

  function copied(button) {
    var label = button.textContent;
    button.textContent = body.dataset.copied;
    if (announcer) announcer.textContent = body.dataset.copied;
    window.setTimeout(function () {
      button.textContent = label;
      if (announcer) announcer.textContent = "";
    }, 2000);
  }

  // The instructor menu is a <details>: Escape or a click elsewhere closes it, as people expect of a menu.
  var menu = document.querySelector(".instructor-menu");
  if (menu) {
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !menu.open) return;
      var inside = menu.contains(document.activeElement);
      menu.open = false;
      if (inside) menu.querySelector("summary").focus();
    });
    document.addEventListener("click", function (event) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
  }

  // A code block wider than the page scrolls sideways: keyboard users must be able to reach it (wide-code.js).
  window.InfraLearn.markWideCode(document.querySelectorAll(".prose"), body.dataset.codeLabel);

  document.querySelectorAll(".prose .highlight, .prose > pre").forEach(function (block) {
    var code = block.querySelector("code") || block.querySelector("pre") || block;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-code";
    button.textContent = body.dataset.copy;
    button.addEventListener("click", function () {
      var text = code.innerText.replace(/\n$/, "");
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { copied(button); });
        return;
      }
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
      copied(button);
    });
    block.classList.add("has-copy");
    block.insertBefore(button, block.firstChild);
  });
})();
