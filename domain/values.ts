// The API's value lists, one source for the server's schemas and the web app's selects and labels.
// Plain `as const` arrays and their types (and the odd number both sides must agree on) only: this module
// imports nothing, so both sides may load it.

// auth
export const roles = ['admin', 'coordinator', 'charity', 'community', 'driver'] as const;
export type Role = (typeof roles)[number];

// commodities
export const categories = ['food', 'water', 'medicine', 'hygiene', 'infant', 'shelter', 'other'] as const;
export type Category = (typeof categories)[number];

// donations
export const donationStatuses = ['pledged', 'received'] as const;
export type DonationStatus = (typeof donationStatuses)[number];

// drivers
export const driverKinds = ['driver', 'gate_volunteer'] as const;
export type DriverKind = (typeof driverKinds)[number];
export const vehicleTypes = ['car', 'van', 'cargo_bike', 'on_foot'] as const;
export type VehicleType = (typeof vehicleTypes)[number];

// needs and households
export const vulnerabilityFlags = ['elderlyAlone', 'chronicIllness', 'disabled', 'pregnant', 'infant'] as const;
export type VulnerabilityFlag = (typeof vulnerabilityFlags)[number];
export const urgencies = ['low', 'normal', 'high', 'critical'] as const;
export type Urgency = (typeof urgencies)[number];
export const needStatuses = ['open', 'fulfilled', 'cancelled'] as const;
export type NeedStatus = (typeof needStatuses)[number];
/** From this map zoom (a few streets in view) GET /map/needs draws the needs one by one, not in clusters. */
export const MAP_SINGLES_ZOOM = 18;
/** The flags as the needs CSV's columns spell them. */
export const flagColumns = {
  elderlyAlone: 'elderly_alone',
  chronicIllness: 'chronic_illness',
  disabled: 'disabled',
  pregnant: 'pregnant',
  infant: 'infant',
} as const satisfies Record<VulnerabilityFlag, string>;
export type FlagColumn = (typeof flagColumns)[VulnerabilityFlag];
/** The columns of a needs CSV import, in the order the import page lists them; the flags come last. */
export const needImportColumns = ['name', 'address', 'phone', 'lat', 'lon', 'people', 'community', 'commodity', 'quantity', 'urgency', 'deadline', 'notes', ...vulnerabilityFlags.map((f) => flagColumns[f])] as const;
export type NeedImportColumn = (typeof needImportColumns)[number];

// network
export const networkLayers = ['drive', 'walk'] as const;
export type NetworkLayer = (typeof networkLayers)[number];
export const travelModes = ['car', 'van', 'cargo_bike', 'foot'] as const;
export type TravelMode = (typeof travelModes)[number];

// plans
export const planStatuses = ['solving', 'ready', 'approved', 'dispatched', 'failed', 'stale'] as const;
export type PlanStatus = (typeof planStatuses)[number];
/** Why a plan left a need short, as the solver explains it (server/plans/plans.schema.ts checks the two agree). */
export const unmetReasons = ['no_stock', 'capacity', 'handover', 'unreachable', 'outranked'] as const;
export type UnmetReason = (typeof unmetReasons)[number];

// routes and stops
export const routeKinds = ['vehicle', 'walking'] as const;
export type RouteKind = (typeof routeKinds)[number];
export const routeStatuses = ['assigned', 'accepted', 'picked_up', 'completed', 'cancelled'] as const;
export type RouteStatus = (typeof routeStatuses)[number];
export const stopStatuses = ['pending', 'delivered', 'failed', 'collected'] as const;
export type StopStatus = (typeof stopStatuses)[number];
export const failureReasons = ['nobody_home', 'road_blocked', 'refused', 'volunteer_no_show', 'other'] as const;
export type FailureReason = (typeof failureReasons)[number];
/** Who took the goods at a delivery: the recipient, or "left with a neighbour / the building leader". */
export const handovers = ['recipient', 'neighbour', 'building_leader'] as const;
export type Handover = (typeof handovers)[number];
/** Why a stop failed, as stored: a reason a driver gives, or `recalled` when its goods were recalled. */
export type StopFailureReason = FailureReason | 'recalled';

// stock
/** Packs (kits) add four: a component lot's units `packed` into packs and `unpacked` back, a pack lot `assembled` and `disassembled`. */
export const movementKinds = ['received', 'reserved', 'released', 'dispatched', 'delivered', 'returned', 'spoiled', 'adjusted', 'packed', 'assembled', 'disassembled', 'unpacked'] as const;
export type MovementKind = (typeof movementKinds)[number];
/** Kinds a coordinator may record by hand; the others come from donations, plans and deliveries. */
export const manualKinds = ['reserved', 'released', 'spoiled', 'adjusted'] as const;

// zones
export const zoneStatuses = ['sealed', 'controlled', 'precaution', 'open'] as const;
export type ZoneStatus = (typeof zoneStatuses)[number];
