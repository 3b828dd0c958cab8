// Accessibility fixes for markup Material's bundle creates at run time.
// - Each code block gets a <nav class="md-code__nav"> holding its copy button. Several unnamed
//   navigation landmarks per page only add noise for screen-reader users (axe landmark-unique);
//   a copy button is not navigation, so the wrapper is made presentational. The button keeps its
//   accessible name (its title).
// - The version selector's button shows the version ("0.2") but is named "Select version" by its
//   aria-label, so speech users cannot call it by what they see (WCAG 2.5.3 Label in Name, axe
//   label-content-name-mismatch). Its name is made to start with the visible text.
(function () {
  "use strict";
  function nameVersionButton(button) {
    var text = (button.textContent || "").trim();
    var label = button.getAttribute("aria-label") || "";
    if (text && label.indexOf(text) !== 0) button.setAttribute("aria-label", text + ": " + label);
  }
  function fixOne(node) {
    if (node.matches("nav.md-code__nav:not([role])")) node.setAttribute("role", "none");
    else if (node.matches(".md-version__current[aria-label]")) nameVersionButton(node);
  }
  function fix(root) {
    if (!root || typeof root.querySelectorAll !== "function") return;
    if (typeof root.matches === "function") fixOne(root);
    var found = root.querySelectorAll("nav.md-code__nav:not([role]), .md-version__current[aria-label]");
    for (var i = 0; i < found.length; i++) fixOne(found[i]);
  }
  fix(document);
  if (typeof MutationObserver === "function") {
    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        var added = records[i].addedNodes;
        for (var j = 0; j < added.length; j++) {
          if (added[j].nodeType === 1) fix(added[j]);
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
  }
})();
