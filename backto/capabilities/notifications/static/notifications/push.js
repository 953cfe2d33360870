// Reminders page: turn Web Push on or off for this device. Without JavaScript, or in a browser
// without push, the page says how to get notifications and shows no button. The words it shows
// come from the page, already in the reader's language: data-text-on, data-text-off and
// data-text-error on the [data-push] box (diary/reminders.html).
(function () {
  "use strict";
  const box = document.querySelector("[data-push]");
  if (!box || !("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    return;
  }
  const status = box.querySelector("[data-push-status]");
  const on = box.querySelector("[data-push-on]");
  const off = box.querySelector("[data-push-off]");
  const unsupported = box.querySelector("[data-push-unsupported]");
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
  const said = { on: box.dataset.textOn, off: box.dataset.textOff, failed: box.dataset.textError };

  function key(base64url) {
    const padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
      body: JSON.stringify(body),
    }).then((response) => {
      if (!response.ok) { throw new Error("The server said " + response.status); }
    });
  }

  function show(subscribed, words) {
    on.hidden = subscribed;
    off.hidden = !subscribed;
    if (words) { status.textContent = words; }
  }

  function failed() {
    status.textContent = said.failed;
  }

  unsupported.hidden = true;
  navigator.serviceWorker.ready.then((registration) =>
    registration.pushManager.getSubscription().then((current) => {
      show(Boolean(current), current ? said.on : "");

      on.addEventListener("click", () => {
        on.disabled = true;
        Notification.requestPermission()
          .then((answer) => {
            if (answer !== "granted") { throw new Error("not allowed"); }
            return registration.pushManager.subscribe({
              userVisibleOnly: true,
              applicationServerKey: key(box.dataset.key),
            });
          })
          .then((subscription) => post(box.dataset.subscribe, subscription.toJSON()))
          .then(() => show(true, said.on))
          .catch(failed)
          .finally(() => { on.disabled = false; });
      });

      off.addEventListener("click", () => {
        off.disabled = true;
        registration.pushManager.getSubscription()
          .then((subscription) => {
            if (!subscription) { return null; }
            const endpoint = subscription.endpoint;
            return subscription.unsubscribe().then(() => post(box.dataset.unsubscribe, { endpoint: endpoint }));
          })
          .then(() => show(false, said.off))
          .catch(failed)
          .finally(() => { off.disabled = false; });
      });
    })
  );
})();
