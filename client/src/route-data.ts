// Reads routes as the server sends them into the shape the driver and board screens use (stop times
// arrive as seconds after midnight of the day; items name their commodity).
import type { Route, Stop } from './types.ts';

type Raw = Record<string, unknown>;

/** Today at `seconds` after local midnight, as an ISO timestamp (null stays null). */
export function clockToIso(seconds: number | null | undefined): string | null {
  if (seconds == null || !Number.isFinite(seconds)) return null;
  const midnight = new Date();
  midnight.setHours(0, 0, 0, 0);
  return new Date(midnight.getTime() + seconds * 1000).toISOString();
}

function readStop(s: Raw): Stop {
  const recipient = s.recipient as Stop['recipient'];
  return {
    id: Number(s.id),
    seq: Number(s.seq),
    kind: s.kind as Stop['kind'],
    status: s.status as Stop['status'],
    trip: s.trip == null ? null : Number(s.trip),
    pledge: (s.pledge as Stop['pledge']) ?? null,
    eta: (s.eta as string | undefined) ?? clockToIso(s.etaS as number | null),
    lat: Number(s.lat),
    lon: Number(s.lon),
    recipient: recipient ?? null,
    items: ((s.items ?? []) as Raw[]).map((i) => ({ commodityId: Number(i.commodityId), name: String(i.name ?? i.commodity ?? ''), quantity: Number(i.quantity) })),
    proof: (s.proof as Stop['proof']) ?? null,
  };
}

export function readRoute(r: Raw): Route {
  return {
    id: Number(r.id),
    driverId: Number(r.driverId),
    kind: r.kind as Route['kind'],
    status: String(r.status),
    stops: ((r.stops ?? []) as Raw[]).map(readStop).sort((a, b) => a.seq - b.seq),
    reloads: Array.isArray(r.reloads) ? r.reloads.map(Number) : [],
    geometry: (r.geometry as Route['geometry']) ?? null,
    distanceM: r.distanceM == null ? undefined : Number(r.distanceM),
    durationS: r.durationS == null ? undefined : Number(r.durationS),
    warehouseId: r.warehouseId == null ? null : Number(r.warehouseId),
  };
}

/** A list answer in any of the server's shapes: an array, `{items}`, `{routes}`, or one route. */
export function readRoutes(answer: unknown): Route[] {
  if (!answer) return [];
  const list = Array.isArray(answer) ? answer : ((answer as Raw).items ?? (answer as Raw).routes ?? [answer]);
  return (list as Raw[]).map(readRoute);
}
