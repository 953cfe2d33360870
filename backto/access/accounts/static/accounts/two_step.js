// Two-step pages: once django-otp-webauthn's script has registered a passkey, go on to the page
// the "Continue" link names (the recovery codes), as the person would by following it.
document.addEventListener("otp_webauthn.register_complete", () => {
  const next = document.querySelector("[data-after-passkey]");
  if (next) window.location.assign(next.getAttribute("href"));
});
