// Accessibility fixes for markup Material's bundle creates at run time.
// Each code block gets a <nav class="md-code__nav"> holding its copy button. Several unnamed
// navigation landmarks per page only add noise for screen-reader users (axe landmark-unique);
// a copy button is not navigation, so the wrapper is made presentational. The button keeps its
// accessible name (its title).
(function () {
  "use strict";
  function fix(root) {
    if (!root || typeof root.querySelectorAll !== "function") return;
    var navs = root.querySelectorAll("nav.md-code__nav:not([role])");
    for (var i = 0; i < navs.length; i++) navs[i].setAttribute("role", "none");
  }
  fix(document);
  if (typeof MutationObserver === "function") {
    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        var added = records[i].addedNodes;
        for (var j = 0; j < added.length; j++) {
          var node = added[j];
          if (node.nodeType !== 1) continue;
          if (node.matches("nav.md-code__nav:not([role])")) node.setAttribute("role", "none");
          else fix(node);
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
  }
})();
