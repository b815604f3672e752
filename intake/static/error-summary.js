// A refused form: move focus to its error summary, so a screen reader reads it
// first, and let each link in it put the cursor in the field it names.
// Without JavaScript the summary is still first on the page and its links still jump.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (!summary) return;
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      var field = target.matches("input, select, textarea") ? target
        : target.querySelector("input:not([type=hidden]), select, textarea");
      if (!field) return;
      event.preventDefault();
      target.scrollIntoView();
      field.focus();
    });
  });
})();
