// Signing out forgets what this device kept for the person: the diary drafts and the outbox
// (every "backto:" key in localStorage), the family pages the service worker kept for offline
// use, and this device's push subscription (its reminders). The next person to use the browser
// must not find someone's unsent answers (a teen's private ones among them) or pages.
// A page the server sends to nobody signed in (data-signed-out: the sign-in page after a session
// expired, or after signing out in another tab) forgets the same, except the push subscription:
// the session is gone, so what waited for it can no longer be sent.
(function () {
  "use strict";
  function forgetStorage() {
    try {
      var storage = window.localStorage;
      for (var i = storage.length - 1; i >= 0; i--) {
        var key = storage.key(i);
        if (key && key.indexOf("backto:") === 0) { storage.removeItem(key); }
      }
    } catch (e) { /* no storage in this browser: nothing kept */ }
  }
  function forgetPages() {
    if (!window.caches) { return Promise.resolve(); }
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("backto-pages") === 0;
      }).map(function (name) { return caches.delete(name); }));
    });
  }
  function forgetPush() {
    if (!("serviceWorker" in navigator)) { return Promise.resolve(); }
    return navigator.serviceWorker.getRegistration("/").then(function (registration) {
      if (!registration || !registration.pushManager) { return null; }
      return registration.pushManager.getSubscription().then(function (subscription) {
        return subscription ? subscription.unsubscribe() : null;
      });
    });
  }
  // What the other scripts call when the server says the session is gone (outbox.js, app.js).
  window.backtoForget = function (options) {
    forgetStorage();
    var steps = [forgetPages()];
    if (options && options.push) { steps.push(forgetPush()); }
    return Promise.all(steps.map(function (step) {
      return step.catch(function () { return null; });
    }));
  };
  if (document.body.hasAttribute("data-signed-out")) { window.backtoForget(); }
  var form = document.querySelector("form[data-sign-out]");
  if (!form) { return; }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var sent = false;
    function submit() {
      if (sent) { return; }
      sent = true;
      HTMLFormElement.prototype.submit.call(form); // no second submit event
    }
    // Signing out never waits on a step that fails or hangs: at most one second.
    window.setTimeout(submit, 1000);
    window.backtoForget({ push: true }).then(submit, submit);
  });
})();
