// Company Preferences > Google: the summary preview follows the template as it is typed.
// The server words the preview (one implementation); without JavaScript the page shows it too.
(function () {
  "use strict";
  var input = document.querySelector("[data-preview-url]");
  if (!input) {
    return;
  }
  var output = document.getElementById(input.getAttribute("data-preview-target"));
  var url = input.getAttribute("data-preview-url");
  var pending = null;
  var latest = 0;

  function show(answer, asked) {
    if (asked !== latest) {
      return; // an older answer arriving late
    }
    output.textContent = answer.problem ? answer.problem : answer.preview;
    output.classList.toggle("problem", Boolean(answer.problem));
  }

  function refresh() {
    latest += 1;
    var asked = latest;
    var query = "?summary_template=" + encodeURIComponent(input.value);
    fetch(url + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (answer) { show(answer, asked); })
      .catch(function () { /* keep the last preview */ });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(refresh, 150);
  });
}());
