// Links made before the glossary had pages point at /glossary/#term: send them on to the term's own page.
(function () {
  var id = decodeURIComponent(window.location.hash.slice(1));
  var link = id && document.getElementById(id);
  if (link && link.matches(".glossary-line a[href]")) {
    window.location.replace(link.href);
  }
})();
