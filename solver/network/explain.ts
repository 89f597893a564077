// Why a trip is impossible: search again ignoring closures and sealed zones, then name the first restriction
// that blocks the way found ("closed: closure #12", "sealed zone #3"), or "no road" when none would help.
import { blockingReasons } from './closures.ts';
import type { NetworkLayer, RoadNetwork } from './network.ts';
import type { Mode } from './profiles.ts';
import { ShortestPathSearch } from './search.ts';
import type { SnappedPoint } from './snap.ts';
import { Traversal, type Leg } from './traversal.ts';

export const NO_ROAD = 'no road';

export function explainUnreachable(network: RoadNetwork, from: SnappedPoint, to: SnappedPoint, mode: Mode): string {
  const layer = network.layers[from.layer];
  const free = new Traversal(layer, mode, true);
  const now = new Traversal(layer, mode);
  const direct = free.direct(from, to);
  if (direct) return firstBlock(network, layer, now, [direct]) ?? NO_ROAD;
  const search = new ShortestPathSearch(layer.arcs.offsets, layer.arcs.head, layer.arcs.lengthM, free.arcTimeS);
  const departures = free.departures(from);
  const arrivals = free.arrivals(to);
  search.run(departures, arrivals.map((leg) => leg.node));
  let arrival: Leg | undefined;
  for (const leg of arrivals) {
    if (!arrival || search.timeS[leg.node] + leg.timeS < search.timeS[arrival.node] + arrival.timeS) arrival = leg;
  }
  if (!arrival || !Number.isFinite(search.timeS[arrival.node])) return NO_ROAD;
  const legs: Leg[] = [arrival];
  let node = arrival.node;
  for (let arc = search.viaArc[node]; arc >= 0; arc = search.viaArc[node]) {
    legs.push(free.wholeArc(arc));
    node = layer.arcs.tail[arc];
  }
  const departure = departures.find((leg) => leg.node === node && leg.timeS === search.timeS[node]);
  if (departure) legs.push(departure);
  return firstBlock(network, layer, now, legs.reverse()) ?? NO_ROAD;
}

/** The reason of the first leg that the restricted traversal may not travel. */
function firstBlock(network: RoadNetwork, layer: NetworkLayer, now: Traversal, legs: Leg[]): string | undefined {
  for (const leg of legs) {
    if (now.allows(leg)) continue;
    const reasons = blockingReasons(network, layer, leg.segment);
    if (reasons.length > 0) return reasons[0];
  }
  return undefined;
}
