// Signing out forgets the diary drafts kept on this device: the next person to use the browser
// must not find someone's unsent answers (a teen's private ones among them).
(function () {
  "use strict";
  var form = document.querySelector("form[data-sign-out]");
  if (!form || !window.localStorage) { return; }
  form.addEventListener("submit", function () {
    for (var i = window.localStorage.length - 1; i >= 0; i--) {
      var key = window.localStorage.key(i);
      if (key && key.indexOf("backto:") === 0) { window.localStorage.removeItem(key); }
    }
  });
})();
