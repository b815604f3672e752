// Warn a few minutes before the idle timeout, and keep the session open in the
// background when asked, so nothing typed on the page is lost. Without scripts
// the page says how long the session lasts, and its button comes back to the page.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("session-timeout");
    if (!box) return;
    var warning = document.getElementById("session-warning");
    var warningText = warning.querySelector("[data-session-warning]");
    var finalText = warning.querySelector("[data-session-final]");
    var endedText = warning.querySelector("[data-session-ended]");
    var stay = warning.querySelector("[data-session-stay]");
    var stayed = box.querySelector("[data-session-stayed]");
    var status = box.querySelector("[data-session-status]");
    var endsAt = 0;
    var warnAt = 0;
    var shown = false;
    var returnFocus = null;
    box.querySelector("[data-session-note]").hidden = true;

    function csrfToken() {
      // Every signed-in page has one (the sign-out button's form, at least).
      var field = document.querySelector("input[name=csrf_token]");
      return field ? field.value : "";
    }
    function schedule(secondsLeft, warnSeconds, final) {
      endsAt = Date.now() + secondsLeft * 1000;
      warnAt = endsAt - warnSeconds * 1000;
      // The time by the reader's own clock: the server writes none into the page.
      var time = new Date(endsAt).toLocaleTimeString(document.documentElement.lang, {
        hour: "2-digit",
        minute: "2-digit"
      });
      box.querySelectorAll("[data-session-time]").forEach(function (slot) {
        slot.textContent = time;
      });
      warningText.hidden = final;
      finalText.hidden = !final;
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
      finalText.hidden = true;
      stay.hidden = true;
      endedText.hidden = false;
      warning.hidden = false;
    }
    function tick() {
      var now = Date.now();
      if (now >= endsAt) ended();
      else if (!shown && now >= warnAt) show();
    }
    schedule(
      Number(box.getAttribute("data-seconds-left")),
      Number(box.getAttribute("data-warn-seconds")),
      box.getAttribute("data-final") === "yes"
    );
    var timer = setInterval(tick, 1000);

    stay.addEventListener("click", function () {
      stay.disabled = true;
      fetch(box.getAttribute("data-stay-url"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() }
      }).then(function (response) {
        if (!response.ok) throw new Error("signed out");
        return response.json();
      }).then(function (data) {
        schedule(data.seconds_left, data.warn_seconds, data.final);
        warning.hidden = true;
        shown = false;
        stay.disabled = false;
        status.textContent = stayed.textContent;
        if (returnFocus && document.body.contains(returnFocus)) returnFocus.focus();
      }).catch(ended);
    });
  });
})();
