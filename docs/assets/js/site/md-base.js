// Storage helpers Material for MkDocs expects as globals before its bundle runs. They replace
// Material's inline set-up script, which the site's Content-Security-Policy would block.
// Keys are prefixed with the path of the site (version) root, so versions do not share settings.
(function () {
  "use strict";
  var self = document.currentScript;
  // This file is served from <root>/assets/js/site/md-base.js.
  var scope = new URL("../../../", self && self.src ? self.src : location.href);

  function storageOr(storage, fallback) {
    if (storage !== undefined) return storage;
    try {
      return fallback();
    } catch (error) {
      return null; // storage disabled (privacy settings, sandboxed frame)
    }
  }

  window.__md_scope = scope;

  // A 32-bit string hash; Material compares it to remember dismissed announcements.
  window.__md_hash = function (text) {
    var hash = 0;
    for (var i = 0; i < text.length; i++) {
      hash = ((hash << 5) - hash + text.charCodeAt(i)) | 0;
    }
    return hash;
  };

  window.__md_get = function (key, storage, base) {
    var store = storageOr(storage, function () { return window.localStorage; });
    var root = base === undefined ? window.__md_scope : base;
    try {
      return store ? JSON.parse(store.getItem(root.pathname + "." + key)) : null;
    } catch (error) {
      return null; // unreadable or corrupt entry: behave as if nothing was saved
    }
  };

  window.__md_set = function (key, value, storage, base) {
    var store = storageOr(storage, function () { return window.localStorage; });
    var root = base === undefined ? window.__md_scope : base;
    try {
      if (store) store.setItem(root.pathname + "." + key, JSON.stringify(value));
    } catch (error) {
      // quota exceeded or storage disabled: settings simply are not remembered
    }
  };
})();
