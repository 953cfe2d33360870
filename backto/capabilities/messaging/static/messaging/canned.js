// The canned-reply picker: choosing a reply puts its words in the reply box at once, to be
// changed before sending. Without this script the picker is a plain GET form (?canned=<id>)
// and the page comes back with the words in the box. Its question comes from the page
// (data-said-replace), in the reader's language.
(function () {
  "use strict";
  var picker = document.querySelector("[data-canned-picker]");
  var form = document.querySelector("[data-message-form]");
  if (!picker || !form) { return; }
  var select = picker.querySelector("select[name=canned]");
  var box = form.querySelector("textarea[name=body]");
  var chosen = form.querySelector("input[name=canned_reply]");
  var button = picker.querySelector("[data-canned-submit]");
  if (!select || !box || !chosen) { return; }
  if (button) { button.hidden = true; }
  select.addEventListener("change", function () {
    var option = select.options[select.selectedIndex];
    if (!option || !option.value) { chosen.value = ""; return; }
    var ask = picker.getAttribute("data-said-replace") || "Replace what is in the reply box with this reply?";
    if (box.value.trim() && !window.confirm(ask)) {
      return;
    }
    box.value = option.getAttribute("data-body") || "";
    chosen.value = option.value;
    box.focus();
  });
  picker.addEventListener("submit", function (event) { event.preventDefault(); });
})();
