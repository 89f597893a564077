// Facts about needs the screens share: the priority tier (as the allocation's default policy sets it).
import type { Need } from './types.ts';

/**
 * Tier 1 is the most vulnerable (infants, pregnancy), tier 2 elderly alone, disabled or chronically
 * ill, tier 3 everyone else; a critical need moves one tier up. Mirrors solver/allocation/policy.ts.
 */
export function tierOf(need: Need): number {
  const h = need.household;
  let tier = h.infant || h.pregnant ? 1 : h.elderlyAlone || h.disabled || h.chronicIllness ? 2 : 3;
  if (need.urgency === 'critical') tier -= 1;
  return Math.max(1, tier);
}
