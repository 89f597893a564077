// Routers skipped by the first segment of the path: each noun's router is mounted at the API's root, so
// without this every request was matched against the routes of every noun before its own.
import type { RequestHandler, Router } from 'express';

/**
 * The router, entered only by requests whose path begins with a segment one of its routes begins with; as is
 * when a route begins with a parameter or a pattern, or when it has middleware of its own (any path may reach them).
 */
export function byFirstSegment(router: Router): RequestHandler {
  const firsts = firstSegments(router);
  if (!firsts) return router;
  return (req, res, next) => (firsts.has(firstSegment(req.path)) ? router(req, res, next) : next());
}

/** The first segments of the router's routes, or undefined when it cannot tell them all. */
export function firstSegments(router: Router): Set<string> | undefined {
  const firsts = new Set<string>();
  for (const layer of router.stack) {
    const path = layer.route?.path;
    if (typeof path !== 'string') return undefined;
    const first = firstSegment(path);
    // A parameter (:id), a wildcard (*rest), an optional part ({…}) or an escape: it may match anything.
    if (first === '' || /[:*{}()\\?+!]/.test(first)) return undefined;
    firsts.add(first);
  }
  return firsts;
}

/** Routing ignores case (Express's default), so segments are compared in lower case. */
const firstSegment = (path: string) => (path.split('/', 2)[1] ?? '').toLowerCase();
