// Signing out forgets the diary drafts kept on this device: the next person to use the browser
// must not find someone's unsent answers (a teen's private ones among them). So does any page
// the server sends to nobody signed in (data-signed-out: the sign-in page after a session
// expired, or after signing out in another tab), since the drafts' session is gone.
(function () {
  "use strict";
  if (!window.localStorage) { return; }
  function forgetDrafts() {
    for (var i = window.localStorage.length - 1; i >= 0; i--) {
      var key = window.localStorage.key(i);
      if (key && key.indexOf("backto:") === 0) { window.localStorage.removeItem(key); }
    }
  }
  if (document.body.hasAttribute("data-signed-out")) { forgetDrafts(); }
  var form = document.querySelector("form[data-sign-out]");
  if (form) { form.addEventListener("submit", forgetDrafts); }
})();
