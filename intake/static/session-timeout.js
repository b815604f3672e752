// Warn a few minutes before the idle timeout, and keep the session open in the
// background when asked, so nothing typed on the page is lost. Without scripts
// the page says when the session ends, and its button comes back to the page.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("session-timeout");
    if (!box) return;
    var warning = document.getElementById("session-warning");
    var warningText = warning.querySelector("[data-session-warning]");
    var endedText = warning.querySelector("[data-session-ended]");
    var stay = warning.querySelector("[data-session-stay]");
    var status = box.querySelector("[data-session-status]");
    var endsAt = 0;
    var warnAt = 0;
    var shown = false;
    var returnFocus = null;
    box.querySelector("[data-session-note]").hidden = true;

    function schedule(secondsLeft, warnSeconds) {
      endsAt = Date.now() + secondsLeft * 1000;
      warnAt = endsAt - warnSeconds * 1000;
    }
    function show() {
      shown = true;
      // Back to where the person was once they have answered the warning.
      returnFocus = document.activeElement;
      warning.hidden = false;
      stay.focus();
    }
    function ended() {
      clearInterval(timer);
      warningText.hidden = true;
      stay.hidden = true;
      endedText.hidden = false;
      warning.hidden = false;
    }
    function tick() {
      var now = Date.now();
      if (now >= endsAt) ended();
      else if (!shown && now >= warnAt) show();
    }
    schedule(Number(box.getAttribute("data-seconds-left")), Number(box.getAttribute("data-warn-seconds")));
    var timer = setInterval(tick, 1000);

    stay.addEventListener("click", function () {
      stay.disabled = true;
      fetch(box.getAttribute("data-stay-url"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRFToken": box.getAttribute("data-csrf") }
      }).then(function (response) {
        if (!response.ok) throw new Error("signed out");
        return response.json();
      }).then(function (data) {
        schedule(data.seconds_left, data.warn_seconds);
        warningText.textContent = data.warning;
        warning.hidden = true;
        shown = false;
        stay.disabled = false;
        status.textContent = data.stayed;
        if (returnFocus && document.body.contains(returnFocus)) returnFocus.focus();
      }).catch(ended);
    });
  });
})();
