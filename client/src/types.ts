// The shapes the web app reads from the API. Records are the server's own types, imported type-only
// (nothing of the server reaches the bundle); value lists and their types come from domain/values.ts. Plans
// and routes are the screens' own view, which plan-data.ts and route-data.ts read from the answers.
import type { CommodityStock } from '../../server/stock/stock.schema.ts';
import type { ProofSummary } from '../../server/dispatch/dispatch.schema.ts';
export type { Role, SignedInUser as Me } from '../../server/auth/roles.ts';
export type { ListedUser } from '../../server/auth/auth.schema.ts';
export type { Warehouse } from '../../server/warehouses/warehouses.schema.ts';
export type { Commodity } from '../../server/commodities/commodities.schema.ts';
export type { DonationItem, Donation, Tracking } from '../../server/donations/donations.schema.ts';
export type { Household, MapNeed, NeedCluster, NeedCommunity, NeedMap, NeedWithHousehold as Need, ImportReport } from '../../server/needs/needs.schema.ts';
export type { Zone } from '../../server/zones/zones.schema.ts';
export type { Closure, PathAnswer } from '../../server/network/network.schema.ts';
export type { Driver } from '../../server/drivers/drivers.schema.ts';
export type { CampaignLive, CampaignView, ListedCampaign } from '../../server/campaigns/campaigns.schema.ts';
export type { AssemblyResult, Pack, PackLot } from '../../server/packs/packs.schema.ts';
export type { FailureReason, PlanStatus, StopStatus, UnmetReason, Urgency, VulnerabilityFlag as Flag, ZoneStatus } from '../../domain/values.ts';
import type { PlanStatus, StopStatus, UnmetReason } from '../../domain/values.ts';

export type StockLine = CommodityStock;
export type Lot = CommodityStock['lots'][number];

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

export interface Stop {
  id: number;
  seq: number;
  kind: 'collection' | 'delivery' | 'gate' | 'door';
  status: StopStatus;
  /** Which trip of the route (the driver reloads at the warehouse between trips); null for a single trip. */
  trip?: number | null;
  /** A collection stop's pledge: from whom, where, and what to load. */
  pledge?: { trackingCode: string; donorName: string; donorContact: string | null; address: string; items: { commodity: string; unit: string; quantity: number }[] } | null;
  eta: string | null;
  lat: number;
  lon: number;
  recipient?: { name: string; address: string; phone?: string | null } | null;
  items: { commodityId: number; name: string; quantity: number }[];
  /** Who took the goods, by the phone's clock (coordinators see it on the board). */
  proof?: Pick<ProofSummary, 'handedTo' | 'receiverName' | 'deviceTime' | 'hasPhoto'> | null;
}

export interface Route {
  id: number;
  driverId: number;
  kind: 'vehicle' | 'walking';
  status: string;
  stops: Stop[];
  /** Indexes into `stops` of the stops that start a new trip (back to the warehouse to reload before each). */
  reloads?: number[];
  geometry?: { type: 'LineString'; coordinates: [number, number][] } | null;
  distanceM?: number;
  durationS?: number;
  warehouseId?: number | null;
}
/** A route as the board lists it (GET /api/routes?view=summary): its stops counted by state, not the stops themselves. */
export interface RouteSummary {
  id: number;
  driverId: number;
  kind: 'vehicle' | 'walking';
  status: string;
  stopCount: number;
  stopsByStatus: Record<StopStatus, number>;
  weightKg: number;
}
export type { HandoverStop } from '../../server/dispatch/handover.schema.ts';
