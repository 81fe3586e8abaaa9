// A code block wider than its box scrolls sideways: keyboard users must be able to reach it to scroll it, and
// what takes focus needs a name ("Code 1", "Code 2"...; numbered, since regions with the same name would be
// indistinguishable). The public pages (site.js) and the admin's Markdown previews (authoring/admin.js) both
// use this.
(function () {
  "use strict";
  window.InfraLearn = window.InfraLearn || {};

  // containers: the elements whose code blocks to look at; label: "Code" in the page's language.
  window.InfraLearn.markWideCode = function (containers, label) {
    var number = 0;
    Array.prototype.forEach.call(containers, function (container) {
      container.querySelectorAll("pre").forEach(function (pre) {
        if (pre.scrollWidth > pre.clientWidth) {
          number += 1;
          pre.setAttribute("tabindex", "0");
          pre.setAttribute("role", "region");
          pre.setAttribute("aria-label", label + " " + number);
        } else if (pre.getAttribute("role") === "region") {
          pre.removeAttribute("tabindex");
          pre.removeAttribute("role");
          pre.removeAttribute("aria-label");
        }
      });
    });
  };
})();
