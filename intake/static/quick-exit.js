// Exit this page: replace the page with the neutral site, so that the back button
// does not lead here, and do it on Shift pressed three times as well.
// Without JavaScript the button is an ordinary link to the same site.
(function () {
  "use strict";
  function leave(url) {
    document.body.hidden = true;
    window.location.replace(url);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var link = document.querySelector("a[data-quick-exit]");
    if (!link) return;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      leave(link.href);
    });
    var presses = [];
    document.addEventListener("keyup", function (event) {
      if (event.key !== "Shift") { presses = []; return; }
      var now = Date.now();
      presses = presses.filter(function (t) { return now - t < 1500; });
      presses.push(now);
      if (presses.length >= 3) leave(link.href);
    });
  });
})();
