// Customers no vehicle could ever serve, found before the search, each with the reason it is left out.
import type { Instance } from './problem.ts';
import type { SearchState } from './search-state.ts';

export type UnassignedReason =
  /** Its demand is above the capacity of every vehicle allowed to serve it. */
  | 'exceeds-capacity'
  /** Even a direct trip reaches it after its window closes (or gets back after the shift). */
  | 'window-unreachable'
  /** Even a direct trip lasts longer than every vehicle's maximum duration. */
  | 'exceeds-max-duration'
  /** No vehicle is allowed to serve it. */
  | 'no-allowed-vehicle'
  /** It could be served alone, but the fleet ran out of room and time for it. */
  | 'no-vehicle-left';

/** Tries each customer alone on one vehicle of each class; those that fit none come back with a reason. */
export function unservableCustomers(inst: Instance, s: SearchState): Map<number, UnassignedReason> {
  const out = new Map<number, UnassignedReason>();
  const representatives = inst.classSlots.map((members) => members[0]!);
  const chain = s.chainA;
  for (let c = 0; c < inst.customerCount; c++) {
    let reason: UnassignedReason = 'no-allowed-vehicle';
    for (const r of representatives) {
      if (s.penalty(c, r) === Infinity) continue;
      const route = s.routes[r]!;
      chain.fromPrefix(route, 0).add(c).close();
      if (chain.cost() < Infinity) {
        reason = 'no-vehicle-left';
        break;
      }
      reason = strongest(reason, diagnose(inst, chain, route.slot.capacity));
    }
    if (reason !== 'no-vehicle-left') out.set(c, reason);
  }
  return out;
}

/** Why a single-customer route failed; capacity is reported first, as it is the plainest to fix. */
function diagnose(inst: Instance, chain: SearchState['chainA'], capacity: Float64Array): UnassignedReason {
  for (let k = 0; k < inst.dims; k++) if (chain.load[k]! > capacity[k]!) return 'exceeds-capacity';
  return chain.warp > 1e-7 ? 'window-unreachable' : 'exceeds-max-duration';
}

const ORDER: UnassignedReason[] = ['no-allowed-vehicle', 'exceeds-capacity', 'exceeds-max-duration', 'window-unreachable'];

/** Across vehicle kinds, report the reason of the kind that came closest (a later entry of ORDER). */
function strongest(a: UnassignedReason, b: UnassignedReason): UnassignedReason {
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
}
