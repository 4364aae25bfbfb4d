// Service worker: keeps the app shell so that a page loaded once works offline.
// .ci/post-build.mjs writes this file into each build with the build's files and
// version in place of the placeholders. It never sees user data: files are read in the
// page, and only the app's own static files are cached.
const VERSION = '__VERSION__';
const BASE = '__PUBLIC_URL__';
const SHELL = __PRECACHE__;
const CACHE = `kpi-dash-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('kpi-dash-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // Pages: the network first (fresh builds), the cached shell when offline.
    event.respondWith(fetch(request).catch(() => caches.match(BASE, { cacheName: CACHE })));
    return;
  }
  // Build files are content-hashed: the cache first.
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((hit) => hit ?? fetch(request)));
});
