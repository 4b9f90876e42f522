// The menu works without this file (it is made of <details>); this only tidies it:
// one menu open at a time, Escape closes it, a click elsewhere closes it.
(function () {
  "use strict";
  var menu = document.querySelector("nav.menu");
  if (!menu) { return; }
  var tops = menu.querySelectorAll("details.depth-0");
  function closeAll(except) {
    tops.forEach(function (d) { if (d !== except) { d.open = false; } });
  }
  tops.forEach(function (d) {
    d.addEventListener("toggle", function () { if (d.open) { closeAll(d); } });
  });
  document.addEventListener("click", function (event) {
    if (!menu.contains(event.target)) { closeAll(null); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = menu.querySelector("details.depth-0[open]");
    if (open) {
      closeAll(null);
      open.querySelector("summary").focus();
    }
  });
})();
