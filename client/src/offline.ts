// Makes the web app usable without signal: registers the service worker (client/sw/sw.ts), fills its
// cache with what the page already loaded the first time the worker takes over, and forgets the cached
// answers when the user signs out, so the next person on the phone does not see them.
import { API_CACHE, keptForOffline } from './offline-cache.ts';

/** Registers the worker (under `vite` in development there is none: the registration fails quietly). */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  if (!navigator.serviceWorker.controller) navigator.serviceWorker.addEventListener('controllerchange', readAgainThroughWorker, { once: true });
  window.addEventListener('load', () => void navigator.serviceWorker.register('/sw.js').catch(() => undefined), { once: true });
}

/**
 * The first page load runs before the worker exists, so its reads are not kept. Once the worker controls
 * the page, every read it keeps that went past it (workerStart 0: done or still under way at the takeover)
 * is made again, through it.
 */
function readAgainThroughWorker(): void {
  const done = new Set<string>();
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as PerformanceResourceTiming[]) {
      const url = new URL(entry.name);
      if (entry.workerStart > 0 || url.origin !== location.origin || !keptForOffline(url.pathname) || done.has(url.href)) continue;
      done.add(url.href);
      void fetch(url, { headers: { Accept: 'application/json', 'X-Lifeline-Client': 'web' }, credentials: 'same-origin' }).catch(() => undefined);
    }
  }).observe({ type: 'resource', buffered: true });
}

/** Drops the cached API answers (the app shell stays: it holds nobody's data). */
export async function forgetOfflineData(): Promise<void> {
  if ('caches' in window) await caches.delete(API_CACHE);
}
