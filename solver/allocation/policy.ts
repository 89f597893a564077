// The priority policy: which tier a need falls in and how much one delivered unit of it weighs.
// Tier 1 is the most vulnerable; weights grow with urgency and with days already waited
// (deprivation, after Holguín-Veras et al. 2013), so needs left short today weigh more tomorrow.
import type { Need, PriorityPolicy } from './problem.ts';

export const defaultPolicy: PriorityPolicy = {
  flagTiers: {
    medical: 1,
    infant: 1,
    pregnant: 1,
    elderly_alone: 2,
    disabled: 2,
    chronic_illness: 2,
  },
  defaultTier: 3,
  urgencyTierShift: { critical: -1, high: 0, normal: 0, low: 0 },
  tierWeights: [100, 10, 1],
  urgencyWeights: { critical: 2, high: 1.5, normal: 1, low: 0.7 },
  deprivationRatePerDay: 0.1,
  deprivationCap: 3,
  nearestWarehouses: 5,
};

export function resolvePolicy(overrides: Partial<PriorityPolicy> = {}): PriorityPolicy {
  return { ...defaultPolicy, ...overrides };
}

/** An explicit tier wins; otherwise the most vulnerable tier among the flags, shifted by urgency. */
export function tierOf(need: Need, policy: PriorityPolicy): number {
  if (need.tier !== undefined) return need.tier;
  const lastTier = Math.max(policy.defaultTier, policy.tierWeights.length);
  let tier = policy.defaultTier;
  for (const flag of need.flags ?? []) tier = Math.min(tier, policy.flagTiers[flag] ?? policy.defaultTier);
  tier += policy.urgencyTierShift[need.urgency ?? 'normal'];
  return Math.min(lastTier, Math.max(1, tier));
}

/** w = tierWeight(tier) × urgencyWeight × min(cap, exp(rate × daysWaiting)). */
export function weightOf(need: Need, tier: number, policy: PriorityPolicy): number {
  const tierWeight = policy.tierWeights[Math.min(tier, policy.tierWeights.length) - 1]!;
  const urgency = policy.urgencyWeights[need.urgency ?? 'normal'];
  const deprivation = Math.min(policy.deprivationCap, Math.exp(policy.deprivationRatePerDay * (need.daysWaiting ?? 0)));
  return tierWeight * urgency * deprivation;
}
