// The coordinators' dashboard: how well the needs are being met (fill rate by priority tier, over
// plans and now), how fast (time to delivery), how evenly (Gini), how far the vans drive, and how many
// days each commodity's stock lasts at the recent net outflow. It has no table: it reads each noun through its repo.
import type { Db } from '../db/database.ts';
import { gini } from '../../solver/allocation/metrics.ts';
import { resolvePolicy, tierOf } from '../../solver/allocation/policy.ts';
import { flowRates } from '../stock/stock.service.ts';
import { allCommodities } from '../commodities/commodities.service.ts';
import { flagsOf, needsWithFlags } from '../needs/needs.repo.ts';
import { solvedPlans } from '../plans/plans.repo.ts';
import { kilometresByDay } from '../dispatch/dispatch.repo.ts';
import { deliveryTimes } from '../dispatch/stops.repo.ts';
import type { Dashboard } from './dashboard.schema.ts';

export async function dashboard(db: Db): Promise<Dashboard> {
  const [needs, plans, cover, km, delivery, commodities] = await Promise.all([
    needsWithFlags(db),
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
    giniOfFulfilment: gini(needs.map((n) => n.fulfilled / n.quantity)),
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
function fillByTier(needs: Awaited<ReturnType<typeof needsWithFlags>>) {
  const policy = resolvePolicy();
  const tiers = new Map<number, { asked: number; delivered: number; needs: number }>();
  for (const n of needs) {
    const tier = tierOf({ id: '', commodityId: '', quantity: n.quantity, flags: flagsOf(n), urgency: n.urgency }, policy);
    const t = tiers.get(tier) ?? { asked: 0, delivered: 0, needs: 0 };
    t.asked += n.quantity;
    t.delivered += n.fulfilled;
    t.needs += 1;
    tiers.set(tier, t);
  }
  return [...tiers.entries()].sort(([a], [b]) => a - b).map(([tier, t]) => ({ tier, needs: t.needs, asked: t.asked, delivered: t.delivered, fillRate: t.asked ? t.delivered / t.asked : 0 }));
}
