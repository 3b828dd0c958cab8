// Shows the "old version" banner when the version being read is not the newest one deployed.
// Reads the versions.json that mike writes next to the version folders. Never throws: when the
// file is missing (e.g. under `mkdocs serve`) or unexpected, the banner simply stays hidden.
(function () {
  "use strict";
  var self = document.currentScript;
  if (!self || !self.src || !window.fetch) return;
  // This file is served from <root>/assets/js/site/outdated.js; <root> is the version folder.
  var root = new URL("../../../", self.src);
  var folder = "";
  try {
    folder = decodeURIComponent(root.pathname.replace(/\/$/, "").split("/").pop() || "");
  } catch (error) {
    return;
  }
  var latestRoot = null;
  if (!folder) return; // served from the host root: not a mike deployment

  function names(entry) {
    var aliases = Array.isArray(entry.aliases) ? entry.aliases : [];
    return [String(entry.version)].concat(aliases.map(String));
  }

  function show() {
    if (!latestRoot) return;
    var banner = document.querySelector("[data-md-component=outdated]");
    if (!banner) return;
    var link = banner.querySelector("[data-prodready-latest]");
    if (link) {
      var here = location.pathname;
      var rest = here.indexOf(root.pathname) === 0 ? here.slice(root.pathname.length) : "";
      link.href = new URL(rest, latestRoot).href;
    }
    banner.hidden = false;
  }

  function decide(versions) {
    if (!Array.isArray(versions) || versions.length === 0) return;
    var current = versions.find(function (entry) {
      return entry && names(entry).indexOf(folder) >= 0;
    });
    if (!current) return;
    var newest = versions.find(function (entry) {
      return entry && names(entry).indexOf("latest") >= 0;
    }) || versions[0];
    if (!newest || newest === current) return;
    latestRoot = new URL("../" + encodeURIComponent(String(newest.version)) + "/", root);
    show();
    // Instant navigation swaps the banner for the new page's copy; once the swap is done
    // (hence the timeout), point the new copy at the new page and show it.
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(function () { window.setTimeout(show, 0); });
    }
  }

  fetch(new URL("../versions.json", root).href, { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(decide)
    .catch(function () { /* no versions.json here: nothing to compare against */ });
})();
