/* 大字号高对比（适老化）模式：记住读者的选择。
   Loaded in <head> (not deferred) so the class is set before the first paint; no inline script. */
(function () {
  "use strict";
  var KEY = "gongshi-hc";
  var root = document.documentElement;
  function stored() {
    try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }
  function apply(on) {
    if (on) { root.classList.add("hc"); } else { root.classList.remove("hc"); }
  }
  apply(stored());
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("hc-toggle");
    if (!button) { return; }
    button.hidden = false;
    button.setAttribute("aria-pressed", stored() ? "true" : "false");
    button.addEventListener("click", function () {
      var on = !root.classList.contains("hc");
      apply(on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
      try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode: not remembered */ }
    });
  });
}());
