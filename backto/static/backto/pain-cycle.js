// The pain-cycle explainer in the browser: the model of backto/clinical/pain_cycle.py, line
// for line and in the same order of arithmetic (a browser test checks that both give the same
// numbers and words), and the page that moves with the sliders without asking the server.
(function () {
  "use strict";

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

  function describe(s) {
    var beats = run(s);
    var gain = loopGain(s);
    var result = outcome(s, beats);
    var levers = LEVERS.map(function (name) { return name + " " + s[name]; }).join(", ");
    var trip = gain < 1 ? "weaker than" : gain === 1 ? "as strong as" : "stronger than";
    var parts = [
      "Stimulus " + s.stimulus + " of 10, alarm sensitivity " + s.sensitivity + " of 10; " +
        "treatment: " + levers + ".",
      "Loop gain " + gainText(gain) + ": each trip round the loop is " + trip + " the last.",
    ];
    var peak = Math.max.apply(null, beats.map(function (b) { return shown(b.brain); }));
    var last = shown(beats[beats.length - 1].brain);
    var stops = "The alarm peaks at " + peak + " of 10. After the stimulus stops at beat " +
      STIMULUS_STEPS + ", ";
    if (result[0] === "no stimulus") {
      parts.push("With no stimulus, the alarm stays quiet.");
    } else if (result[0] === "fades") {
      parts.push(stops + "the alarm fades and is quiet by beat " + result[1] + ".");
    } else if (result[0] === "fading") {
      parts.push(stops + "it fades slowly: still " + last + " of 10 at beat " + beats.length + ".");
    } else {
      parts.push(stops + "the signal keeps going round the loop: still " + last + " of 10 at " +
        "beat " + beats.length + ", a false alarm after the danger is gone.");
    }
    return parts.join(" ");
  }

  function describeBeat(beat) {
    var stimulus = beat.stimulus ? "stimulus " + shown(beat.stimulus) : "no stimulus";
    return "Beat " + (beat.index + 1) + ": " + stimulus + "; nerves " + shown(beat.nerves) +
      ", brain " + shown(beat.brain) + ", muscles " + shown(beat.muscles) +
      ", blood flow signal " + shown(beat.blood_flow) + ", out of 10.";
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
      beatInput.setAttribute("aria-valuetext", "Beat " + (i + 1) + " of " + STEPS);
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
        input.setAttribute("aria-valuetext", input.value + " of 10");
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
      play.textContent = "Play the loop";
    }

    play.addEventListener("click", function () {
      if (timer) { stop(); return; }
      if (reduceMotion.matches) { showBeat(beats.length - 1); return; }
      var i = 0;
      play.setAttribute("aria-pressed", "true");
      play.textContent = "Pause";
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
