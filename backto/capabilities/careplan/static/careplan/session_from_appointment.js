// Recording a session: choosing the appointment it took place in fills in its date, discipline
// and minutes. Without JavaScript the server fills in what is left empty, so this only saves
// typing.
(function () {
  "use strict";
  const form = document.querySelector("[data-session-record]");
  if (!form) {
    return;
  }
  const fields = { date: "date", discipline: "discipline", minutes: "minutes" };
  form.addEventListener("change", function (event) {
    const choice = event.target;
    if (choice.name !== "appointment" || !choice.checked || !choice.dataset.date) {
      return;
    }
    Object.keys(fields).forEach(function (key) {
      const input = form.elements.namedItem(fields[key]);
      if (input && choice.dataset[key]) {
        input.value = choice.dataset[key];
      }
    });
  });
})();
