// The shapes the web app reads from the API (what the server answers, not its input schemas).
import type { CommodityStock } from '../../server/stock/stock.schema.ts';
export type { Role, SignedInUser as Me } from '../../server/auth/roles.ts';
export type { ListedUser } from '../../server/auth/auth.schema.ts';

export interface Warehouse {
  id: number;
  name: string;
  address: string;
  lat: number;
  lon: number;
  openingHours: string;
  capacityWeightKg: number;
  capacityVolumeM3: number;
}

export interface Commodity {
  id: number;
  code: string;
  name: string;
  unit: string;
  perishable: boolean;
  category: string;
}

// What the server answers for stock and donations, typed once on the server.
export type { DonationItem, Donation } from '../../server/donations/donations.schema.ts';
export type StockLine = CommodityStock;
export type Lot = CommodityStock['lots'][number];

export interface Tracking {
  trackingCode: string;
  status: string;
  pledgedAt: string;
  receivedAt: string | null;
  warehouse: string;
  items: { commodity: string; pledged: number; accepted: number | null; rejected: number | null }[];
  journey: { at: string; event: string; commodity: string; quantity: number; warehouse?: string; community?: string }[];
  communitiesReached: (string | { community: string; quantity?: number })[];
}

export const vulnerabilityFlags = ['elderlyAlone', 'chronicIllness', 'disabled', 'pregnant', 'infant'] as const;
export type Flag = (typeof vulnerabilityFlags)[number];
export const urgencies = ['low', 'normal', 'high', 'critical'] as const;
export type Urgency = (typeof urgencies)[number];

export interface Household extends Record<Flag, boolean> {
  id: number;
  name: string;
  address: string;
  phone: string | null;
  lat: number;
  lon: number;
  people: number;
  community: string;
  zoneId: number | null;
  notes: string | null;
  version: number;
}

export interface Need {
  id: number;
  status: 'open' | 'fulfilled' | 'cancelled';
  urgency: Urgency;
  version: number;
  deadline: string | null;
  quantity: number;
  fulfilled: number;
  commodityId: number;
  householdId: number;
  household: Household;
  tier?: number;
}

export interface ImportReport {
  rows: number;
  created: number;
  merged: number;
  failed: number;
  report: { line: number; status: string; needId?: number; errors?: { field: string; reason: string }[] }[];
}

export const zoneStatuses = ['sealed', 'controlled', 'precaution', 'open'] as const;
export type ZoneStatus = (typeof zoneStatuses)[number];

export interface Zone {
  id: number;
  name: string;
  polygon: { type: 'Polygon'; coordinates: [number, number][][] };
  status: ZoneStatus;
  statusOn: string;
  gates: { id?: number; name: string; lat: number; lon: number }[];
}

export interface Closure {
  id: number;
  lat: number;
  lon: number;
  radiusM?: number;
  layer?: 'drive' | 'walk';
  reason: string;
}

export interface Driver {
  id: number;
  userId: number | null;
  name: string;
  kind: 'driver' | 'gate_volunteer';
  vehicleType: string;
  homeWarehouseId: number | null;
}

export type PlanStatus = 'solving' | 'ready' | 'approved' | 'dispatched' | 'failed' | 'stale';
export type UnmetReason = 'no_stock' | 'capacity' | 'unreachable' | 'outranked';

export interface Allocation {
  needId: number;
  lotId: number;
  warehouseId: number;
  commodityId: number;
  quantity: number;
  travelTimeS: number;
}

export interface Unmet {
  needId: number;
  /** NaN when the server does not say (the need's own commodity then). */
  commodityId: number;
  tier?: number;
  asked: number;
  allocated: number;
  reason: UnmetReason;
  detail: string;
}

export interface PlanMetrics {
  fillRateByTier: Record<string, number>;
  minFulfilmentByTier?: Record<string, number>;
  overallFillRate?: number;
  gini?: number;
  priceOfFairness?: number;
  /** Σ quantity × travel seconds. */
  totalTravel?: number;
  daysOfCover?: { commodityId: number; days: number | null }[];
}

export interface Plan {
  id: number;
  status: PlanStatus;
  createdAt?: string;
  progress?: { stage: string; fraction: number };
  result?: { allocations: Allocation[]; unmet: Unmet[]; metrics: PlanMetrics };
  error?: string;
}

export type StopStatus = 'pending' | 'delivered' | 'failed';
export const failureReasons = ['nobody_home', 'road_blocked', 'refused', 'other'] as const;
export type FailureReason = (typeof failureReasons)[number];

export interface Stop {
  id: number;
  seq: number;
  kind: 'pickup' | 'delivery' | 'gate' | 'door';
  status: StopStatus;
  eta: string | null;
  lat: number;
  lon: number;
  recipient?: { name: string; address: string; phone?: string | null } | null;
  items: { commodityId: number; name: string; quantity: number }[];
}

export interface Route {
  id: number;
  driverId: number;
  kind: 'vehicle' | 'walking';
  status: string;
  stops: Stop[];
  geometry?: { type: 'LineString'; coordinates: [number, number][] } | null;
  distanceM?: number;
  durationS?: number;
  warehouseId?: number | null;
}

export interface PathAnswer {
  /** False when no path exists; `reason` then says why (a closure, a sealed zone…). */
  reachable?: boolean;
  reason?: string;
  timeS: number;
  lengthM: number;
  geometry: { type: 'LineString'; coordinates: [number, number][] };
}
