// irdoc's service worker: the app loads and works with no network after the first visit
// (README.md, "Offline and installing").
//
// This file is a template: a release build's post_build hook (scripts/offline-build.mjs)
// writes the build's own file list and id into BUILD and FILES and puts the result at the
// root of dist/ as sw.js. Development builds (trunk serve) get no worker.
//
// - the page (the scope's URL or index.html, with any ?draft=…): network first, this build's
//   copy when the network fails, answers with an error status or takes longer than
//   NETWORK_WAIT_MS;
// - the build's files (hashed by Trunk): cache first, the cached response itself (so the
//   .wasm still compiles while it streams);
// - anything else in the scope (published ?draft= files): network first, and the last copy
//   kept for offline use;
// - one cache per build; a new build waits until the page asks it to take over
//   ({type: "SKIP_WAITING"}), and deletes the older builds' caches when it does.
const BUILD = '__IRDOC_BUILD__';
const FILES = /* __IRDOC_FILES__ */ [];
const NETWORK_WAIT_MS = 4000;

const SCOPE = self.registration.scope;
const PREFIX = `irdoc:${SCOPE}:build:`;
const CACHE = PREFIX + BUILD;
const PUBLISHED = `irdoc:${SCOPE}:published`;
const INDEX = new URL('index.html', SCOPE).href;
const PRECACHED = new Set(FILES.map((file) => new URL(file, SCOPE).href));

self.addEventListener('install', (event) => {
  // All or nothing: a build that cannot be cached whole does not install.
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES.map((file) => new Request(new URL(file, SCOPE), { cache: 'reload' })))),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
      }
      // The first visit's page is controlled without a reload.
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') self.skipWaiting();
  if (event.data?.type === 'BUILD') event.ports[0]?.postMessage(BUILD);
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || !request.url.startsWith(SCOPE)) return;
  const url = new URL(request.url);
  const bare = url.origin + url.pathname;
  if (bare === SCOPE || bare === INDEX) {
    event.respondWith(page(request));
  } else if (PRECACHED.has(bare)) {
    event.respondWith(fromBuild(request));
  } else {
    event.respondWith(published(event));
  }
});

/** The page: the network's when it answers well and in time, else this build's. */
async function page(request) {
  const network = fetch(request).catch(() => null);
  const late = new Promise((resolve) => setTimeout(() => resolve(null), NETWORK_WAIT_MS));
  const response = await Promise.race([network, late]);
  if (response?.ok) return response;
  const cached = await caches.match(INDEX, { cacheName: CACHE });
  if (cached) return cached;
  return (await network) ?? Response.error();
}

/** A file of this build: the cached response as it came from the server. */
async function fromBuild(request) {
  const cached = await caches.match(request, { cacheName: CACHE, ignoreSearch: true });
  return cached ?? fetch(request);
}

/** Another file beside the app (a published draft): the network's, else the copy kept. */
async function published(event) {
  const { request } = event;
  try {
    const response = await fetch(request);
    if (response.ok) {
      const copy = response.clone();
      event.waitUntil(caches.open(PUBLISHED).then((cache) => cache.put(request, copy)));
    }
    return response;
  } catch (err) {
    const kept = await caches.match(request, { cacheName: PUBLISHED });
    if (kept) return kept;
    throw err;
  }
}
