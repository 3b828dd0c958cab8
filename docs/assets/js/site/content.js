// When the URL fragment names a content tab (pymdownx.tabbed), select that tab. Replaces
// Material's inline content script; instant navigation re-runs it for every page it loads.
(function () {
  "use strict";
  var id;
  try {
    id = decodeURIComponent(location.hash.slice(1));
  } catch (error) {
    return;
  }
  var target = id ? document.getElementById(id) : null;
  if (target && target.name && target.name.indexOf("__tabbed_") === 0) {
    target.checked = true;
  }
})();
