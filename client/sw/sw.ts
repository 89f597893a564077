// The web app's service worker: the app shell (the built files) is precached so the app opens after a
// reload without signal, in a stairwell or a basement; page addresses are answered with the cached
// index.html; the few API reads a driver's screen needs are fetched from the network first and answered
// from their last copy when there is none. Writes are never touched here: the page's queue (queue.ts)
// keeps them in IndexedDB and sends each once, with its Idempotency-Key.
import { clientsClaim } from 'workbox-core';
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';
import { API_CACHE, keptForOffline } from '../src/offline-cache.ts';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (PrecacheEntry | string)[] };

// A new version takes over at once: the app is one bundle, so an open page never asks for a file the
// new version dropped.
void self.skipWaiting();
clientsClaim();
cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);

registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/^\/api\//, /^\/socket\.io\//] }));

// No network timeout: on a weak signal a late fresh answer is better than an old route that shows a
// delivered stop as still to do. Only 200 answers are kept (never a 401 or an error).
registerRoute(
  ({ url, request, sameOrigin }) => sameOrigin && request.method === 'GET' && keptForOffline(url.pathname),
  new NetworkFirst({ cacheName: API_CACHE, plugins: [new CacheableResponsePlugin({ statuses: [200] })] }),
);
