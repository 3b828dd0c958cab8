// Print support.
// * Opens every collapsed <details> block (FAQ answers, notes) while the page is printed and
//   closes them again afterwards (browsers with ::details-content get this from CSS as well).
// * Marks links to other sites with the class "prodready-external", so the print stylesheet can
//   write their address after them. (Internal links cannot be told apart by their href alone:
//   instant navigation rewrites every href to an absolute URL.)
(function () {
  "use strict";
  var opened = [];
  window.addEventListener("beforeprint", function () {
    var closed = document.querySelectorAll("details:not([open])");
    for (var i = 0; i < closed.length; i++) {
      closed[i].open = true;
      opened.push(closed[i]);
    }
  });
  window.addEventListener("afterprint", function () {
    while (opened.length) opened.pop().open = false;
  });

  function markExternalLinks() {
    var links = document.querySelectorAll(".md-typeset a[href]");
    for (var i = 0; i < links.length; i++) {
      var link = links[i];
      var external = /^https?:$/.test(link.protocol) && link.origin !== location.origin;
      link.classList.toggle("prodready-external", external);
    }
  }
  markExternalLinks();
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(markExternalLinks);
  }
})();
