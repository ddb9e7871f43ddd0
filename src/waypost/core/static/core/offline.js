/* Waypost without a signal: the service worker's registration and the offline queue.

   Service worker: a signed-in client's pages (<body data-offline-user="…">) register
   /sw.js?keep=pages, which keeps the pages for a hard moment. Everyone else signed in
   (<body data-push-only>: clinicians, clinic admins, allies) gets /sw.js, the same
   worker in push-only mode: it shows their notifications and keeps nothing (a worker
   that kept a client's pages is told to forget them first). Signing out asks the worker
   to drop its caches before the form goes (the server's Clear-Site-Data header does the
   rest), and the next page, for nobody signed in, unregisters any worker left (which
   also ends that device's notifications). A page for nobody signed in after a session
   that simply ran out keeps notifications: a worker that kept a client's pages drops
   them and gives way to the push-only one.
   WaypostOffline.worker() registers this page's worker and resolves with its
   registration once active (the notification choices page subscribes through it).

   Offline queue: a form marked data-offline-queue is sent with fetch and the header
   X-Waypost-Replay: 1. The server answers 201/200 {"stored": true} or 400 {"errors"}.
   When the network is down (or the server fails, 5xx) the submission, with every
   field including its client_uuid and CSRF token, is kept in IndexedDB and sent again
   when the browser is back online (the "online" event) and on every page load. 2xx or
   400 removes an entry (a 400 is told to the person); anything else keeps it. Each
   entry is claimed in IndexedDB before it is sent, so two tabs never send the same
   entry at once (and the server stores a client_uuid once whatever happens).

   Form attributes: data-offline-queue (required); data-offline-next (go there after a
   save) and data-offline-done (what to say), which the server's JSON "next" and
   "message" override; data-offline-stay (stay on the page after a save). Without any of
   these, a save with a signal is followed by the ordinary submission, which the server
   answers as usual (the same client_uuid: nothing is stored twice). A 400 with a
   signal also submits the form the ordinary way, so the server shows what to change.
   Every showing of a page gives its queued forms a fresh client_uuid. Events on the
   form: "waypost:stored" and "waypost:queued". */
