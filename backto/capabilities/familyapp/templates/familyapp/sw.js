// BackTo's service worker, written by hand (backto/capabilities/familyapp/views.py fills CONFIG).
// - Static files: cache first, the ones every page needs kept from the start.
// - The family pages of CONFIG.pages (home, diary, today's exercises, learning): network first,
//   the last copy kept so that they open without a connection. They hold a child's record, so
//   the page scripts empty this cache at sign-out and on the sign-in page (signout.js).
// - Any other page without a connection: the offline page. Nothing else is ever kept: no answer
//   to a POST, no staff page, no audit log, no API, nothing that is not a plain 200 of this site.
// - Reminders sent by Web Push are shown with the app's icon; a tap opens their page on this site.
"use strict";
const CONFIG = {{ config|safe }};
const STATIC_CACHE = "backto-static-" + CONFIG.version;
const PAGES_CACHE = "backto-pages-" + CONFIG.version;
const PAGES = CONFIG.pages.map((source) => new RegExp(source));

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(STATIC_CACHE)
      .then((cache) => cache.addAll(CONFIG.precache.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting())
  );
});

// A new version's caches replace every older one (pages kept by an older version name static
// files that may no longer exist).
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("backto-") && name !== STATIC_CACHE && name !== PAGES_CACHE)
            .map((name) => caches.delete(name))
        )
      )
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") { return; } // a form goes to the server, never to a cache
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.startsWith(CONFIG.staticPrefix)) {
    event.respondWith(staticFile(request));
  } else if (request.mode === "navigate") {
    event.respondWith(page(event, url));
  }
  // Anything else (htmx fragments, exercise media, the API) goes to the network untouched.
});

function noStore(response) {
  return /no-store/i.test(response.headers.get("Cache-Control") || "");
}

function keptOffline(url) {
  return PAGES.some((pattern) => pattern.test(url.pathname));
}

async function staticFile(request) {
  const cache = await caches.open(STATIC_CACHE);
  const kept = await cache.match(request);
  if (kept) { return kept; }
  const response = await fetch(request);
  if (response.status === 200 && response.type === "basic" && !noStore(response)) {
    await cache.put(request, response.clone());
  }
  return response;
}

// Every page to a signed-in person is sent with no-store (backto.core.caching) so that no
// browser or proxy cache keeps it; the family pages are kept here on purpose, and only here.
async function page(event, url) {
  const request = event.request;
  try {
    const response = await fetch(request);
    if (keptOffline(url) && response.status === 200 && response.type === "basic" && !response.redirected) {
      event.waitUntil(keep(request, response.clone()));
    }
    return response;
  } catch (error) {
    const kept = await offlineCopy(request, url);
    return kept || (await caches.match(CONFIG.offlinePage)) || Response.error();
  }
}

// Copies are stored one after another, in the order their pages arrived: two loads close
// together (a reload, then the page again) could otherwise finish storing out of order and keep
// the older page, whose form holds a different key from the one the family last saw.
let keeping = Promise.resolve();
function keep(request, copy) {
  keeping = keeping
    .catch(() => undefined)
    .then(() => caches.open(PAGES_CACHE))
    .then((cache) => cache.put(request, copy));
  return keeping;
}

async function offlineCopy(request, url) {
  const cache = await caches.open(PAGES_CACHE);
  if (url.pathname === "/") { // the installed app's start: the family's home
    return cache.match(CONFIG.familyHome, { ignoreSearch: true });
  }
  if (!keptOffline(url)) { return undefined; }
  return (await cache.match(request)) || cache.match(request, { ignoreSearch: true });
}

// Web Push: {"title", "body", "url", "tag"}. The sender never puts a name or a health detail
// in them; this shows only what it is sent, and opens only addresses on this site.
function onThisSite(value) {
  try {
    const url = new URL(value || "/", self.location.origin);
    return url.origin === self.location.origin ? url.href : self.location.origin + "/";
  } catch (error) {
    return self.location.origin + "/";
  }
}

self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (error) { data = {}; }
  const text = (value) => (typeof value === "string" ? value : "");
  event.waitUntil(
    self.registration.showNotification(text(data.title) || "BackTo", {
      body: text(data.body),
      icon: CONFIG.icon,
      badge: CONFIG.icon,
      tag: text(data.tag) || undefined,
      data: { url: onThisSite(text(data.url)) },
    })
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = onThisSite(event.notification.data && event.notification.data.url);
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((client) => client.url === target);
      return open ? open.focus() : self.clients.openWindow(target);
    })
  );
});
