// Progressive enhancement: show and hide questions in place as answers change.
// Without JavaScript the server sends them hidden or shown, "Continue" asks it
// again, and it ignores the answers of questions left out.
(function () {
  "use strict";
  function answersOf(form, name) {
    var values = [];
    form.querySelectorAll("[name='" + name + "']").forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) return;
      values.push(input.value);
    });
    return values;
  }
  function update(form) {
    form.querySelectorAll("[data-show-if]").forEach(function (wrapper) {
      var wanted = wrapper.getAttribute("data-show-if-values").split(" ");
      var given = answersOf(form, wrapper.getAttribute("data-show-if"));
      var shown = given.some(function (v) { return wanted.indexOf(v) !== -1; });
      wrapper.hidden = !shown;
      var note = wrapper.querySelector(".note");
      if (note) note.hidden = true;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.record-form").forEach(function (form) {
      form.querySelectorAll("[data-reveal-continue]").forEach(function (button) {
        button.hidden = true;
      });
      update(form);
      form.addEventListener("change", function () { update(form); });
    });
  });
})();
