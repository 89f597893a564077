// The limits a route keeps besides capacity and windows, spelled out once: the ahead-of-time check of
// what no vehicle could serve (unservable.ts) and the route checker (check.ts) both ask this which broke.
// (The search's own O(1) test, Chain.cost, reads the same fields of the compiled slot.)

export interface RouteLimits {
  maxDuration?: number;
  maxStops?: number;
  maxTravelTime?: number;
  maxDistance?: number;
  maxTrips?: number;
}

/** What a route measures against its limits. */
export interface RouteMeasures {
  duration: number;
  stops: number;
  travelTime: number;
  length: number;
  trips: number;
}

export type RouteLimit = keyof RouteLimits;

export interface BrokenLimit {
  limit: RouteLimit;
  value: number;
  max: number;
}

const MEASURE_OF: Record<RouteLimit, keyof RouteMeasures> = {
  maxDuration: 'duration',
  maxStops: 'stops',
  maxTravelTime: 'travelTime',
  maxDistance: 'length',
  maxTrips: 'trips',
};

/** The limits a route breaks (a limit left out, or Infinity, never breaks). */
export function brokenLimits(limits: RouteLimits, measured: RouteMeasures, tolerance = 1e-6): BrokenLimit[] {
  const broken: BrokenLimit[] = [];
  for (const limit of Object.keys(MEASURE_OF) as RouteLimit[]) {
    const max = limits[limit];
    const value = measured[MEASURE_OF[limit]];
    if (max !== undefined && value > max + tolerance) broken.push({ limit, value, max });
  }
  return broken;
}

const SAY: Record<RouteLimit, (value: number, max: number) => string> = {
  maxDuration: (v, m) => `lasts ${v}, longer than ${m}`,
  maxStops: (v, m) => `has ${v} stops, more than ${m}`,
  maxTravelTime: (v, m) => `drives ${v}, longer than ${m}`,
  maxDistance: (v, m) => `is ${v} long, more than ${m}`,
  maxTrips: (v, m) => `makes ${v} trips, more than ${m}`,
};

/** A broken limit in plain words. */
export function describeBroken({ limit, value, max }: BrokenLimit): string {
  return SAY[limit](value, max);
}
