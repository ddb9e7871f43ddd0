/* Turning notifications on and off for this device, on the notification choices page.

   "Turn on" asks the browser for permission, subscribes through the page's service
   worker (WaypostOffline.worker()) with the server's public VAPID key, and gives the server the
   subscription (where to post, and the keys to encrypt for this device). "Turn off"
   tells the server to forget it and unsubscribes. Opening the page again re-sends a
   subscription the browser still has, so the server keeps it if it had dropped it.
   The worker shows what arrives: "Waypost", "You have something new". */
"use strict";

(() => {
  const box = document.querySelector("[data-push]");
  if (!box) return;
  const onButton = box.querySelector("[data-push-on]");
  const offButton = box.querySelector("[data-push-off]");
  const status = box.querySelector("[data-push-status]");
  const token = box.querySelector("input[name=csrfmiddlewaretoken]");
  const csrf = token ? token.value : "";

  function say(key, text) {
    status.textContent = text || status.dataset["text" + key] || "";
  }

  function supported() {
    return (
      window.isSecureContext &&
      "serviceWorker" in navigator &&
      "PushManager" in window &&
      "Notification" in window
    );
  }

  function keyBytes(base64url) {
    const padded = (base64url + "===".slice((base64url.length + 3) % 4))
      .replace(/-/g, "+")
      .replace(/_/g, "/");
    const raw = window.atob(padded);
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function sameKey(subscription, wanted) {
    const given = subscription.options && subscription.options.applicationServerKey;
    if (!given) return true; // the browser does not say: trust it
    const have = new Uint8Array(given);
    return have.length === wanted.length && have.every((byte, i) => byte === wanted[i]);
  }

  async function post(url, data) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(data),
    });
    let answer = {};
    try {
      answer = await response.json();
    } catch (error) {
      answer = {};
    }
    if (!response.ok) {
      const failure = new Error("refused");
      failure.answer = answer;
      throw failure;
    }
    return answer;
  }

  function showOn(on) {
    onButton.hidden = on;
    offButton.hidden = !on;
  }

  // The page's own worker (core/static/core/offline.js): a client's keeps the pages for
  // a hard moment, anyone else's only shows notifications.
  function workerRegistration() {
    return window.WaypostOffline.worker();
  }

  async function currentSubscription() {
    const registration = await navigator.serviceWorker.getRegistration("/");
    return registration ? registration.pushManager.getSubscription() : null;
  }

  async function turnOn() {
    onButton.disabled = true;
    say("Working");
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") {
        say("Denied");
        return;
      }
      const wanted = keyBytes(box.dataset.key);
      const registration = await workerRegistration();
      let subscription = await registration.pushManager.getSubscription();
      if (subscription && !sameKey(subscription, wanted)) {
        await subscription.unsubscribe(); // made with an older server key
        subscription = null;
      }
      if (!subscription) {
        subscription = await registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: wanted,
        });
      }
      const answer = await post(box.dataset.onUrl, subscription.toJSON());
      showOn(true);
      say("On", answer.message);
    } catch (error) {
      say("Failed", error.answer && error.answer.message);
    } finally {
      onButton.disabled = false;
    }
  }

  async function turnOff() {
    offButton.disabled = true;
    say("Working");
    try {
      const subscription = await currentSubscription();
      if (subscription) {
        await post(box.dataset.offUrl, { endpoint: subscription.endpoint });
        await subscription.unsubscribe();
      }
      showOn(false);
      say("Off");
    } catch (error) {
      say("Failed");
    } finally {
      offButton.disabled = false;
    }
  }

  if (!supported()) {
    onButton.hidden = true;
    say("Unsupported");
    return;
  }
  onButton.addEventListener("click", turnOn);
  offButton.addEventListener("click", turnOff);
  if (Notification.permission === "denied") {
    say("Denied");
    return;
  }
  currentSubscription()
    .then((subscription) => {
      if (!subscription || Notification.permission !== "granted") return;
      showOn(true);
      say("On");
      post(box.dataset.onUrl, subscription.toJSON()).catch(() => {});
    })
    .catch(() => {});
})();
