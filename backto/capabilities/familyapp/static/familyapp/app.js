// Installs BackTo's service worker for a signed-in family member (base.html gives this script
// the worker's address in data-worker), so that the app can be put on the home screen and the
// diary, today's exercises and the learning pages open without a connection.
// Staff get no worker: they work on clinic computers with a connection, and a worker would keep
// pages on a shared computer. A worker left by a family member on this browser is removed, with
// the pages it kept.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) { return; }
  var script = document.currentScript;
  var worker = script && script.getAttribute("data-worker");
  if (worker) {
    navigator.serviceWorker.register(worker, { scope: "/" }).catch(function () {
      // No worker (a private window, an old browser): every page still works online.
    });
    return;
  }
  navigator.serviceWorker.getRegistrations().then(function (registrations) {
    registrations.forEach(function (registration) { registration.unregister(); });
  });
  if (window.backtoForget) { window.backtoForget(); }
})();
