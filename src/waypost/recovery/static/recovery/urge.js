/* The urge form: a fresh client_uuid each time the page is shown.

   The form is kept on the phone for use without a signal (core/offline.js). A kept copy
   would carry the id of the last urge sent from it, and the server would take a new urge
   for a retry of that one and store nothing. A double tap on Save within one showing
   still sends one id, so it is still stored once. Without this script the id the server
   put in the page is used, as before. */
(() => {
  "use strict";

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

  function freshen() {
    document.querySelectorAll("form[data-fresh-uuid] input[name=client_uuid]").forEach((field) => {
      field.value = newUuid();
    });
  }

  window.addEventListener("pageshow", freshen);
})();
