// Authoring in the admin: one tab per language for translated fields (the WAI-ARIA tabs pattern), and a
// live preview beside every Markdown field, rendered by the site's own renderer and sanitizer (POST to the
// preview endpoint). Interface strings, in the admin's language, and the article whose images a preview
// shows come from the page (authoring-page).
(function () {
  "use strict";

  var strings = { article: "", tablist: "Language", languages: {}, preview: "Preview", previewFailed: "", code: "Code" };
  var groups = 0;

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // modeltranslation marks each translated widget with a class "mt-field-<field>-<language>".
  function languageOf(element) {
    var match = /(?:^|\s)mt-field-[\w-]+?-(en|zh_hant)(?:\s|$)/.exec(element.className || "");
    return match ? match[1].replace("_", "-") : null;
  }

  // A wide code block in a preview is reached by keyboard like one on the site (static/js/wide-code.js).
  function markWideCode() {
    if (window.InfraLearn && window.InfraLearn.markWideCode) {
      window.InfraLearn.markWideCode(document.querySelectorAll(".markdown-preview"), strings.code);
    }
  }

  // The rows of one fieldset, in one panel per language; the rows every language shares stay where they
  // were when they come before the first translated row, and follow the panels otherwise.
  function buildTabs(root) {
    root.querySelectorAll("fieldset").forEach(function (fieldset) {
      if (fieldset.closest(".empty-form") || fieldset.querySelector(".language-tabs")) return;
      // Only this fieldset's own rows: an inline group's fieldset holds each inline form's fieldset.
      var rows = Array.prototype.filter.call(fieldset.querySelectorAll(".form-row"), function (row) {
        return row.closest("fieldset") === fieldset;
      });
      var byLanguage = {};
      var order = [];
      var first = null;
      rows.forEach(function (row) {
        var widget = row.querySelector("[class*='mt-field-']");
        var language = widget && languageOf(widget);
        if (!language) return;
        first = first || row;
        if (!byLanguage[language]) {
          byLanguage[language] = [];
          order.push(language);
        }
        byLanguage[language].push(row);
      });
      if (order.length < 2) return;
      var parent = first.parentNode;
      var after = rows.filter(function (row) {
        return !row.querySelector("[class*='mt-field-']") && row.parentNode === parent &&
          (first.compareDocumentPosition(row) & Node.DOCUMENT_POSITION_FOLLOWING);
      });
      var prefix = "language-tabs-" + ++groups;
      var tablist = document.createElement("div");
      tablist.className = "language-tabs";
      tablist.setAttribute("role", "tablist");
      tablist.setAttribute("aria-label", strings.tablist);
      parent.insertBefore(tablist, first);
      var tabs = [];
      var panels = [];
      var anchor = tablist;
      order.forEach(function (language) {
        var tab = document.createElement("button");
        var panel = document.createElement("div");
        tab.type = "button";
        tab.id = prefix + "-tab-" + language;
        tab.lang = language === "zh-hant" ? "zh-Hant" : language;
        tab.dataset.language = language;
        tab.setAttribute("role", "tab");
        tab.setAttribute("aria-controls", prefix + "-panel-" + language);
        tab.textContent = strings.languages[language] || language;
        panel.id = prefix + "-panel-" + language;
        panel.className = "language-panel";
        panel.dataset.language = language;
        panel.setAttribute("role", "tabpanel");
        panel.setAttribute("aria-labelledby", tab.id);
        byLanguage[language].forEach(function (row) { panel.appendChild(row); });
        parent.insertBefore(panel, anchor.nextSibling);
        tablist.appendChild(tab);
        tabs.push(tab);
        panels.push(panel);
        anchor = panel;
      });
      var last = panels[panels.length - 1];
      after.forEach(function (row) { parent.insertBefore(row, last.nextSibling); last = row; });

      function select(tab, focus) {
        tabs.forEach(function (other, index) {
          var selected = other === tab;
          other.setAttribute("aria-selected", String(selected));
          other.tabIndex = selected ? 0 : -1;
          panels[index].hidden = !selected;
        });
        if (focus) tab.focus();
        markWideCode();
      }
      tabs.forEach(function (tab, index) {
        tab.addEventListener("click", function () { select(tab, false); });
        tab.addEventListener("keydown", function (event) {
          var next = {
            ArrowRight: (index + 1) % tabs.length,
            ArrowLeft: (index - 1 + tabs.length) % tabs.length,
            Home: 0,
            End: tabs.length - 1,
          }[event.key];
          if (next === undefined) return;
          event.preventDefault();
          select(tabs[next], true);
        });
      });
      // A language with an error opens first, so the message is not hidden.
      var withError = panels.filter(function (panel) { return panel.querySelector(".errors, .errorlist"); })[0];
      select(tabs[withError ? panels.indexOf(withError) : 0], false);
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
    label.textContent = strings.preview;
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
      var body = new URLSearchParams({
        text: textarea.value,
        language: textarea.dataset.markdownPreview,
        article: strings.article,
      });
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
          markWideCode();
        })
        .catch(function () { preview.textContent = strings.previewFailed; });
    }
    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(render, 300);
    });
    render();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("authoring-page");
    if (source) strings = JSON.parse(source.textContent);
    buildTabs(document);
    document.querySelectorAll("textarea[data-markdown-preview]").forEach(function (textarea) {
      if (!textarea.closest(".empty-form")) attachPreview(textarea);
    });
  });
  // An inline form added with "Add another" is a copy of the empty form, which has no tabs yet.
  document.addEventListener("formset:added", function (event) {
    buildTabs(event.target);
    event.target.querySelectorAll("textarea[data-markdown-preview]").forEach(attachPreview);
  });
})();
