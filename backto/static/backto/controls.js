// The rating slider (backto/core/widgets.py RatingSlider): shows the chosen number and says it
// with its words to screen readers, and ticks "I'll rate it" once the slider is moved, so only a
// number the child chose is recorded. Without this script the slider and the box still work.
(function () {
  "use strict";
  function text(box, range) {
    var value = range.value;
    if (value === range.min) { return value + ", " + box.getAttribute("data-low-words"); }
    if (value === range.max) { return value + ", " + box.getAttribute("data-high-words"); }
    // The words come from the page, in the reader's language ("{value} out of {high}").
    return box.getAttribute("data-out-of").replace("{value}", value).replace("{high}", range.max);
  }
  function show(box) {
    var range = box.querySelector("input[type=range]");
    var rated = box.querySelector(".rating-slider-rated input");
    var output = box.querySelector("output");
    box.classList.toggle("unrated", !rated.checked);
    output.textContent = rated.checked ? range.value : "\u2013";
    range.setAttribute("aria-valuetext", rated.checked ? text(box, range) : box.getAttribute("data-not-rated"));
  }
  function setUp(box) {
    var range = box.querySelector("input[type=range]");
    var rated = box.querySelector(".rating-slider-rated input");
    if (!range || !rated || box.hasAttribute("data-ready")) { return; }
    box.setAttribute("data-ready", "");
    range.addEventListener("input", function () { rated.checked = true; show(box); });
    rated.addEventListener("change", function () { show(box); });
    show(box);
  }
  function all() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-rating-slider]"), setUp);
  }
  window.backtoControls = { refresh: function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-rating-slider]"), show);
  } };
  all();
})();
