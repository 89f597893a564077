// The security headers on every answer, pages and API alike: a strict Content-Security-Policy (the
// built web app has no inline script or style), no framing, no MIME sniffing, no referrer.
import helmet from 'helmet';
import type { RequestHandler } from 'express';
import type { ServerResponse } from 'node:http';

/**
 * The CSP source for a Leaflet tile URL template such as https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png
 * (https://*.tile.openstreetmap.org); undefined without one, as the demo draws its own roads.
 */
export function tileSource(tileUrl: string | undefined): string | undefined {
  const origin = tileUrl?.match(/^(https?:\/\/[^/]+)/)?.[1];
  return origin?.replace(/\{[a-z]\}/g, '*');
}

/**
 * Helmet's headers, worked out once: they do not depend on the request, so each answer gets them in one step
 * instead of through helmet's thirteen middlewares.
 */
export function securityHeaders(options: { tileUrl?: string } = {}): RequestHandler {
  const { set, removed } = headersOf(helmetFor(options));
  return (_req, res, next) => {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of set) res.setHeader(name, value);
    next();
  };
}

/** What `middleware` sets and removes on an answer, found by running it once on a stand-in answer. */
export function headersOf(middleware: RequestHandler): { set: [string, string][]; removed: string[] } {
  const set = new Map<string, string>();
  const removed: string[] = [];
  const res = {
    setHeader: (name: string, value: string) => void set.set(name, value),
    removeHeader: (name: string) => void removed.push(name),
  };
  let called = false;
  middleware({} as never, res as unknown as ServerResponse as never, () => (called = true));
  if (!called) throw new Error('the security headers middleware did not finish at once');
  return { set: [...set], removed };
}

/** Helmet as configured for Lifeline. */
export function helmetFor(options: { tileUrl?: string }): RequestHandler {
  const tiles = tileSource(options.tileUrl);
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        // Preact and Leaflet set styles through the CSSOM (element.style), which style-src does not govern.
        styleSrc: ["'self'"],
        // data: for the donation receipt's QR code and Leaflet's inline marker images.
        imgSrc: ["'self'", 'data:', ...(tiles ? [tiles] : [])],
        // 'self' covers the same-origin WebSocket of the live updates.
        connectSrc: ["'self'"],
        // The app's own service worker (offline use) and nothing else may run as a worker.
        workerSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}
