// The allocation problem as callers hand it in (stock lots, warehouses, commodities, needs, travel,
// coordinator pins and exclusions, policy) and the plan that comes back; plain data both ways.

export interface Location {
  lat: number;
  lon: number;
}

export interface Lot {
  id: string;
  warehouseId: string;
  commodityId: string;
  quantity: number;
  /** Epoch milliseconds; absent for goods that do not expire. */
  expiresAt?: number;
}

export interface Warehouse {
  id: string;
  /** What the explanations call it (the id when absent). */
  name?: string;
  /** Dispatch capacity per shift, shared by all commodities (Infinity when unlimited). */
  capacityWeightKg: number;
  capacityVolumeM3: number;
  location?: Location;
}

export interface Commodity {
  id: string;
  /** What the explanations call it (the id when absent), with its unit, e.g. "Rice (5 kg bag)". */
  name?: string;
  /** Per unit. */
  weightKg: number;
  volumeM3: number;
  perishable: boolean;
}

export type Urgency = 'critical' | 'high' | 'normal' | 'low';

export interface Need {
  id: string;
  commodityId: string;
  quantity: number;
  /** 1 = most vulnerable. When absent, the policy derives it from `flags` and `urgency`. */
  tier?: number;
  flags?: string[];
  urgency?: Urgency;
  /** Epoch milliseconds: goods arriving later than this are of no use. */
  deadline?: number;
  /** Days this need has already waited unserved; raises its weight (deprivation). */
  daysWaiting?: number;
  zoneId?: string;
  location?: Location;
  /**
   * Where the goods are handed over when several needs share it (a sealed compound's gate): needs naming
   * the same point share its travel times, and a travel matrix may have one column per point instead of
   * one per need. When `points` lists it, they also share its handover capacity.
   */
  pointId?: string;
}

/**
 * A delivery point whose handover is limited: a sealed compound's gate, where volunteers carry in no more
 * than their hours allow, whatever the warehouse and the commodity. Needs name it by `pointId`.
 */
export interface HandoverPoint {
  id: string;
  /** What the explanations call it (the id when absent). */
  name?: string;
  /** What can be handed over there per shift (Infinity when unlimited). */
  capacityWeightKg: number;
  capacityVolumeM3: number;
}

/** Travel time from a warehouse to a need: seconds, or Infinity with the network's reason. */
export interface Travel {
  seconds: number;
  reason?: string;
}

export type TravelTimes = (warehouseId: string, needId: string) => Travel;

/** A matrix form of travel times (rows: warehouses, columns: needs); `null` means unreachable. */
export interface TravelMatrix {
  warehouseIds: string[];
  /** One column per need id, or per point id for the needs that name a `pointId`. */
  needIds: string[];
  seconds: (number | null)[][];
  /** Same shape; why a `null` entry is unreachable. */
  reasons?: (string | null)[][];
}

/** The coordinator forces at least `quantity` from a warehouse to a need. */
export interface Pin {
  needId: string;
  warehouseId: string;
  quantity: number;
}

/** The coordinator forbids a warehouse from serving a need. */
export interface Exclusion {
  needId: string;
  warehouseId: string;
}

/** Recent stock movement of a commodity, for days of cover. */
export interface CommodityFlow {
  commodityId: string;
  inflowPerDay: number;
  outflowPerDay: number;
}

export interface PriorityPolicy {
  /** Tier of each vulnerability flag; a need takes the most vulnerable (lowest) tier of its flags. */
  flagTiers: Record<string, number>;
  /** Tier of a need without any listed flag. */
  defaultTier: number;
  /** Urgency moves a need up (negative) or down (positive) this many tiers, clamped to [1, last]. */
  urgencyTierShift: Record<Urgency, number>;
  /** Base weight per unit delivered, by tier (index 0 = tier 1). */
  tierWeights: number[];
  /** Weight multiplier by urgency. */
  urgencyWeights: Record<Urgency, number>;
  /** Deprivation growth: weight × exp(rate × daysWaiting), capped at `deprivationCap`. */
  deprivationRatePerDay: number;
  deprivationCap: number;
  /** Candidate arcs: this many nearest reachable warehouses holding usable stock, per need. */
  nearestWarehouses: number;
}

