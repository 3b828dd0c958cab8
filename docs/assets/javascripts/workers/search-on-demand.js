// The theme's search worker, with its index built when the reader first searches instead of on
// every page load (the build hook in engine/prodready_site/hooks.py points the theme's
// configuration here, with the theme's worker file in ?worker=).
//
// The theme's page script sends the whole index (SETUP) as soon as a page has loaded, and its
// worker builds the search index from it at once: about a quarter of a second of processor time
// per page load on the project's machine, spent whether or not the reader ever searches, and on
// the assessor page while Python starts. The theme itself defers that build for sites opened from
// file:// until the search is opened.
//
// Here the SETUP message is kept and answered "ready" at once (the search box works as before),
// and handed to the theme's worker when the first query that is not empty arrives. The empty
// query the page sends once the worker is ready is answered here with no results, as the theme
// answers it. Queries wait until the theme's worker has answered the SETUP with its own "ready",
// which is not passed on (the page has had one). Message types are the theme's (SETUP 0,
// READY 1, QUERY 2, RESULT 3).
//
// This file lives beside the theme's worker so that the theme's relative paths (its language
// scripts under ../lunr/) resolve as they do for the theme's own worker.
"use strict";

(function () {
  var SETUP = 0;
  var READY = 1;
  var QUERY = 2;
  var RESULT = 3;

  var state = { setup: null, index: "none", waiting: [] }; // index: none, deferred, building, built
  self.prodreadySearch = state; // read by the browser tests

  var post = self.postMessage.bind(self);
  self.postMessage = function (message) {
    if (state.index === "building" && message && message.type === READY) {
      state.index = "built";
      state.waiting.splice(0).forEach(handOn);
      return;
    }
    post(message);
  };

  function handOn(data) {
    self.dispatchEvent(new MessageEvent("message", { data: data }));
  }

  // Registered before the theme's listener, so it sees every message first.
  self.addEventListener("message", function (event) {
    if (!event.isTrusted) return; // handed on from here: for the theme's listener
    var message = event.data || {};
    if (message.type === SETUP) {
      event.stopImmediatePropagation();
      state.setup = message;
      state.index = "deferred";
      post({ type: READY });
    } else if (message.type === QUERY && state.index !== "built" && state.setup) {
      event.stopImmediatePropagation();
      if (message.data === "") {
        // The page sends the (empty) search box once the worker is ready; the theme answers an
        // empty query with no results, without its index.
        post({ type: RESULT, data: { items: [] } });
        return;
      }
      state.waiting.push(message);
      if (state.index === "deferred") {
        state.index = "building";
        handOn(state.setup);
      }
    }
  });

  var worker = new URL(self.location.href).searchParams.get("worker") || "";
  if (!/^search\.[0-9a-f]+\.min\.js$/.test(worker)) {
    throw new Error("search-on-demand.js: no theme search worker named in ?worker=");
  }
  importScripts(worker);
})();
