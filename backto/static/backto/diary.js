// Keeps a diary form's answers on the device until the server has them, so an answer typed on a
// flaky connection is never lost: restored on reload, cleared once the saved page comes back.
(function () {
  "use strict";
  var form = document.querySelector("form[data-draft-key]");
  var saved = window.location.hash === "#saved";
  if (!form || !window.localStorage) { return; }
  var key = "backto:" + form.getAttribute("data-draft-key");
  var skip = { csrfmiddlewaretoken: true, idempotency_key: true };
  if (saved) { window.localStorage.removeItem(key); }

  function collect() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || skip[el.name] || el.type === "hidden" || el.type === "submit") { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) { (data[el.name] = data[el.name] || []).push(el.value); }
      } else {
        data[el.name] = [el.value];
      }
    });
    return data;
  }

  function restore(data) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !(el.name in data) || skip[el.name] || el.type === "hidden") { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = data[el.name].indexOf(el.value) !== -1;
      } else {
        el.value = data[el.name][0];
      }
    });
  }

  var draft = window.localStorage.getItem(key);
  if (draft && !saved && !form.querySelector(".errorlist")) {
    try { restore(JSON.parse(draft)); } catch (e) { window.localStorage.removeItem(key); }
  }
  // Hours at school matter only for a part day (the instrument's enableWhen: school = 1).
  var hours = form.querySelector("[name=school_hours]");
  var hoursField = hours && hours.closest(".field");
  function showHours() {
    var chosen = form.querySelector("[name=school]:checked");
    if (hoursField) { hoursField.hidden = !(chosen && chosen.value === "1"); }
  }
  showHours();
  form.addEventListener("change", showHours);

  form.addEventListener("input", function () {
    window.localStorage.setItem(key, JSON.stringify(collect()));
  });
  form.addEventListener("submit", function () {
    window.localStorage.setItem(key, JSON.stringify(collect()));
    var note = form.querySelector("[data-saving]");
    if (note) { note.hidden = false; }
  });
})();
