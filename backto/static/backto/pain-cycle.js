// The pain-cycle explainer in the browser: the model of backto/clinical/pain_cycle.py, line
// for line and in the same order of arithmetic (a browser test checks that both give the same
// numbers and words), and the page that moves with the sliders without asking the server.
// Its words are the page's: sentence templates in the reader's language, rendered by the server
// into the explainer's data-words (backto/capabilities/learning/explainer.py). This file has none.
(function () {
  "use strict";

  var root0 = document.querySelector("[data-pain-cycle]");
  var WORDS = root0 && root0.dataset.words ? JSON.parse(root0.dataset.words) : {};

  // A template's %(name)s placeholders filled from values, as Python's % does.
  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, name) { return String(values[name]); });
  }

  var STEPS = 24;
  var STIMULUS_STEPS = 4;
  var SIGNAL_MAX = 10.0;
  var QUIET = 0.5;
  var LEVERS = ["movement", "desensitization", "coping", "sleep"];
  var STAGES = ["nerves", "brain", "muscles", "blood_flow"];

  function stageGains(s) {
    return {
      nerves: 0.8 + 0.06 * s.sensitivity - 0.035 * s.desensitization - 0.01 * s.sleep,
      brain: 0.8 + 0.06 * s.sensitivity - 0.03 * s.coping - 0.01 * s.sleep,
      muscles: 0.9 - 0.02 * s.movement,
      blood_flow: 0.9 - 0.02 * s.movement,
    };
  }

  function loopGain(s) {
    var g = stageGains(s);
    return g.nerves * g.brain * g.muscles * g.blood_flow;
  }

  function run(s, steps) {
    var g = stageGains(s);
    var beats = [];
    var fedBack = 0.0;
    for (var index = 0; index < (steps || STEPS); index++) {
      var stimulus = index < STIMULUS_STEPS ? s.stimulus : 0.0;
      var nerves = Math.min(SIGNAL_MAX, g.nerves * (stimulus + fedBack));
      var brain = Math.min(SIGNAL_MAX, g.brain * nerves);
      var muscles = Math.min(SIGNAL_MAX, g.muscles * brain);
      var bloodFlow = Math.min(SIGNAL_MAX, g.blood_flow * muscles);
      beats.push({
        index: index,
        stimulus: stimulus,
        nerves: nerves,
        brain: brain,
        muscles: muscles,
        blood_flow: bloodFlow,
      });
      fedBack = bloodFlow;
    }
    return beats;
  }

  function outcome(s, beats) {
    if (s.stimulus === 0) return ["no stimulus", null];
    if (loopGain(s) >= 1) return ["keeps looping", null];
    for (var i = STIMULUS_STEPS; i < beats.length; i++) {
      if (beats[i].brain < QUIET) return ["fades", beats[i].index + 1];
    }
    return ["fading", null];
  }

  function shown(value) {
    return Math.floor(value + 0.5);
  }

  function gainText(gain) {
    var hundredths = Math.floor(gain * 100 + 0.5);
    var cents = String(hundredths % 100);
    return Math.floor(hundredths / 100) + "." + (cents.length < 2 ? "0" + cents : cents);
  }

  function describe(s, words) {
    words = typeof words === "object" && words ? words : WORDS;  // not map()'s index
    var beats = run(s);
    var gain = loopGain(s);
    var result = outcome(s, beats);
    var levers = LEVERS.map(function (name) { return words[name] + " " + s[name]; }).join(", ");
    var trip = gain < 1 ? "weaker" : gain === 1 ? "as_strong" : "stronger";
    var parts = [
      fill(words.settings, {stimulus: s.stimulus, sensitivity: s.sensitivity, levers: levers}),
      fill(words[trip], {gain: gainText(gain)}),
    ];
    var numbers = {
      peak: Math.max.apply(null, beats.map(function (b) { return shown(b.brain); })),
      last: shown(beats[beats.length - 1].brain),
      stop: STIMULUS_STEPS,
      quiet: result[1],
      beats: beats.length,
    };
    var key = {"no stimulus": "no_stimulus", "keeps looping": "keeps_looping"}[result[0]] ||
      result[0];
    parts.push(fill(words[key], numbers));
    return parts.join(" ");
  }

  function describeBeat(beat, words) {
    words = typeof words === "object" && words ? words : WORDS;  // not map()'s index
    return fill(words[beat.stimulus ? "beat" : "beat_no_stimulus"], {
      beat: beat.index + 1,
      stimulus: shown(beat.stimulus),
      nerves: shown(beat.nerves),
      brain: shown(beat.brain),
      muscles: shown(beat.muscles),
      blood_flow: shown(beat.blood_flow),
    });
  }

  window.BackToPainCycle = {
    stageGains: stageGains,
    loopGain: loopGain,
    run: run,
    outcome: outcome,
    describe: describe,
    describeBeat: describeBeat,
    gainText: gainText,
  };

  // The page.
  function opacity(value) {
    return (0.12 + 0.88 * value / SIGNAL_MAX).toFixed(2);
  }

  function start(root) {
    var form = root.querySelector("form[data-sliders]");
    var inputs = form.querySelectorAll("input[type=range]");
    var chart = root.querySelector("[data-chart]");
    var box = {
      left: Number(chart.dataset.left),
      right: Number(chart.dataset.right),
      top: Number(chart.dataset.top),
      bottom: Number(chart.dataset.bottom),
    };
    var line = chart.querySelector("[data-alarm-line]");
    var marker = chart.querySelector("[data-marker]");
    var beatInput = root.querySelector("[data-beat]");
    var beatOutput = root.querySelector("[data-beat-output]");
    var beatText = root.querySelector("[data-beat-text]");
    var summary = root.querySelector("[data-summary]");
    var gainOut = root.querySelector("[data-gain]");
    var play = root.querySelector("[data-play]");
    var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
    var beats = [];
    var timer = null;
    var summaryTimer = null;

    function x(i) { return box.left + (box.right - box.left) * i / (STEPS - 1); }
    function y(v) { return box.bottom - (box.bottom - box.top) * v / SIGNAL_MAX; }

    function settings() {
      var s = {};
      inputs.forEach(function (input) { s[input.name] = Number(input.value); });
      return s;
    }

    function showBeat(i) {
      var beat = beats[i];
      beatInput.value = String(i + 1);
      beatInput.setAttribute("aria-valuetext", fill(WORDS.beat_of, {beat: i + 1, steps: STEPS}));
      beatOutput.textContent = String(i + 1);
      ["stimulus"].concat(STAGES).forEach(function (key) {
        var node = root.querySelector("[data-node=" + key + "]");
        node.querySelector("circle").setAttribute("fill-opacity", opacity(beat[key]));
        node.querySelector("[data-value]").textContent = String(shown(beat[key]));
      });
      marker.setAttribute("cx", x(i).toFixed(1));
      marker.setAttribute("cy", y(beat.brain).toFixed(1));
      beatText.textContent = describeBeat(beat);
    }

    function redraw() {
      var s = settings();
      beats = run(s);
      inputs.forEach(function (input) {
        input.setAttribute("aria-valuetext", fill(WORDS.of_ten, {value: input.value}));
        form.querySelector("output[for=" + input.id + "]").textContent = input.value;
      });
      line.setAttribute("points", beats.map(function (b) {
        return x(b.index).toFixed(1) + "," + y(b.brain).toFixed(1);
      }).join(" "));
      gainOut.textContent = gainText(loopGain(s));
      showBeat(beats.length - 1);
      // Words follow the sliders once they rest, so a screen reader is not talked over.
      clearTimeout(summaryTimer);
      summaryTimer = setTimeout(function () { summary.textContent = describe(s); }, 300);
    }

    function stop() {
      clearInterval(timer);
      timer = null;
      play.setAttribute("aria-pressed", "false");
      play.textContent = WORDS.play;
    }

    play.addEventListener("click", function () {
      if (timer) { stop(); return; }
      if (reduceMotion.matches) { showBeat(beats.length - 1); return; }
      var i = 0;
      play.setAttribute("aria-pressed", "true");
      play.textContent = WORDS.pause;
      showBeat(i);
      timer = setInterval(function () {
        i += 1;
        if (i >= beats.length) { stop(); return; }
        showBeat(i);
      }, 450);
    });
    root.querySelectorAll("[data-step]").forEach(function (button) {
      button.addEventListener("click", function () {
        stop();
        var i = Number(beatInput.value) - 1 + Number(button.dataset.step);
        showBeat(Math.max(0, Math.min(beats.length - 1, i)));
      });
    });
    beatInput.addEventListener("input", function () {
      stop();
      showBeat(Number(beatInput.value) - 1);
    });
    inputs.forEach(function (input) { input.addEventListener("input", function () { stop(); redraw(); }); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    root.querySelectorAll("[data-preset]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        var preset = JSON.parse(button.dataset.preset);
        inputs.forEach(function (input) { input.value = String(preset[input.name]); });
        stop();
        redraw();
      });
    });
    root.querySelectorAll("[data-needs-script]").forEach(function (el) { el.hidden = false; });
    root.querySelectorAll("[data-without-script]").forEach(function (el) { el.hidden = true; });
    redraw();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-pain-cycle]").forEach(start);
  });
})();