(function () {
  "use strict";

  const body = document.body;
  const user = (body && body.dataset.offlineUser) || "";
  // Signed in, not a client: the worker for notifications only.
  const pushOnly = !user && Boolean(body && body.hasAttribute("data-push-only"));
  const KEEPING_WORKER = "/sw.js?keep=pages";
  const PUSH_WORKER = "/sw.js";
  const DB_NAME = "waypost-offline";
  const QUEUE = "queue";
  const SENDING = "sending";
  const CLAIM_MS = 60 * 1000;
  const WARM_EVERY_MS = 15 * 60 * 1000;
  const WARMED_KEY = "waypost-warmed";
  // Set by the sign-out form: the next page (nobody signed in) ends notifications too.
  const SIGNED_OUT_KEY = "waypost-signed-out";
  const FLASH_KEY = "waypost-saved";
  const text = readText();

  function readText() {
    const node = document.getElementById("offline-text");
    try {
      return node ? JSON.parse(node.textContent) : {};
    } catch (error) {
      return {};
    }
  }

  function say(key, fallback) {
    return text[key] || fallback;
  }

  function newUuid() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  // --- IndexedDB ------------------------------------------------------------------

  let dbPromise = null;

  function openDb() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const request = window.indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = () => {
          const db = request.result;
          if (!db.objectStoreNames.contains(QUEUE)) db.createObjectStore(QUEUE, { keyPath: "id" });
          if (!db.objectStoreNames.contains(SENDING)) db.createObjectStore(SENDING, { keyPath: "id" });
        };
        request.onsuccess = () => {
          const db = request.result;
          // Signing out elsewhere (Clear-Site-Data) may delete the database: let it go.
          db.onversionchange = () => {
            db.close();
            dbPromise = null;
          };
          resolve(db);
        };
        request.onerror = () => reject(request.error);
        request.onblocked = () => reject(new Error("blocked"));
      });
    }
    return dbPromise;
  }

  // Runs fn(stores) in one transaction; resolves with fn's result once it has committed.
  async function inTransaction(names, mode, fn) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(names, mode);
      const stores = names.map((name) => tx.objectStore(name));
      let result;
      Promise.resolve(fn(...stores)).then((value) => {
        result = value;
      });
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }

  function asPromise(request) {
    return new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  function enqueue(entry) {
    return inTransaction([QUEUE], "readwrite", (queue) => {
      queue.put(entry);
    });
  }

  async function pending() {
    const all = await inTransaction([QUEUE], "readonly", (queue) => asPromise(queue.getAll()));
    return (all || []).filter((entry) => entry.user === user).sort((a, b) => a.queuedAt - b.queuedAt);
  }

  // Claim an entry for sending: false if it is gone or another tab is sending it now.
  // One readwrite transaction over both stores, so two tabs cannot both claim it.
  function claim(id) {
    return inTransaction([QUEUE, SENDING], "readwrite", async (queue, sending) => {
      const entry = await asPromise(queue.get(id));
      if (!entry) return false;
      const claimed = await asPromise(sending.get(id));
      const now = Date.now();
      if (claimed && now - claimed.at < CLAIM_MS) return false;
      sending.put({ id, at: now });
      return true;
    });
  }

  function finish(id) {
    return inTransaction([QUEUE, SENDING], "readwrite", (queue, sending) => {
      queue.delete(id);
      sending.delete(id);
    });
  }

  function release(id) {
    return inTransaction([SENDING], "readwrite", (sending) => {
      sending.delete(id);
    });
  }

  // --- sending ----------------------------------------------------------------------

  function currentToken() {
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function fieldsOf(form, submitter) {
    // A form without its own client_uuid gets one, in the form itself, so that an
    // ordinary submission after this one carries the same id.
    if (!form.querySelector("input[name=client_uuid]")) {
      const field = document.createElement("input");
      field.type = "hidden";
      field.name = "client_uuid";
      field.value = newUuid();
      form.appendChild(field);
    }
    const data = submitter ? new FormData(form, submitter) : new FormData(form);
    const fields = [];
    for (const [name, value] of data.entries()) {
      if (typeof value === "string") fields.push([name, value]);
    }
    return fields;
  }

  // The page's own token is fresher than the one kept with an entry (it changes at sign-in).
  function bodyOf(fields) {
    const token = currentToken();
    const params = new URLSearchParams();
    for (const [name, value] of fields) {
      params.append(name, name === "csrfmiddlewaretoken" && token ? token : value);
    }
    return params;
  }

  function errorText(json) {
    const errors = json && json.errors;
    if (!errors) return "";
    if (typeof errors === "string") return errors;
    const lines = [];
    for (const messages of Object.values(errors)) {
      for (const message of [].concat(messages)) {
        lines.push(typeof message === "string" ? message : (message && message.message) || "");
      }
    }
    return lines.filter(Boolean).join(" ");
  }

  // "stored", "refused" (400: never send again), "retry" (no signal, 5xx) or "signed-out".
  async function send(url, fields) {
    let response;
    try {
      response = await fetch(url, {
        method: "POST",
        body: bodyOf(fields),
        credentials: "same-origin",
        redirect: "manual",
        headers: { "X-Waypost-Replay": "1", Accept: "application/json" },
      });
    } catch (error) {
      return { outcome: "retry" };
    }
    let json = null;
    try {
      json = await response.clone().json();
    } catch (error) {
      json = null;
    }
    if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
      return { outcome: "signed-out", status: response.status };
    }
    if (response.status >= 200 && response.status < 300) return { outcome: "stored", json };
    if (response.status === 400) return { outcome: "refused", json, message: errorText(json) };
    if (response.status >= 500 || response.status === 408 || response.status === 429) {
      return { outcome: "retry", status: response.status };
    }
    // Anything else (a page that went away …) will not get better by trying again.
    return { outcome: "refused", json, message: "" };
  }

  // --- telling the person --------------------------------------------------------------

  function statusArea() {
    let area = document.getElementById("offline-status");
    if (!area) {
      area = document.createElement("div");
      area.id = "offline-status";
      area.className = "offline-status";
      area.setAttribute("role", "status");
      area.setAttribute("aria-live", "polite");
      const main = document.getElementById("main") || document.body;
      main.insertBefore(area, main.firstChild);
    }
    return area;
  }

  function tell(message, kind) {
    if (!message) return;
    const line = document.createElement("p");
    line.className = kind === "error" ? "message message-error" : "message";
    line.textContent = message;
    statusArea().appendChild(line);
  }

  function noteNear(form, message) {
    let note = form.querySelector(".offline-note");
    if (!note) {
      note = document.createElement("p");
      note.className = "offline-note message";
      note.setAttribute("role", "status");
      form.appendChild(note);
    }
    note.textContent = message;
  }

  // --- replaying the queue ---------------------------------------------------------------

  let replaying = null;

  function replay() {
    if (!user || !window.indexedDB) return Promise.resolve();
    if (!replaying) {
      replaying = replayAll().finally(() => {
        replaying = null;
      });
    }
    return replaying;
  }

  async function replayAll() {
    let entries;
    try {
      entries = await pending();
    } catch (error) {
      return;
    }
    let sent = 0;
    for (const entry of entries) {
      if (!(await claim(entry.id))) continue;
      const result = await send(entry.url, entry.fields);
      if (result.outcome === "stored") {
        await finish(entry.id);
        sent += 1;
      } else if (result.outcome === "refused") {
        await finish(entry.id);
        const reason = result.message || say("unknown", "it was not accepted.");
        tell(`${say("refused", "One saved entry could not be sent:")} ${reason}`, "error");
      } else {
        // Still no signal, or signed out: try again later (after signing in again).
        await release(entry.id);
        break;
      }
    }
    if (sent === 1) tell(say("sent_one", "Your saved entry has been sent."));
    if (sent > 1) tell(say("sent_many", "Your saved entries have been sent."));
  }

  // --- forms ------------------------------------------------------------------------------

  function freshUuid(form) {
    const field = form.querySelector("input[name=client_uuid]");
    if (field) field.value = newUuid();
  }

  // After a save with a signal:
  // - the server's "next" (or the form's data-offline-next): go there, carrying the
  //   server's "message" (or data-offline-done) in sessionStorage (wiped at sign-out);
  // - a form marked data-offline-stay: say so beside the form and stay;
  // - otherwise the form is sent once more the ordinary way. The server knows its
  //   client_uuid, keeps nothing new, and answers as it always does: its own words and
  //   its own next page.
  function afterSave(form, json) {
    const message = (json && json.message) || form.dataset.offlineDone || say("stored", "Saved.");
    const next = (json && json.next) || form.dataset.offlineNext;
    if (next) {
      try {
        window.sessionStorage.setItem(FLASH_KEY, message);
      } catch (error) {
        // shown nowhere: the entry is kept all the same
      }
      window.location.assign(next);
      return;
    }
    if (!form.hasAttribute("data-offline-stay")) {
      HTMLFormElement.prototype.submit.call(form);
      return;
    }
    noteNear(form, message);
    form.reset();
    freshUuid(form);
    form.dispatchEvent(new CustomEvent("waypost:stored", { detail: json || {} }));
  }

  async function keepForLater(form, entry) {
    // When it really happened: the server may use it (core.offline.queued_at).
    entry.fields.push(["queued_at", new Date().toISOString()]);
    await enqueue(entry);
    noteNear(form, say("queued", "Saved on this phone; it will be sent when you are back online."));
    form.reset();
    freshUuid(form);
    form.dispatchEvent(new CustomEvent("waypost:queued", { detail: { id: entry.id } }));
  }

  async function submitQueued(form, submitter) {
    const fields = fieldsOf(form, submitter);
    const entry = {
      id: newUuid(),
      url: form.action,
      fields,
      user,
      label: form.dataset.offlineLabel || "",
      queuedAt: Date.now(),
    };
    if (!navigator.onLine) {
      await keepForLater(form, entry);
      return;
    }
    const result = await send(entry.url, entry.fields);
    if (result.outcome === "stored") {
      afterSave(form, result.json);
    } else if (result.outcome === "retry") {
      await keepForLater(form, entry);
    } else {
      // A 400 (the page shows what to change) or signed out (the sign-in page):
      // the ordinary submission lets the server say it, nothing was stored.
      HTMLFormElement.prototype.submit.call(form);
    }
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-offline-queue")) return;
    if (!user || !window.indexedDB || !window.fetch) return; // the ordinary submission
    event.preventDefault();
    const buttons = form.querySelectorAll("button[type=submit], button:not([type])");
    buttons.forEach((button) => {
      button.disabled = true;
    });
    submitQueued(form, event.submitter)
      .catch(() => HTMLFormElement.prototype.submit.call(form))
      .finally(() => {
        buttons.forEach((button) => {
          button.disabled = false;
        });
      });
  });

  // --- the service worker --------------------------------------------------------------------

  function tellWorker(worker, type, waitMs) {
    return new Promise((resolve) => {
      if (!worker) {
        resolve();
        return;
      }
      const channel = new MessageChannel();
      const timer = setTimeout(resolve, waitMs);
      channel.port1.onmessage = () => {
        clearTimeout(timer);
        resolve();
      };
      worker.postMessage({ type }, [channel.port2]);
    });
  }

  async function forgetEverywhere() {
    if (!("serviceWorker" in navigator)) return;
    const registrations = await navigator.serviceWorker.getRegistrations();
    await Promise.all(
      registrations.map(async (registration) => {
        await tellWorker(registration.active, "forget", 1500);
        await registration.unregister();
      }),
    );
  }

  function warmIfDue() {
    const controller = navigator.serviceWorker.controller;
    if (!controller) return; // a worker installing now keeps the pages itself
    let last = 0;
    try {
      const kept = JSON.parse(window.localStorage.getItem(WARMED_KEY) || "{}");
      if (kept.user === user) last = kept.at || 0;
    } catch (error) {
      last = 0;
    }
    if (Date.now() - last < WARM_EVERY_MS) return;
    try {
      window.localStorage.setItem(WARMED_KEY, JSON.stringify({ user, at: Date.now() }));
    } catch (error) {
      // private mode: warm every time
    }
    controller.postMessage({ type: "warm" });
  }

  function keepsPages(worker) {
    return Boolean(worker) && new URL(worker.scriptURL).searchParams.get("keep") === "pages";
  }

  // Registers this page's worker (again: the browser does nothing new for the same
  // address). Rejects where there is none: nobody signed in, or no support.
  async function register() {
    if (!("serviceWorker" in navigator) || !window.isSecureContext || !(user || pushOnly)) {
      throw new Error("no worker here");
    }
    if (pushOnly && keepsPages(navigator.serviceWorker.controller)) {
      // Left from a client's session that did not sign out here: drop what it kept now.
      await tellWorker(navigator.serviceWorker.controller, "forget", 1500);
    }
    return navigator.serviceWorker.register(user ? KEEPING_WORKER : PUSH_WORKER, { scope: "/" });
  }

  // This page's worker's registration, once its worker is active.
  async function worker() {
    await register();
    return navigator.serviceWorker.ready;
  }

  // Nobody signed in. After signing out here: the worker goes, and with it notifications
  // on this device. After a session that simply ran out: a worker that kept a client's
  // pages drops them and gives way to the push-only one, so that notifications turned
  // on (a clinician's risk alerts) still arrive; a push-only worker keeps nothing anyway.
  async function settleWhenSignedOut() {
    let signedOut = false;
    try {
      signedOut = window.localStorage.getItem(SIGNED_OUT_KEY) === "1";
      window.localStorage.removeItem(SIGNED_OUT_KEY);
    } catch (error) {
      signedOut = true; // nothing can be told apart: do as after signing out
    }
    if (signedOut) {
      await forgetEverywhere();
      return;
    }
    const registration = await navigator.serviceWorker.getRegistration("/");
    if (!registration) return;
    const active = registration.active;
    if (keepsPages(active)) {
      await tellWorker(active, "forget", 1500);
      await navigator.serviceWorker.register(PUSH_WORKER, { scope: "/" });
    }
  }

  function startWorker() {
    if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
    if (!user && !pushOnly) {
      settleWhenSignedOut().catch(() => {});
      return;
    }
    register()
      .then(() => {
        if (user) warmIfDue();
      })
      .catch(() => {});
  }

  // Before signing out: send what is waiting (if there is a signal), then have the
  // worker drop what it kept. The form then goes as usual.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-sign-out")) return;
    if (form.dataset.signingOut) return;
    event.preventDefault();
    form.dataset.signingOut = "1";
    const work = (async () => {
      if (navigator.onLine) await replay();
      if ("serviceWorker" in navigator && navigator.serviceWorker.controller) {
        await tellWorker(navigator.serviceWorker.controller, "forget", 1500);
      }
      try {
        window.localStorage.removeItem(WARMED_KEY);
        window.localStorage.setItem(SIGNED_OUT_KEY, "1");
      } catch (error) {
        // nothing kept (and the next page ends notifications whatever it finds)
      }
    })();
    const limit = new Promise((resolve) => setTimeout(resolve, 4000));
    Promise.race([work, limit])
      .catch(() => {})
      .finally(() => HTMLFormElement.prototype.submit.call(form));
  });

  window.addEventListener("online", () => {
    replay();
  });

  // Each showing of a page is a new submission: a page kept for use without a signal
  // carries the client_uuid of when it was kept, and the server would take a second
  // entry made from it for a retry of the first one, and keep nothing.
  window.addEventListener("pageshow", () => {
    document.querySelectorAll("form[data-offline-queue]").forEach((form) => freshUuid(form));
  });

  function showFlash() {
    try {
      const message = window.sessionStorage.getItem(FLASH_KEY);
      if (message) {
        window.sessionStorage.removeItem(FLASH_KEY);
        tell(message);
      }
    } catch (error) {
      // nothing to show
    }
  }

  function start() {
    startWorker();
    showFlash();
    if (user && navigator.onLine) replay();
    else if (user) {
      pending()
        .then((entries) => {
          if (entries.length) tell(say("waiting", "Saved on this phone; it will be sent when you are back online."));
        })
        .catch(() => {});
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }

  window.WaypostOffline = { replay, pending, newUuid, worker };
})();