export interface AllocationProblem {
  lots: Lot[];
  warehouses: Warehouse[];
  commodities: Commodity[];
  needs: Need[];
  /** Absent: straight-line times from the locations of warehouses and needs. */
  travel?: TravelTimes | TravelMatrix;
  pins?: Pin[];
  exclusions?: Exclusion[];
  /** Points whose handover capacity is shared by the needs naming them (absent: every point is unlimited). */
  points?: HandoverPoint[];
  /** Epoch milliseconds: the plan's dispatch time, for expiry and deadlines. */
  now: number;
  policy?: Partial<PriorityPolicy>;
  flows?: CommodityFlow[];
}

export type Backend = 'auto' | 'flow' | 'highs' | 'jslp';

export interface AllocateOptions {
  seed: number;
  /** Stopping rule for each LP solve; the flow path is exact and finishes on its own. */
  timeLimitMs?: number;
  /** 'auto' takes the network-flow path when the constraints allow it and HiGHS otherwise. */
  backend?: Backend;
  /** Also solve without fairness floors to report the price of fairness (one more solve). */
  priceOfFairness?: boolean;
  /**
   * Round the optimum to whole units (goods move in units) before the fulfilment, the explanations and
   * the metrics are computed from it; the stage values stay those of the LP optimum.
   */
  wholeUnits?: boolean;
  /**
   * Solve needs that the model cannot tell apart (same candidates, tier and weight) as one class, then
   * share each class's total among its members (default true; false solves one row per need).
   */
  classes?: boolean;
}

export interface Allocation {
  needId: string;
  lotId: string;
  warehouseId: string;
  commodityId: string;
  quantity: number;
  travelTimeS: number;
}

export interface NeedFulfilment {
  needId: string;
  tier: number;
  weight: number;
  asked: number;
  allocated: number;
  /** allocated / asked. */
  fraction: number;
}

export type UnmetReason = 'no_stock' | 'capacity' | 'handover' | 'unreachable' | 'outranked';

export interface UnmetNeed {
  needId: string;
  tier: number;
  asked: number;
  allocated: number;
  shortfall: number;
  reason: UnmetReason;
  /** One sentence with the numbers, for the coordinator. */
  explanation: string;
  /** The numbers behind the reason. */
  details: Record<string, number | string | string[]>;
}

export interface TierMetrics {
  tier: number;
  needs: number;
  /** Allocated / asked over the tier. */
  fillRate: number;
  /** Smallest allocated/asked of any need in the tier. */
  smallestFraction: number;
  /** The fairness floor the solver guaranteed: share of each need's attainable quantity. */
  floor: number;
}

export interface CommodityCover {
  commodityId: string;
  stockBefore: number;
  stockAfter: number;
  netOutflowPerDay: number;
  /** Days the remaining stock lasts at the recent net outflow; null when stock does not run down. */
  daysOfCover: number | null;
}

export interface PlanMetrics {
  tiers: TierMetrics[];
  overallFillRate: number;
  /** Gini coefficient of the fulfilled fractions of all needs (0 = equal). */
  giniOfFulfilment: number;
  weightedFulfilment: number;
  /** Weighted fulfilment without fairness floors, and the relative loss the floors cost. */
  weightedFulfilmentWithoutFairness?: number;
  priceOfFairness?: number;
  /** Σ quantity × travel seconds. */
  totalTravel: number;
  cover: CommodityCover[];
}

/**
 * The stage a time limit (or a solver giving up) stopped: the plan is feasible and optimal for the stages before it. `reached`
 * is its value at this stage (the smallest share of a tier, weighted fulfilment or travel), `bound` what
 * the optimum cannot exceed there, when known.
 */
export interface Stopped {
  stage: 'floor' | 'weighted fulfilment' | 'travel';
  tier?: number;
  reached: number;
  bound?: number;
  /** Where the plan comes from. */
  from: string;
  /** Set when the solver gave up on the stage rather than running out of time: what it said. */
  because?: string;
}

export interface SolverStats {
  /** Which engine ran: the network-flow fast path or an LP backend. */
  backend: 'flow' | 'highs' | 'jslp';
  /** Why this engine was chosen. */
  route: string;
  ms: number;
  variables: number;
  /** False when a time limit stopped the solve: the plan is then the best feasible one found (`stopped` says how good). */
  optimal: boolean;
  stopped?: Stopped;
  /** Rows the solve had for the needs: classes of needs it cannot tell apart (the needs' count when not grouped). */
  classes: number;
  stages: {
    tierFloors: { tier: number; floor: number }[];
    weightedFulfilment: number;
    totalTravel: number;
  };
}

export interface Plan {
  allocations: Allocation[];
  fulfilment: NeedFulfilment[];
  unmet: UnmetNeed[];
  metrics: PlanMetrics;
  solver: SolverStats;
}
