// What the service worker keeps for a phone without signal, shared by the worker (client/sw/sw.ts) and the
// page that clears it at sign-out: the answers a driver's or gate volunteer's screen needs to open offline.

/** The cache holding the last answers of the API reads below (the app shell is precached apart). */
export const API_CACHE = 'lifeline-api';

/**
 * API reads kept for offline use: who is signed in, the driver's own routes, the warehouses (the route's
 * start) and the road network the route map draws. Anything else (other people's records, live data for
 * coordinators) is never stored on the device.
 */
const keptPaths = [/^\/api\/auth\/me$/, /^\/api\/me\/route$/, /^\/api\/warehouses$/, /^\/api\/network$/];

export const keptForOffline = (pathname: string): boolean => keptPaths.some((re) => re.test(pathname));
