// Authoring in the admin: one tab per language for translated fields, and a live preview beside every
// Markdown field, rendered by the site's own renderer and sanitizer (POST to the preview endpoint).
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // modeltranslation marks each translated widget with a class "mt-field-<field>-<language>".
  function languageOf(element) {
    var match = /(?:^|\s)mt-field-[\w-]+?-(en|zh_hant)(?:\s|$)/.exec(element.className || "");
    return match ? match[1].replace("_", "-") : null;
  }

  function buildTabs() {
    var rows = {};
    document.querySelectorAll("fieldset .form-row").forEach(function (row) {
      var widget = row.querySelector("[class*='mt-field-']");
      var language = widget && languageOf(widget);
      if (!language) return;
      row.dataset.language = language;
      var fieldset = row.closest("fieldset");
      (rows[fieldset.id || (fieldset.id = "fs-" + Math.random().toString(36).slice(2))] =
        rows[fieldset.id] || { fieldset: fieldset, languages: [] });
      if (rows[fieldset.id].languages.indexOf(language) === -1) rows[fieldset.id].languages.push(language);
    });
    Object.keys(rows).forEach(function (key) {
      var group = rows[key];
      if (group.languages.length < 2) return;
      var bar = document.createElement("div");
      bar.className = "language-tabs";
      bar.setAttribute("role", "tablist");
      var labels = { en: "English", "zh-hant": "中文" };
      function show(language) {
        group.fieldset.querySelectorAll(".form-row[data-language]").forEach(function (row) {
          row.hidden = row.dataset.language !== language;
        });
        bar.querySelectorAll("button").forEach(function (button) {
          button.setAttribute("aria-selected", String(button.dataset.language === language));
        });
      }
      group.languages.forEach(function (language) {
        var button = document.createElement("button");
        button.type = "button";
        button.setAttribute("role", "tab");
        button.dataset.language = language;
        button.textContent = labels[language] || language;
        button.addEventListener("click", function () { show(language); });
        bar.appendChild(button);
      });
      var first = group.fieldset.querySelector(".form-row[data-language]");
      first.parentNode.insertBefore(bar, first);
      // A language with an error opens first, so the message is not hidden.
      var withError = group.fieldset.querySelector(".form-row[data-language].errors");
      show(withError ? withError.dataset.language : group.languages[0]);
    });
  }

  function attachPreview(textarea) {
    var wrapper = document.createElement("div");
    wrapper.className = "markdown-editor";
    textarea.parentNode.insertBefore(wrapper, textarea);
    wrapper.appendChild(textarea);
    var pane = document.createElement("div");
    var label = document.createElement("p");
    label.className = "markdown-preview-label";
    label.textContent = "Preview";
    var preview = document.createElement("div");
    preview.className = "markdown-preview";
    preview.setAttribute("aria-live", "polite");
    preview.lang = textarea.dataset.markdownPreview === "zh-hant" ? "zh-Hant" : "en";
    pane.appendChild(label);
    pane.appendChild(preview);
    wrapper.appendChild(pane);
    var timer = null;
    var latest = 0;
    function render() {
      var ticket = ++latest;
      var body = new URLSearchParams({ text: textarea.value, language: textarea.dataset.markdownPreview });
      fetch(textarea.dataset.previewUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken(), "Content-Type": "application/x-www-form-urlencoded" },
        body: body,
        credentials: "same-origin",
      })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (ticket !== latest) return;
          preview.innerHTML = data.html !== undefined ? data.html : "";
          if (data.error) preview.textContent = data.error;
        })
        .catch(function () { preview.textContent = "—"; });
    }
    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(render, 300);
    });
    render();
  }

  document.addEventListener("DOMContentLoaded", function () {
    buildTabs();
    document.querySelectorAll("textarea[data-markdown-preview]").forEach(attachPreview);
  });
})();
