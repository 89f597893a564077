// The API's noun routers reached by a request's first path segment. Express walks every route of every
// router in order, so each request was matched against the 130-odd routes declared before its own (8 % of
// a rush's server CPU); here it walks only the routers that declared an endpoint under its first segment.
import type { RequestHandler, Router } from 'express';

const declared = new WeakMap<Router, Set<string>>();

/** First segment of a path, as Express compares it: without case (routing is case-insensitive by default). */
const firstSegment = (path: string): string => (path.split('/', 2)[1] ?? '').toLowerCase();

/** Notes that `router` serves `path` (called for each endpoint as it is declared). */
export function declarePath(router: Router, path: string): void {
  const segments = declared.get(router) ?? new Set<string>();
  segments.add(firstSegment(path));
  declared.set(router, segments);
}

/**
 * One handler for all `routers`: a request goes through those that declared its first segment, in their
 * order (a router's own middleware still runs before its routes); any other request passes on untouched,
 * to the API's answer for an unknown endpoint.
 */
export function routeByFirstSegment(routers: Router[]): RequestHandler {
  const bySegment = new Map<string, Router[]>();
  for (const router of routers) {
    for (const segment of declared.get(router) ?? []) bySegment.set(segment, [...(bySegment.get(segment) ?? []), router]);
  }
  return (req, res, next) => {
    const candidates = bySegment.get(firstSegment(req.path)) ?? [];
    const walk = (i: number, error?: unknown): void => {
      if (error) return next(error);
      if (i === candidates.length) return next();
      candidates[i]!(req, res, (e?: unknown) => walk(i + 1, e));
    };
    walk(0);
  };
}
