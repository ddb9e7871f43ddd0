/* The skills toolbox: timers, the breathing pacer and the step-through.

   Without this script every step is on the page and the "I practised" form works.
   With it, each [data-practice] block gets a Start button:
   - guided steps with seconds run against a clock, one step at a time;
   - guided steps without seconds are walked through with Next and Back;
   - a timer (a quiet sit) counts down the chosen minutes and ends with a soft sound;
   - breathing shows a circle that grows as you breathe in and shrinks as you breathe
     out, or, with reduced motion (or the checkbox), a still circle with a count.
   Finishing or stopping after at least MIN_LOGGED seconds adds the time to the
   practice log through the page's [data-practice-form] (core/offline.js sends it,
   or keeps it on the phone until there is a signal). */
(function () {
  "use strict";

  const MIN_LOGGED = 10;
  const TICK_MS = 250;

  function readJson(id) {
    const node = document.getElementById(id);
    try {
      return node ? JSON.parse(node.textContent) : {};
    } catch (error) {
      return {};
    }
  }

  const text = readJson("toolbox-text");
  const offlineText = readJson("offline-text");

  function fill(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g, (match, key) => String(values[key]));
  }

  function clockFace(seconds) {
    const whole = Math.max(0, Math.ceil(seconds));
    const minutes = Math.floor(whole / 60);
    return `${minutes}:${String(whole % 60).padStart(2, "0")}`;
  }

  function inWords(seconds) {
    const whole = Math.round(seconds);
    if (whole < 60) return fill(text.seconds || "%(n)s seconds", { n: whole });
    const minutes = Math.floor(whole / 60);
    const rest = whole % 60;
    if (minutes < 10 && rest) return fill(text.minutes_seconds || "%(m)s min %(s)s s", { m: minutes, s: rest });
    const rounded = Math.round(whole / 60);
    return rounded === 1 ? text.minute || "1 minute" : fill(text.minutes || "%(n)s minutes", { n: rounded });
  }

  // A soft, slow two-note sound; made here, nothing is downloaded.
  function chime(audio) {
    if (!audio) return;
    const start = audio.currentTime + 0.05;
    [392, 523.25].forEach((frequency, index) => {
      const at = start + index * 0.6;
      const tone = audio.createOscillator();
      const volume = audio.createGain();
      tone.type = "sine";
      tone.frequency.value = frequency;
      volume.gain.setValueAtTime(0.0001, at);
      volume.gain.exponentialRampToValueAtTime(0.1, at + 0.8);
      volume.gain.exponentialRampToValueAtTime(0.0001, at + 4.5);
      tone.connect(volume);
      volume.connect(audio.destination);
      tone.start(at);
      tone.stop(at + 4.6);
    });
  }

  class Practice {
    constructor(root) {
      this.root = root;
      this.kind = root.dataset.kind;
      this.timed = root.hasAttribute("data-timed");
      this.steps = Array.from(root.querySelectorAll("[data-step]"));
      this.stepSeconds = this.steps.map((step) => Number(step.dataset.seconds || 0));
      this.controls = root.querySelector("[data-controls]");
      this.buttons = {};
      root.querySelectorAll("[data-action]").forEach((button) => {
        this.buttons[button.dataset.action] = button;
        button.addEventListener("click", () => this[button.dataset.action]());
      });
      this.clock = root.querySelector("[data-clock]");
      this.clockTime = root.querySelector("[data-clock-time]");
      this.clockPaused = root.querySelector("[data-clock-paused]");
      this.stepOf = root.querySelector("[data-step-of]");
      this.end = root.querySelector("[data-end]");
      this.endTime = root.querySelector("[data-end-time]");
      this.sound = root.querySelector("[data-sound]");
      this.pacer = root.querySelector("[data-pacer]");
      this.form = document.querySelector("form[data-practice-form]");
      this.running = false;
      this.timer = null;
      this.audio = null;
      this.wakeLock = null;
      if (this.pacer) this.setUpPacer();
      if (this.end) this.end.setAttribute("tabindex", "-1");
      if (this.form) {
        this.form.addEventListener("waypost:stored", (event) => this.logged(event.detail.message));
        this.form.addEventListener("waypost:queued", () => this.logged(offlineText.queued));
      }
      this.controls.hidden = false;
      this.show(["start"]);
      // On the urge page only the first step shows until Start: less to read at a hard moment.
      if (root.hasAttribute("data-preview")) root.classList.add("is-preview");
    }

    show(names) {
      for (const [name, button] of Object.entries(this.buttons)) {
        button.hidden = !names.includes(name);
      }
    }

    // --- the clock ----------------------------------------------------------------

    now() {
      return performance.now() / 1000;
    }

    // Seconds actually spent practising (pauses left out).
    practised() {
      if (!this.startedAt) return 0;
      const pausedNow = this.pausedAt ? this.now() - this.pausedAt : 0;
      return this.now() - this.startedAt - this.pausedFor - pausedNow;
    }

    // Where the exercise is: practised time plus the steps skipped with "Next step".
    position() {
      return this.practised() + this.skipped;
    }

    total() {
      if (this.kind === "guided") {
        return this.timed ? this.stepSeconds.reduce((a, b) => a + b, 0) : null;
      }
      const chosen = this.root.querySelector(".practice-minutes input:checked");
      return Number(chosen ? chosen.value : 1) * 60;
    }

    start() {
      if (this.sound && this.sound.checked && !this.audio) {
        const Audio = window.AudioContext || window.webkitAudioContext;
        try {
          this.audio = Audio ? new Audio() : null;
        } catch (error) {
          this.audio = null;
        }
      }
      this.length = this.total();
      this.startedAt = this.now();
      this.pausedFor = 0;
      this.pausedAt = null;
      this.skipped = 0;
      this.current = -1;
      this.phase = null;
      this.running = true;
      this.root.classList.remove("is-done", "is-preview");
      this.root.classList.add("is-running");
      if (this.end) this.end.hidden = true;
      this.clock.hidden = false;
      this.clockPaused.hidden = true;
      this.clockTime.hidden = !this.timed;
      if (this.pacer) this.pacer.hidden = false;
      if (this.timed) {
        this.show(this.kind === "guided" ? ["next", "pause", "stop"] : ["pause", "stop"]);
      } else {
        this.show(["back", "next", "stop"]);
      }
      this.showStep(0);
      this.keepAwake();
      this.timer = window.setInterval(() => this.tick(), TICK_MS);
      this.tick();
      (this.buttons.pause && !this.buttons.pause.hidden ? this.buttons.pause : this.buttons.next).focus();
    }

    showStep(index) {
      if (index === this.current) return;
      this.current = index;
      this.steps.forEach((step, n) => {
        step.classList.toggle("is-current", n === index);
        if (n === index) step.setAttribute("aria-current", "step");
        else step.removeAttribute("aria-current");
      });
      if (this.kind === "guided") {
        const heading = this.steps[index].querySelector("h2, h3");
        const number = heading && heading.querySelector(".step-no");
        const title = heading ? heading.textContent.slice(number ? number.textContent.length : 0).trim() : "";
        const label = fill(text.step || "Step %(n)s of %(total)s", { n: index + 1, total: this.steps.length });
        this.stepOf.textContent = title ? `${label}: ${title}` : label;
      }
      if (!this.timed && this.buttons.back) {
        this.buttons.back.disabled = index === 0;
      }
    }

    tick() {
      if (!this.running || this.pausedAt) return;
      if (!this.timed) return;
      const at = this.position();
      const left = this.length - at;
      this.clockTime.textContent = clockFace(left);
      this.clockTime.setAttribute("aria-label", fill(text.left || "%(time)s left", { time: clockFace(left) }));
      if (this.kind === "guided") {
        let edge = 0;
        for (let index = 0; index < this.steps.length; index += 1) {
          edge += this.stepSeconds[index];
          if (at < edge) {
            this.showStep(index);
            break;
          }
        }
      }
      if (this.pacer) this.pace(at);
      if (left <= 0) this.finish(true);
    }

    // --- the buttons ----------------------------------------------------------------

    next() {
      if (!this.running) return;
      if (!this.timed) {
        if (this.current + 1 >= this.steps.length) this.finish(true);
        else this.showStep(this.current + 1);
        return;
      }
      let edge = 0;
      for (let index = 0; index <= this.current; index += 1) edge += this.stepSeconds[index];
      this.skipped += Math.max(0, edge - this.position());
      this.tick();
    }

    back() {
      if (this.running && !this.timed && this.current > 0) this.showStep(this.current - 1);
    }

    pause() {
      if (!this.running || this.pausedAt) return;
      this.pausedAt = this.now();
      this.clockPaused.hidden = false;
      if (this.pacer) this.pacer.classList.add("is-paused");
      this.show(["resume", "stop"]);
      this.buttons.resume.focus();
    }

    resume() {
      if (!this.pausedAt) return;
      this.pausedFor += this.now() - this.pausedAt;
      this.pausedAt = null;
      this.clockPaused.hidden = true;
      if (this.pacer) this.pacer.classList.remove("is-paused");
      this.show(this.kind === "guided" ? ["next", "pause", "stop"] : ["pause", "stop"]);
      this.buttons.pause.focus();
      this.tick();
    }

    stop() {
      if (this.running) this.finish(!this.timed);
    }

    finish(completed) {
      const practised = this.practised();
      this.running = false;
      window.clearInterval(this.timer);
      this.letSleep();
      this.root.classList.remove("is-running");
      this.root.classList.add("is-done");
      this.steps.forEach((step) => {
        step.classList.remove("is-current");
        step.removeAttribute("aria-current");
      });
      this.clock.hidden = true;
      if (this.pacer) {
        this.pacer.hidden = true;
        this.pacer.classList.remove("is-in", "is-hold", "is-out", "is-rest", "is-paused");
      }
      this.show(["start"]);
      const said = completed
        ? fill(text.done || "Finished: %(time)s.", { time: inWords(practised) })
        : fill(text.stopped || "You stopped after %(time)s.", { time: inWords(practised) });
      if (this.end) {
        this.end.hidden = false;
        this.endTime.textContent = said;
        this.end.focus();
      }
      if (completed && this.timed) {
        if (this.sound && this.sound.checked) chime(this.audio);
        if (navigator.vibrate) navigator.vibrate([120, 80, 120]);
      }
      this.log(practised);
    }

    // --- the practice log -------------------------------------------------------------

    log(practised) {
      const seconds = Math.round(practised);
      if (!this.form || seconds < MIN_LOGGED || typeof this.form.requestSubmit !== "function") return;
      const field = (name) => this.form.querySelector(`input[name=${name}]`);
      field("skill").value = this.root.dataset.skill;
      field("seconds").value = String(seconds);
      const minutes = field("minutes");
      const typed = minutes ? minutes.value : "";
      if (minutes) minutes.value = "";
      this.autoLogging = true;
      this.form.requestSubmit();
      // The submission has taken its copy of the fields: put the form back as it was.
      field("seconds").value = "";
      if (minutes) minutes.value = typed;
    }

    logged(message) {
      if (!this.autoLogging) return;
      this.autoLogging = false;
      const note = this.form.querySelector(".offline-note");
      if (note) note.remove();
      if (this.endTime && message) this.endTime.textContent = `${this.endTime.textContent} ${message}`;
    }

    // --- the screen stays on while a practice runs -----------------------------------------

    keepAwake() {
      if (!("wakeLock" in navigator)) return;
      navigator.wakeLock
        .request("screen")
        .then((lock) => {
          this.wakeLock = lock;
        })
        .catch(() => {});
    }

    letSleep() {
      if (this.wakeLock) this.wakeLock.release().catch(() => {});
      this.wakeLock = null;
    }

    // --- the breathing pacer -------------------------------------------------------------

    setUpPacer() {
      const seconds = (name) => Number(this.root.dataset[name] || 0);
      this.phases = [
        ["in", seconds("in"), text.breathe_in],
        ["hold", seconds("hold"), text.hold],
        ["out", seconds("out"), text.breathe_out],
        ["rest", seconds("rest"), text.rest],
      ].filter(([, length]) => length > 0);
      this.breath = this.phases.reduce((sum, [, length]) => sum + length, 0);
      this.circle = this.pacer.querySelector("[data-pacer-circle]");
      this.word = this.pacer.querySelector("[data-pacer-word]");
      this.count = this.pacer.querySelector("[data-pacer-count]");
      const still = this.pacer.querySelector("[data-pacer-still]");
      const reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      still.checked = Boolean(reduced);
      this.pacer.classList.toggle("is-still", still.checked);
      still.addEventListener("change", () => this.pacer.classList.toggle("is-still", still.checked));
      this.phase = null;
    }

    pace(at) {
      if (!this.breath) return;
      let within = at % this.breath;
      for (const [name, length, word] of this.phases) {
        if (within < length) {
          if (this.phase !== name) {
            this.phase = name;
            this.circle.style.transitionDuration = `${length}s`;
            this.pacer.classList.remove("is-in", "is-hold", "is-out", "is-rest");
            this.pacer.classList.add(`is-${name}`);
            this.word.textContent = word || "";
          }
          this.count.textContent = String(Math.ceil(length - within));
          return;
        }
        within -= length;
      }
    }
  }

  document.querySelectorAll("[data-practice]").forEach((root) => new Practice(root));
})();
