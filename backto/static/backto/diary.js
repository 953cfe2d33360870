// The diary page (diary/diary_today.html). Two jobs, both progressive: without this script the
// page is one plain form that saves.
// 1. Drafts: keeps the answers on the device until the server has them, so an answer typed on a
//    flaky connection is never lost. A draft sent with the form is dropped once the page shows
//    the server took that submission in (its idempotency key among data-entry-keys): no clocks.
// 2. Steps: one short step per screen, Back and Next, "Step 3 of 9" said to screen readers, focus
//    on the step's heading, and a last step that lists the answers to check before saving.
(function () {
  "use strict";
  var form = document.querySelector("form[data-draft-key]");
  if (!form) { return; }
  var store = null;
  try { store = window.localStorage; } catch (e) { store = null; }
  var key = "backto:" + form.getAttribute("data-draft-key");
  var skip = { csrfmiddlewaretoken: true, idempotency_key: true };

  function collect() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || skip[el.name] || el.type === "hidden" || el.type === "submit" || el.type === "button") { return; }
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
      if (!el.name || skip[el.name] || el.type === "hidden") { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = el.name in data && data[el.name].indexOf(el.value) !== -1;
      } else if (el.name in data) {
        el.value = data[el.name][0];
      }
    });
  }

  function save(sent) {
    if (!store) { return; }
    try {
      var sentKey = sent && form.elements.idempotency_key ? form.elements.idempotency_key.value : null;
      store.setItem(key, JSON.stringify({ answers: collect(), sentKey: sentKey }));
    } catch (e) { /* storage full or refused: the form still posts */ }
  }

  if (store) {
    var draft = null;
    try { draft = JSON.parse(store.getItem(key) || "null"); } catch (e) { store.removeItem(key); }
    var taken = (form.getAttribute("data-entry-keys") || "").split(" ");
    if (draft && draft.sentKey && taken.indexOf(draft.sentKey) !== -1) {
      store.removeItem(key); // the server has it
    } else if (draft && draft.answers && !form.querySelector(".errorlist")) {
      restore(draft.answers);
    }
  }
  if (window.backtoControls) { window.backtoControls.refresh(); }

  // Hours at school matter only for a part day (the instrument's enableWhen: school = 1).
  var hours = form.querySelector("[name=school_hours]");
  var hoursField = hours && hours.closest(".field");
  function showHours() {
    var chosen = form.querySelector("[name=school]:checked");
    if (hoursField) { hoursField.hidden = !(chosen && chosen.value === "1"); }
  }
  showHours();
  form.addEventListener("change", showHours);
  form.addEventListener("input", function () { save(false); });
  form.addEventListener("change", function () { save(false); });

  // Steps.
  var steps = Array.prototype.slice.call(form.querySelectorAll("[data-step]"));
  var nav = form.querySelector("[data-step-nav]");
  var progress = form.querySelector("[data-step-progress]");
  var back = form.querySelector("[data-step-back]");
  var next = form.querySelector("[data-step-next]");
  var summary = form.querySelector("[data-summary]");
  var current = 0;
  if (steps.length < 2 || !nav || !progress) { return wireSubmit(); }

  function title(step) { return step.querySelector("h2").textContent; }

  // The words the script shows come from the form, in the reader's language, with {name} blanks.
  function say(name, blanks) {
    return (form.getAttribute("data-text-" + name) || "").replace(/\{(\w+)\}/g, function (all, key) {
      return blanks && key in blanks ? blanks[key] : all;
    });
  }

  function answerOf(field) {
    var slider = field.querySelector("[data-rating-slider]");
    if (slider) {
      var rated = slider.querySelector(".rating-slider-rated input");
      var range = slider.querySelector("input[type=range]");
      return rated.checked ? say("out-of", {value: range.value, max: range.max}) : "";
    }
    var chosen = field.querySelectorAll("input:checked");
    if (chosen.length) {
      return Array.prototype.map.call(chosen, function (input) {
        var words = form.querySelector("label[for='" + input.id + "'] .choice-words");
        return words ? words.textContent : input.value;
      }).join(", ");
    }
    var box = field.querySelector("input:not([type=hidden]):not([type=radio]):not([type=checkbox]), textarea");
    var typed = box ? box.value.trim() : "";
    return typed && box.getAttribute("data-unit") ? typed + " " + box.getAttribute("data-unit") : typed;
  }

  function fillSummary() {
    // One row a step: its title, its answers, and a Change button back to it.
    summary.textContent = "";
    var list = document.createElement("dl");
    steps.forEach(function (step, index) {
      if (step.hasAttribute("data-summary-step")) { return; }
      var answers = [];
      var missing = false;
      Array.prototype.forEach.call(step.querySelectorAll("[data-field]"), function (field) {
        if (field.hidden) { return; }
        var answer = answerOf(field);
        if (answer) { answers.push(answer); } else if (field.querySelector("[required]")) { missing = true; }
      });
      var row = document.createElement("div");
      var dt = document.createElement("dt");
      var dd = document.createElement("dd");
      var words = document.createElement("span");
      row.className = "diary-summary-row" + (missing ? " missing" : "");
      dt.textContent = title(step);
      words.textContent = (answers.length ? answers.join(" · ") : say("nothing")) +
        (missing ? ". " + say("missing") : "");
      var change = document.createElement("button");
      change.type = "button";
      change.className = "btn secondary";
      change.textContent = say("change");
      change.setAttribute("aria-label", say("change-label", {title: title(step)}));
      change.addEventListener("click", function () { show(index, true); });
      dd.appendChild(words);
      dd.appendChild(change);
      row.appendChild(dt);
      row.appendChild(dd);
      list.appendChild(row);
    });
    summary.appendChild(list);
    summary.hidden = false;
  }

  function show(index, focus) {
    current = Math.max(0, Math.min(steps.length - 1, index));
    steps.forEach(function (step, i) { step.hidden = i !== current; });
    var last = current === steps.length - 1;
    back.hidden = current === 0;
    next.hidden = last;
    progress.querySelector("[data-step-count]").textContent =
      say("step", {n: current + 1, total: steps.length, title: title(steps[current])});
    progress.querySelector("[data-step-bar]").value = current + 1;
    if (last) { fillSummary(); }
    if (focus) {
      var heading = steps[current].querySelector("h2");
      heading.focus();
      if (heading.scrollIntoView) { heading.scrollIntoView({ block: "nearest" }); }
    }
  }

  form.classList.add("diary-steps-on");
  nav.hidden = false;
  progress.hidden = false;
  back.addEventListener("click", function () { show(current - 1, true); });
  next.addEventListener("click", function () { show(current + 1, true); });
  // After the server sent the form back with errors, open the first step that has one.
  var firstError = form.querySelector(".errorlist");
  var start = 0;
  if (firstError) {
    steps.forEach(function (step, i) { if (!start && step.contains(firstError)) { start = i; } });
  }
  show(start, Boolean(firstError));
  wireSubmit();

  function wireSubmit() {
    // Captured first, so that Enter in a box on an early step moves on rather than sending half
    // a diary (and the outbox never sees that submit); the real submit, from the last step, goes
    // on to the outbox or the server untouched.
    form.addEventListener("submit", function (event) {
      if (steps.length > 1 && nav && !nav.hidden && current < steps.length - 1) {
        event.preventDefault();
        event.stopImmediatePropagation();
        show(current + 1, true);
        return;
      }
      save(true);
      var note = form.querySelector("[data-saving]");
      if (note) { note.hidden = false; }
    }, true);
  }
})();
