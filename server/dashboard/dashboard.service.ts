// The coordinators' dashboard: how well the needs are being met (fill rate by priority tier, over
// plans and now), how fast (time to delivery), how evenly (Gini), how far the vans drive, and how many
// days each commodity's stock lasts at the recent net outflow. It has no table: it reads each noun through its repo.
import type { Db } from '../db/database.ts';
import { resolvePolicy, tierOf } from '../../solver/allocation/policy.ts';
import { flowRates } from '../stock/stock.service.ts';
import { allCommodities } from '../commodities/commodities.service.ts';
import { flagsOf, needTally } from '../needs/needs.repo.ts';
import { solvedPlans } from '../plans/plans.repo.ts';
import { kilometresByDay } from '../dispatch/dispatch.repo.ts';
import { deliveryTimes } from '../dispatch/stops.repo.ts';
import type { Dashboard } from './dashboard.schema.ts';

export async function dashboard(db: Db): Promise<Dashboard> {
  const [needs, plans, cover, km, delivery, commodities] = await Promise.all([
    needTally(db),
    solvedPlans(db),
    flowRates(db),
    kilometresByDay(db),
    deliveryTimes(db),
    allCommodities(db),
  ]);
  const named = new Map(commodities.map((c) => [c.id, c]));
  return {
    fillRateByTier: fillByTier(needs),
    fillRateByTierOverPlans: plans.map((p) => ({ planId: p.id, at: p.solved_at, tiers: p.result.metrics.tiers.map((t) => ({ tier: t.tier, fillRate: t.fillRate })), gini: p.result.metrics.giniOfFulfilment })),
    giniOfFulfilment: giniOfGroups(needs.map((n) => ({ value: n.fulfilled / n.quantity, count: n.needs }))),
    timeToDeliveryHours: delivery.hours,
    deliveredItems: delivery.delivered,
    kilometresByDay: km,
    daysOfCover: cover
      .map((c) => {
        const net = c.outflowPerDay - c.inflowPerDay;
        return { ...c, name: named.get(c.commodityId)!.name, unit: named.get(c.commodityId)!.unit, days: net > 0 ? c.available / net : null };
      })
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** Delivered ÷ asked per priority tier, the tiers assigned by the same policy the optimizer uses. */
function fillByTier(needs: Awaited<ReturnType<typeof needTally>>) {
  const policy = resolvePolicy();
  const tiers = new Map<number, { asked: number; delivered: number; needs: number }>();
  for (const n of needs) {
    const tier = tierOf({ id: '', commodityId: '', quantity: n.quantity, flags: flagsOf(n), urgency: n.urgency }, policy);
    const t = tiers.get(tier) ?? { asked: 0, delivered: 0, needs: 0 };
    t.asked += n.quantity * n.needs;
    t.delivered += n.fulfilled * n.needs;
    t.needs += n.needs;
    tiers.set(tier, t);
  }
  return [...tiers.entries()].sort(([a], [b]) => a - b).map(([tier, t]) => ({ tier, needs: t.needs, asked: t.asked, delivered: t.delivered, fillRate: t.asked ? t.delivered / t.asked : 0 }));
}

/**
 * The Gini coefficient of values given as (value, how many times): the same figure as the solver's gini()
 * over the values written out, computed on the groups. A run of `count` equal values from rank r adds
 * value × (r + … + r + count − 1) to the rank-weighted sum.
 */
export function giniOfGroups(groups: readonly { value: number; count: number }[]): number {
  const sorted = groups.filter((g) => g.count > 0).sort((a, b) => a.value - b.value);
  const n = sorted.reduce((s, g) => s + g.count, 0);
  const total = sorted.reduce((s, g) => s + g.value * g.count, 0);
  if (n === 0 || total <= 0) return 0;
  let weighted = 0;
  let rank = 1;
  for (const { value, count } of sorted) {
    weighted += value * (count * rank + (count * (count - 1)) / 2);
    rank += count;
  }
  return (2 * weighted) / (n * total) - (n + 1) / n;
}
