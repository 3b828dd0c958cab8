// Applies the reader's saved colour palette before the page is painted (runs synchronously from
// the header, after the palette form). Replaces Material's inline palette script.
(function () {
  "use strict";
  var saved = typeof window.__md_get === "function" ? window.__md_get("__palette") : null;
  if (!saved || !saved.color) return;
  var color = saved.color;
  if (color.media === "(prefers-color-scheme)") {
    // "Follow the system": pick the light or dark option that matches the system right now.
    var light = window.matchMedia("(prefers-color-scheme: light)").matches;
    var media = light ? "(prefers-color-scheme: light)" : "(prefers-color-scheme: dark)";
    var option = document.querySelector('[data-md-color-media="' + media + '"]');
    if (!option) return;
    color = {
      media: media,
      scheme: option.getAttribute("data-md-color-scheme"),
      primary: option.getAttribute("data-md-color-primary"),
      accent: option.getAttribute("data-md-color-accent"),
    };
  }
  Object.keys(color).forEach(function (name) {
    if (typeof color[name] === "string") {
      document.body.setAttribute("data-md-color-" + name, color[name]);
    }
  });
})();
