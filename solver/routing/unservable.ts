// Customers no vehicle could ever serve, found before the search, each with the reason it is left out.
import { brokenLimits } from './limits.ts';
import type { Instance, VehicleSlot } from './problem.ts';
import type { SearchState } from './search-state.ts';

export type UnassignedReason =
  /** Its demand is above the capacity of every vehicle allowed to serve it. */
  | 'exceeds-capacity'
  /** Even a direct trip reaches it after its window closes (or gets back after the shift). */
  | 'window-unreachable'
  /** Even a direct trip lasts longer than every vehicle's maximum duration. */
  | 'exceeds-max-duration'
  /** Even a direct trip drives longer, or further, than every vehicle may; or no vehicle may take a stop. */
  | 'exceeds-route-limits'
  /** No vehicle is allowed to serve it. */
  | 'no-allowed-vehicle'
  /** It could be served alone, but the fleet ran out of room and time for it. */
  | 'no-vehicle-left';

/**
 * Tries each customer (each shipment: its pickup then its delivery) alone on one vehicle of each class;
 * those that fit none come back with a reason.
 */
export function unservableCustomers(inst: Instance, s: SearchState): Map<number, UnassignedReason> {
  const out = new Map<number, UnassignedReason>();
  const representatives = inst.classSlots.map((members) => members[0]!);
  const chain = s.chainA;
  for (let c = 0; c < inst.realCount; c++) {
    // A shipment's delivery shares its pickup's verdict.
    if (inst.pairRole?.[c] === -1) {
      const verdict = out.get(inst.pairOf![c]!);
      if (verdict) out.set(c, verdict);
      continue;
    }
    const tasks = inst.pairRole?.[c] === 1 ? [c, inst.pairOf![c]!] : [c];
    let reason: UnassignedReason = 'no-allowed-vehicle';
    for (const r of representatives) {
      if (s.penalty(c, r) === Infinity) continue;
      const route = s.routes[r]!;
      if (aloneWithBreaks(s, route, tasks)) {
        reason = 'no-vehicle-left';
        break;
      }
      reason = strongest(reason, diagnose(s, chain, route.slot));
    }
    if (reason !== 'no-vehicle-left') out.set(c, reason);
  }
  return out;
}

/** Whether the tasks alone fit the route's vehicle, with its breaks (by window) taken before or after them; leaves the last try in chainA. */
function aloneWithBreaks(s: SearchState, route: SearchState['routes'][number], tasks: number[]): boolean {
  const { ready } = s.inst;
  const breaks = route.slot.breaks.slice().sort((a, b) => ready[a]! - ready[b]!);
  for (let at = 0; at <= breaks.length; at++) {
    const chain = s.chainA.fromPrefix(route, 0);
    breaks.forEach((b, k) => {
      if (k === at) for (const c of tasks) chain.add(c);
      chain.add(b);
    });
    if (at === breaks.length) for (const c of tasks) chain.add(c);
    if (chain.close().cost() < Infinity) return true;
  }
  return false;
}

/** Why a single-customer route failed; capacity is reported first, as it is the plainest to fix. */
function diagnose(s: SearchState, chain: SearchState['chainA'], slot: VehicleSlot): UnassignedReason {
  const onBoard = s.mixed ? chain.peak : chain.load;
  for (let k = 0; k < s.inst.dims; k++) if (onBoard[k]! > slot.capacity[k]!) return 'exceeds-capacity';
  if (chain.warp > 1e-7) return 'window-unreachable';
  const broken = brokenLimits(slot, { duration: chain.dur, stops: chain.count, travelTime: chain.travel, length: chain.len, trips: chain.trips + 1 }, 1e-7);
  return broken.some((b) => b.limit === 'maxDuration') ? 'exceeds-max-duration' : 'exceeds-route-limits';
}

const ORDER: UnassignedReason[] = ['no-allowed-vehicle', 'exceeds-capacity', 'exceeds-route-limits', 'exceeds-max-duration', 'window-unreachable'];

/** Across vehicle kinds, report the reason of the kind that came closest (a later entry of ORDER). */
function strongest(a: UnassignedReason, b: UnassignedReason): UnassignedReason {
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
}
