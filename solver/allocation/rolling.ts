// Rolling horizon: what is left of today's needs becomes tomorrow's, one day hungrier, so the
// deprivation term of the policy raises its weight (Holguín-Veras et al. 2013).
import type { Need, Plan } from './problem.ts';

/** Needs still short after `plan`, asking only for the remainder, with daysWaiting + 1. */
export function carryOverNeeds(needs: readonly Need[], plan: Plan, minimumQuantity = 1e-6): Need[] {
  const allocated = new Map(plan.fulfilment.map((f) => [f.needId, f.allocated]));
  return needs.flatMap((need) => {
    const left = need.quantity - (allocated.get(need.id) ?? 0);
    if (left <= minimumQuantity) return [];
    return [{ ...need, quantity: left, daysWaiting: (need.daysWaiting ?? 0) + 1 }];
  });
}
