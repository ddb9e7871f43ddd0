// One tap per question. Tapping or clicking an answer sends it and swaps in the next
// question (or the review) without reloading the page. Keyboard users pick with the
// arrow keys or Space, which never sends, and go on with Enter or Next. Any answer that
// is not the expected fragment falls back to a normal page load; without this script
// the same forms and links work as plain pages (views/client.py).
(function () {
  "use strict";
  var FRAGMENT = "X-Waypost-Fragment";
  if (!window.fetch || !window.FormData || !window.DOMParser || !history.pushState) { return; }
  var step = document.getElementById("step");
  if (!step) { return; }
  var busy = false;
  var down = null; // the answer row a pointer went down on
  var live = document.createElement("p");
  live.className = "visually-hidden";
  live.setAttribute("aria-live", "polite");
  step.parentNode.appendChild(live);

  function swap(html, url, push) {
    var next = new DOMParser().parseFromString(html, "text/html").getElementById("step");
    if (!next) { return false; }
    document.getElementById("step").replaceWith(next);
    document.title = next.getAttribute("data-title");
    if (push) { history.pushState({ step: true }, "", url); }
    live.textContent = next.getAttribute("data-progress");
    window.scrollTo(0, 0);
    var focus = next.querySelector("[data-step-focus]");
    if (focus) { focus.focus({ preventScroll: true }); }
    return true;
  }

  function load(url, init, push, fallback) {
    busy = true;
    init.headers = {};
    init.headers[FRAGMENT] = "1";
    init.credentials = "same-origin";
    fetch(url, init).then(function (response) {
      var go = response.headers.get("X-Waypost-Navigate");
      if (go) { location.assign(go); return; }
      if (!response.ok || response.headers.get(FRAGMENT) !== "1") { throw response; }
      return response.text().then(function (html) {
        if (!swap(html, response.headers.get("X-Waypost-Url") || url, push)) { throw response; }
        busy = false;
      });
    }).catch(fallback);
  }

  function send(form) {
    if (busy) { return; }
    var data = new FormData(form);
    form.classList.add("is-sending");
    load(form.action, { method: "POST", body: data }, true, function () { form.submit(); });
  }

  document.addEventListener("pointerdown", function (event) {
    down = event.target.closest ? event.target.closest(".option") : null;
  }, true);
  document.addEventListener("keydown", function () { down = null; }, true);

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target.type === "radio") {
      // Only a tap or click sends: arrow keys and Space also "click" a radio.
      var tapped = down !== null && down.contains(target);
      down = null;
      if (tapped && target.checked && target.form && target.form.hasAttribute("data-step-form")) {
        send(target.form);
      }
      return;
    }
    var link = target.closest ? target.closest("a[data-step-link]") : null;
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey ||
        event.altKey) { return; }
    event.preventDefault();
    if (!busy) { load(link.href, {}, true, function () { location.assign(link.href); }); }
  });

  document.addEventListener("submit", function (event) {
    if (!event.target.hasAttribute("data-step-form")) { return; }
    event.preventDefault();
    send(event.target);
  });

  window.addEventListener("popstate", function () {
    if (busy) { location.reload(); return; }
    load(location.href, {}, false, function () { location.reload(); });
  });
})();
