// Reads a plan as the server sends it into the one shape the plan screens use: allocations, unmet
// needs with their reasons, and the fairness figures (accepting the solver's own field names too).
import type { Allocation, Plan, PlanMetrics, PlanStatus, Unmet, UnmetReason } from './types.ts';

type Raw = Record<string, unknown>;

const num = (v: unknown): number => Number(v);

function readAllocations(raw: Raw): Allocation[] {
  const list = (raw.allocations ?? (raw.result as Raw | undefined)?.allocations ?? []) as Raw[];
  return list.map((a) => ({
    needId: num(a.needId),
    lotId: num(a.lotId),
    warehouseId: num(a.warehouseId),
    commodityId: num(a.commodityId),
    quantity: num(a.quantity),
    travelTimeS: a.travelTimeS == null ? NaN : num(a.travelTimeS),
  }));
}

function readUnmet(result: Raw): Unmet[] {
  return ((result.unmet ?? []) as Raw[]).map((u) => ({
    needId: num(u.needId),
    commodityId: u.commodityId == null ? NaN : num(u.commodityId),
    tier: u.tier == null ? undefined : num(u.tier),
    asked: num(u.asked),
    allocated: num(u.allocated),
    reason: u.reason as UnmetReason,
    detail: String(u.detail ?? u.explanation ?? ''),
  }));
}

function readMetrics(m: Raw | undefined): PlanMetrics {
  if (!m) return { fillRateByTier: {} };
  const tiers = m.tiers as { tier: number; fillRate: number; smallestFraction: number }[] | undefined;
  const cover = (m.daysOfCover ?? m.cover ?? []) as Raw[];
  return {
    fillRateByTier: (m.fillRateByTier as Record<string, number>) ?? Object.fromEntries((tiers ?? []).map((t) => [String(t.tier), t.fillRate])),
    minFulfilmentByTier: (m.minFulfilmentByTier as Record<string, number>) ?? (tiers ? Object.fromEntries(tiers.map((t) => [String(t.tier), t.smallestFraction])) : undefined),
    overallFillRate: m.overallFillRate == null ? undefined : num(m.overallFillRate),
    gini: m.gini != null ? num(m.gini) : m.giniOfFulfilment != null ? num(m.giniOfFulfilment) : undefined,
    priceOfFairness: m.priceOfFairness == null ? undefined : num(m.priceOfFairness),
    totalTravel: m.totalTravel == null ? undefined : num(m.totalTravel),
    daysOfCover: cover.map((c) => ({ commodityId: num(c.commodityId), days: c.days !== undefined ? (c.days as number | null) : ((c.daysOfCover as number | null) ?? null) })),
  };
}

export function readPlan(raw: Raw): Plan {
  const result = raw.result as Raw | null | undefined;
  const error = raw.error;
  return {
    id: num(raw.id),
    status: raw.status as PlanStatus,
    createdAt: raw.createdAt as string | undefined,
    progress: raw.progress as Plan['progress'],
    error: typeof error === 'string' ? error : (error as { detail?: string } | null)?.detail ?? undefined,
    result: result ? { allocations: readAllocations(raw), unmet: readUnmet(result), metrics: readMetrics((result.metrics ?? raw.metrics) as Raw | undefined) } : undefined,
  };
}
