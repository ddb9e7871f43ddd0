/* Waypost's service worker (served at /sw.js by waypost.core.webapp, after a line that
   defines WAYPOST: {cache, assets, pages, offline}).

   Two modes, chosen by the address it was registered with (core/static/core/offline.js):

   - /sw.js?keep=pages, for a signed-in client: it keeps only what is listed: the app
     shell (CSS, JS, icons) and the pages a client needs in a hard moment (the toolbox,
     the urge page, "Get help now", their safety plan, the urge form). Those pages are
     fetched from the network first and kept as they were last seen; without a signal
     the kept copy answers. Any other page, without a signal, shows the small offline
     page. Nothing else is ever stored.
   - /sw.js (any other address), for everyone else signed in (clinicians, clinic admins,
     allies): push only. It keeps nothing at all, not even the app shell, and does not
     look at requests: their pages hold other people's private matters, often on a work
     computer. On becoming active it drops every cache a worker before it kept.

   Messages from the page: "warm" (fetch the kept pages again, e.g. after signing in;
   nothing in push-only mode) and "forget" (drop every cache: signing out, or someone
   else's session).

   In both modes it shows web push notifications (at the end of this file): always
   discreet, and a click opens the page inside Waypost that the notification links to. */
"use strict";

const CACHE = WAYPOST.cache;
const ASSETS = new Set(WAYPOST.assets);
const PAGES = new Set(WAYPOST.pages);
const OFFLINE = WAYPOST.offline;
// Kept pages only for the address a client's pages register; anything else is push only,
// so a worker registered without thinking (or by an older page) never keeps a page.
const KEEPS_PAGES = new URL(self.location.href).searchParams.get("keep") === "pages";
// On a very slow signal a kept page answers after this long rather than keep someone waiting.
const SLOW_MS = 3500;

function isKeepable(response) {
  const type = response.headers.get("Content-Type") || "";
  return response.ok && response.type === "basic" && !response.redirected && type.startsWith("text/html");
}

async function keepPage(cache, path) {
  try {
    const response = await fetch(path, { credentials: "same-origin", cache: "no-store" });
    if (isKeepable(response)) {
      await cache.put(path, response);
    }
  } catch (error) {
    // No signal or not signed in: the page is kept the next time it is opened.
  }
}

async function keepPages() {
  const cache = await caches.open(CACHE);
  // One after another: gentle on a cheap phone and a slow network.
  for (const path of PAGES) {
    await keepPage(cache, path);
  }
}

async function keepAssets() {
  const cache = await caches.open(CACHE);
  await Promise.all(
    [...ASSETS].map(async (url) => {
      try {
        const response = await fetch(url, { cache: "reload" });
        if (response.ok) {
          await cache.put(url, response);
        }
      } catch (error) {
        // kept when next used
      }
    }),
  );
}

async function forget() {
  const names = await caches.keys();
  await Promise.all(names.map((name) => caches.delete(name)));
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      if (KEEPS_PAGES) {
        await keepAssets();
        await keepPages();
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      // Push only: nothing is ours, so whatever a client's worker kept here goes too.
      const names = await caches.keys();
      const stale = KEEPS_PAGES ? names.filter((name) => name !== CACHE) : names;
      await Promise.all(stale.map((name) => caches.delete(name)));
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  const type = event.data && event.data.type;
  const port = event.ports && event.ports[0];
  let work = null;
  if (type === "warm" && KEEPS_PAGES) {
    work = keepPages();
  } else if (type === "forget") {
    work = forget();
  }
  if (work) {
    event.waitUntil(
      work.then(() => {
        if (port) port.postMessage({ done: type });
      }),
    );
  }
});

function matchKept(cache, path) {
  return cache.match(path, { ignoreSearch: true, ignoreVary: true });
}

function plainOffline() {
  const html =
    '<!doctype html><html lang="en"><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    "<title>Offline · Waypost</title>" +
    "<h1>No signal right now</h1>" +
    "<p>Please try again when you are back online.</p></html>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function offlineFallback() {
  const cache = await caches.open(CACHE);
  return (await matchKept(cache, OFFLINE)) || plainOffline();
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function keptPage(event, path) {
  const opened = caches.open(CACHE);
  // The copy is taken as soon as the answer comes, before the page reads its body.
  const network = fetch(event.request).then((response) => ({
    response,
    copy: isKeepable(response) ? response.clone() : null,
  }));
  event.waitUntil(
    network
      .then(async ({ copy }) => {
        if (copy) await (await opened).put(path, copy);
      })
      .catch(() => {}),
  );
  return (async () => {
    const kept = await matchKept(await opened, path);
    const answer = network.then(({ response }) => response);
    if (!kept) {
      return answer.catch(offlineFallback);
    }
    return Promise.race([answer.catch(() => kept), delay(SLOW_MS).then(() => kept)]);
  })();
}

async function otherPage(event) {
  try {
    return await fetch(event.request);
  } catch (error) {
    return offlineFallback();
  }
}

async function asset(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request, { ignoreVary: true });
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) {
    await cache.put(request, response.clone());
  }
  return response;
}

// Push only: no fetch handler at all, so the browser sends every request straight to the
// network (the person's pages never pass through this worker).
function onFetch(event) {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    if (PAGES.has(url.pathname)) {
      event.respondWith(keptPage(event, url.pathname));
    } else {
      event.respondWith(otherPage(event));
    }
    return;
  }
  if (ASSETS.has(url.pathname)) {
    event.respondWith(asset(request));
  }
}

if (KEEPS_PAGES) {
  self.addEventListener("fetch", onFetch);
}

// --- notifications (web push) -----------------------------------------------------------
// A push carries, encrypted for this device: {title, body, url, icon, tag}. The server
// sends only "Waypost" and "You have something new" (notifications/push.py); anything
// else, or a message that cannot be read, is shown the same discreet way. A click opens
// the page it links to, on this site only.

const PUSH_TITLE = "Waypost";
const PUSH_BODY = "You have something new.";

function sameSiteUrl(candidate) {
  try {
    const url = new URL(candidate || "/", self.location.origin);
    return url.origin === self.location.origin ? url.href : new URL("/", self.location.origin).href;
  } catch (error) {
    return new URL("/", self.location.origin).href;
  }
}

self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    message = {};
  }
  const options = {
    body: typeof message.body === "string" && message.body ? message.body : PUSH_BODY,
    tag: typeof message.tag === "string" ? message.tag : "waypost",
    data: { url: sameSiteUrl(message.url) },
  };
  if (typeof message.icon === "string" && message.icon.startsWith("/")) {
    options.icon = message.icon;
  }
  event.waitUntil(self.registration.showNotification(PUSH_TITLE, options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = sameSiteUrl(event.notification.data && event.notification.data.url);
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      for (const client of windows) {
        if (client.url === target && "focus" in client) return client.focus();
      }
      return self.clients.openWindow(target);
    })(),
  );
});
