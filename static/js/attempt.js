// Quiz attempt page: keep answers when the reader switches language, and show the time left.
(function () {
  "use strict";
  var form = document.getElementById("quiz-form");
  if (!form) return;

  // Switching language is a link to the same attempt in the other language. Save the answers first:
  // submit the form as "save" with the link as the place to go next.
  document.querySelectorAll(".language-switcher a, .site-footer a[hreflang]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      form.querySelector("input[name=next]").value = link.getAttribute("href");
      var save = document.createElement("input");
      save.type = "hidden";
      save.name = "action";
      save.value = "save";
      form.appendChild(save);
      form.submit();
    });
  });

  var timer = document.querySelector(".quiz-timer");
  if (!timer) return;
  var deadline = Date.parse(timer.getAttribute("data-deadline"));
  var left = timer.querySelector(".quiz-timer-left");
  function tick() {
    var seconds = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var minutes = Math.floor(seconds / 60);
    left.textContent = " · " + minutes + ":" + String(seconds % 60).padStart(2, "0");
    if (seconds > 0) window.setTimeout(tick, 1000);
  }
  tick();
})();
