// A generated district at city scale, for tests and benchmarks: what `lifeline seed --district` creates.
// Pure and deterministic: the same households count and seed give the same district, row for row.
import { Random } from '../../solver/random.ts';
import { gridCity } from '../../solver/network/grid-city.ts';
import type { OsmData } from '../../solver/network/osm.ts';
import type { Urgency, VehicleType } from '../../domain/values.ts';
import { commodities as demoCommodities } from '../places.ts';

export interface DistrictOptions {
  households: number;
  seed?: number;
  warehouses?: number;
  vehicles?: number;
  gateVolunteers?: number;
}

/** The district's parts; places (warehouse, zone) are named by index, ids come when written. */
export interface District {
  seed: number;
  map: OsmData;
  commodities: readonly DistrictCommodity[];
  compounds: Compound[];
  warehouses: DistrictWarehouse[];
  lots: DistrictLot[];
  users: DistrictUser[];
  drivers: DistrictDriver[];
  /** How many households; they are generated compound by compound (`households(district)`), never all held at once. */
  households: number;
}

export interface DistrictCommodity {
  code: string;
  name: string;
  unit: string;
  weightKg: number;
  volumeM3: number;
  perishable: boolean;
  category: 'food' | 'water' | 'medicine' | 'hygiene' | 'infant';
}

/** A sealed residential compound: vehicles stop at its gates, volunteers walk to its buildings. */
export interface Compound {
  name: string;
  community: string;
  street: string;
  lane: number;
  polygon: { type: 'Polygon'; coordinates: [number, number][][] };
  gates: { name: string; lat: number; lon: number }[];
  buildings: { lat: number; lon: number }[];
  /** Households [first, first + count) of the district live here. */
  first: number;
  count: number;
}

export interface DistrictWarehouse {
  name: string;
  address: string;
  lat: number;
  lon: number;
  capacityWeightKg: number;
  capacityVolumeM3: number;
}

export interface DistrictLot {
  warehouse: number;
  commodity: string;
  lotCode: string;
  /** Days from the day it is written; null: does not keep an expiry. */
  expiresInDays: number | null;
  quantity: number;
}

export interface DistrictUser {
  email: string;
  name: string;
  role: 'admin' | 'coordinator' | 'charity' | 'community' | 'driver';
  phone: string | null;
}

export interface DistrictDriver {
  email: string;
  kind: 'driver' | 'gate_volunteer';
  vehicleType: VehicleType;
  capacityWeightKg: number;
  capacityVolumeM3: number;
  shiftStart: string;
  shiftEnd: string;
  warehouse: number | null;
  compound: number | null;
}

export interface DistrictHousehold {
  index: number;
  compound: number;
  name: string;
  address: string;
  phone: string | undefined;
  lat: number;
  lon: number;
  people: number;
  community: string;
  elderlyAlone: boolean;
  chronicIllness: boolean;
  disabled: boolean;
  pregnant: boolean;
  infant: boolean;
  needs: DistrictNeed[];
}

export interface DistrictNeed {
  commodity: string;
  quantity: number;
  urgency: Urgency;
  deadlineInDays: number | null;
}

/** Households per compound (a Shanghai compound of 4,000 residents holds about 1,500; ours are smaller lanes). */
const HOUSEHOLDS_PER_COMPOUND = 200;
/** Block length in metres; a compound spans 4 × 4 blocks, with the streets around it open. */
const SPACING_M = 50;
const COMPOUND_CELLS = 4;
/** Share of the grid's squares that are compounds; the others hold warehouses, shops and parks. */
const COMPOUND_SHARE = 0.7;
const ORIGIN = { lat: 31.2, lon: 121.5 };

// Vulnerability shares per household, from city figures for a lockdown district (Shanghai 2022 reports
// and census shares): elderly living alone ~8 % of households (23 % of residents are over 60, and about
// a third of elderly households are one person); chronic illness needing regular medicine ~15 %;
// disability ~4 % (registered disabled ~2.5 % of residents, households hold two to three people);
// pregnancy ~1 % and an infant under two ~3 % (births ~5 per 1,000 residents a year).
// Flags are not independent: elderly living alone are one-person households (never pregnant, no infant)
// and half of them have a chronic illness, so the others' chronic share is lowered to keep ~15 % overall.
export const FLAG_SHARES = { elderlyAlone: 0.08, chronicIllness: 0.15, disabled: 0.04, pregnant: 0.01, infant: 0.03 } as const;
const CHRONIC_IF_ELDERLY_ALONE = 0.5;
const CHRONIC_OTHERWISE = (FLAG_SHARES.chronicIllness - FLAG_SHARES.elderlyAlone * CHRONIC_IF_ELDERLY_ALONE) / (1 - FLAG_SHARES.elderlyAlone);

/** The demo's fifteen commodities and five more a district asks for: twenty in all. */
export const DISTRICT_COMMODITIES: readonly DistrictCommodity[] = [
  ...demoCommodities,
  { code: 'FLOUR-5KG', name: 'Flour', unit: '5 kg bag', weightKg: 5, volumeM3: 0.006, perishable: false, category: 'food' },
  { code: 'NOODLES', name: 'Instant noodles', unit: 'pack of 5', weightKg: 0.5, volumeM3: 0.003, perishable: false, category: 'food' },
  { code: 'PORK-1KG', name: 'Frozen pork', unit: '1 kg pack (cold chain)', weightKg: 1, volumeM3: 0.0012, perishable: true, category: 'food' },
  { code: 'SANITARY-PADS', name: 'Sanitary pads', unit: 'pack of 20', weightKg: 0.3, volumeM3: 0.003, perishable: false, category: 'hygiene' },
  { code: 'ANTIGEN-TEST', name: 'Antigen tests', unit: 'box of 5', weightKg: 0.2, volumeM3: 0.001, perishable: false, category: 'medicine' },
];

/**
 * How much of what is asked the district's stock covers, per commodity: staples and fresh food run short
 * (supply binds), medicine and infant goods are kept covered, the rest roughly meets demand.
 */
const COVER: Record<string, number> = {
  'RICE-5KG': 0.7, 'FLOUR-5KG': 0.6, 'VEG-BOX': 0.45, 'PORK-1KG': 0.5, 'EGGS-12': 0.55, 'MILK-UHT': 0.8, 'WATER-6X1.5': 0.9,
  'INSULIN': 1.2, 'BP-MEDS': 1.3, 'FORMULA': 1.1, 'DIAPERS': 1.1, 'ANTIGEN-TEST': 1.5,
};
const DEFAULT_COVER = 1;
/** Warehouses can send about half of the day's asked weight and volume per shift: dispatch capacity binds too. */
const CAPACITY_SHARE = 0.5;

const STAPLES = ['RICE-5KG', 'FLOUR-5KG', 'NOODLES', 'PASTA-1KG', 'BEANS-CAN', 'OIL-1L', 'WATER-6X1.5', 'HYGIENE-KIT', 'MASKS-50', 'ANTIGEN-TEST'];
const SURNAMES = ['Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Zhao', 'Huang', 'Zhou', 'Wu', 'Xu', 'Sun', 'Hu', 'Zhu', 'Gao', 'Lin', 'He', 'Guo', 'Ma', 'Luo'];
const STREETS = ['Zhangyang', 'Pudong', 'Weifang', 'Laoshan', 'Yuanshen', 'Pujian', 'Lanling', 'Jinqiao', 'Yunshan', 'Hongfeng', 'Dongfang', 'Changliu', 'Yanggao', 'Lancun', 'Shangcheng', 'Fushan'];
const FLEET = [
  { vehicleType: 'van', capacityWeightKg: 800, capacityVolumeM3: 6, share: 0.4 },
  { vehicleType: 'car', capacityWeightKg: 300, capacityVolumeM3: 1.5, share: 0.35 },
  { vehicleType: 'cargo_bike', capacityWeightKg: 120, capacityVolumeM3: 0.6, share: 0.25 },
] as const;

export function generateDistrict(options: DistrictOptions): District {
  const seed = options.seed ?? 1;
  if (!Number.isInteger(options.households) || options.households < 1) throw new RangeError('households: a positive whole number');
  const random = new Random(seed);
  const compoundCount = Math.ceil(options.households / HOUSEHOLDS_PER_COMPOUND);
  const warehouseCount = options.warehouses ?? 40;
  const side = Math.ceil(Math.sqrt((compoundCount + warehouseCount) / COMPOUND_SHARE));
  const cells = side * COMPOUND_CELLS;
  const map = gridCity(cells + 1, cells + 1, seed, { spacingM: SPACING_M, origin: ORIGIN });
  const nodeAt = (r: number, c: number) => map.nodes[r * (cells + 1) + c]!;
  // Which squares are compounds and which hold warehouses: shuffled, so both spread over the district.
  const squares = random.shuffle(Array.from({ length: side * side }, (_, i) => ({ r: Math.floor(i / side), c: i % side })));
  const compoundSquares = squares.slice(0, compoundCount);
  const warehouseSquares = squares.slice(compoundCount, compoundCount + warehouseCount);
  const compounds = compoundSquares.map((square, i) => compound(random, square, i, options.households, nodeAt));
  const commodities = DISTRICT_COMMODITIES;
  const demand = totalDemand({ seed, compounds, households: options.households });
  const warehouses = warehouseSquares.map((square, i) => warehouse(random, square, i, warehouseCount, demand, nodeAt));
  const lots = stock(random, warehouseCount, demand.byCommodity);
  const { users, drivers } = people(random, options.vehicles ?? 400, options.gateVolunteers ?? 2000, warehouseCount, compoundCount);
  return { seed, map, commodities, compounds, warehouses, lots, users, drivers, households: options.households };
}

/** The grid point of a square's corner, in grid cells (fractions allowed), as [lon, lat]. */
function pointIn(nodeAt: (r: number, c: number) => { lat: number; lon: number }, r: number, c: number): { lat: number; lon: number } {
  const r0 = Math.floor(r);
  const c0 = Math.floor(c);
  const a = nodeAt(r0, c0);
  const dLat = nodeAt(r0 + 1, c0).lat - nodeAt(r0, c0).lat || SPACING_M / 111_320;
  const dLon = nodeAt(r0, c0 + 1).lon - nodeAt(r0, c0).lon || SPACING_M / (111_320 * Math.cos((a.lat * Math.PI) / 180));
  return { lat: a.lat + (r - r0) * dLat, lon: a.lon + (c - c0) * dLon };
}

function compound(random: Random, square: { r: number; c: number }, index: number, households: number, nodeAt: (r: number, c: number) => { lat: number; lon: number }): Compound {
  const r0 = square.r * COMPOUND_CELLS;
  const c0 = square.c * COMPOUND_CELLS;
  const k = COMPOUND_CELLS;
  // The fence runs half a block inside the streets around the compound, so those streets stay open.
  const corners = [pointIn(nodeAt, r0 + 0.5, c0 + 0.5), pointIn(nodeAt, r0 + 0.5, c0 + k - 0.5), pointIn(nodeAt, r0 + k - 0.5, c0 + k - 0.5), pointIn(nodeAt, r0 + k - 0.5, c0 + 0.5)];
  const ring = [...corners, corners[0]!].map((p) => [round6(p.lon), round6(p.lat)] as [number, number]);
  // Gates sit just inside the fence on two-way streets (grid-city makes every third side street one-way).
  const twoWay = (c: number) => c % 8 === 0 || c % 3 !== 1;
  const southCol = [c0 + 1, c0 + 2, c0 + 3].find(twoWay)!;
  const northCol = [c0 + 3, c0 + 2, c0 + 1].find(twoWay)!;
  const gatePoints = [pointIn(nodeAt, r0 + 0.6, southCol), pointIn(nodeAt, r0 + k - 0.6, northCol)];
  const street = STREETS[index % STREETS.length]!;
  const lane = 100 + index * 10 + random.int(10);
  const name = `Lane ${lane} ${street} Road`;
  const first = index * HOUSEHOLDS_PER_COMPOUND;
  const count = Math.min(HOUSEHOLDS_PER_COMPOUND, households - first);
  // Six-storey buildings of four flats a floor, placed inside the fence.
  const buildings = Array.from({ length: Math.ceil(count / 24) }, () => pointIn(nodeAt, r0 + 0.8 + random.next() * (k - 1.6), c0 + 0.8 + random.next() * (k - 1.6)));
  return {
    name,
    community: `${street} Community ${1 + Math.floor(index / STREETS.length / 5)}`,
    street,
    lane,
    polygon: { type: 'Polygon', coordinates: [ring] },
    gates: gatePoints.map((p, g) => ({ name: `${name} ${g === 0 ? 'south' : 'north'} gate`, lat: round6(p.lat), lon: round6(p.lon) })),
    buildings: buildings.map((p) => ({ lat: round6(p.lat), lon: round6(p.lon) })),
    first,
    count,
  };
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** The households of the district, compound by compound; each compound draws from its own seed, so any one can be made alone. */
export function* households(district: Pick<District, 'seed' | 'compounds'>): Generator<DistrictHousehold> {
  for (const [c, compound] of district.compounds.entries()) yield* householdsOf(district.seed, compound, c);
}

function* householdsOf(seed: number, compound: Compound, c: number): Generator<DistrictHousehold> {
  const random = new Random((seed * 1_000_003 + c * 7919) >>> 0);
  for (let i = 0; i < compound.count; i++) {
    const index = compound.first + i;
    const building = Math.floor(i / 24);
    const elderlyAlone = random.next() < FLAG_SHARES.elderlyAlone;
    const people = elderlyAlone ? 1 : householdSize(random);
    const pregnant = !elderlyAlone && people >= 2 && random.next() < FLAG_SHARES.pregnant / 0.85;
    const infant = !elderlyAlone && people >= 3 && random.next() < FLAG_SHARES.infant / 0.55;
    const h = {
      index,
      compound: c,
      name: `${SURNAMES[random.int(SURNAMES.length)]} household`,
      address: `${compound.name}, Building ${building + 1}, Room ${1 + Math.floor((i % 24) / 4)}0${1 + (i % 4)}`,
      // Phones are unique (a permutation of the index) and one household in ten gave none.
      phone: random.next() < 0.9 ? `+86 139 ${String((index * 7919 + seed) % 100_000_000).padStart(8, '0')}` : undefined,
      ...compound.buildings[building]!,
      people,
      community: compound.community,
      elderlyAlone,
      chronicIllness: random.next() < (elderlyAlone ? CHRONIC_IF_ELDERLY_ALONE : CHRONIC_OTHERWISE),
      disabled: random.next() < FLAG_SHARES.disabled,
      pregnant,
      infant,
    };
    yield { ...h, needs: needsOf(random, h) };
  }
}

/** 1 to 5 people, mean about 2.7 (Shanghai's mean household size is 2.3–2.8). */
function householdSize(random: Random): number {
  const r = random.next();
  return r < 0.12 ? 1 : r < 0.42 ? 2 : r < 0.75 ? 3 : r < 0.93 ? 4 : 5;
}

function needsOf(random: Random, h: { people: number; elderlyAlone: boolean; chronicIllness: boolean; pregnant: boolean; infant: boolean }): DistrictNeed[] {
  const needs: DistrictNeed[] = [{ commodity: STAPLES[random.int(STAPLES.length)]!, quantity: Math.max(1, Math.round(h.people / 2)) + random.int(2), urgency: random.next() < 0.3 ? 'low' : 'normal', deadlineInDays: null }];
  if (random.next() < 0.5) needs.push({ commodity: random.next() < 0.5 ? 'VEG-BOX' : 'PORK-1KG', quantity: 1 + random.int(2), urgency: 'normal', deadlineInDays: 3 });
  if (h.chronicIllness) needs.push({ commodity: random.next() < 0.4 ? 'INSULIN' : 'BP-MEDS', quantity: 1 + random.int(2), urgency: random.next() < 0.4 ? 'critical' : 'high', deadlineInDays: 1 + random.int(2) });
  if (h.infant) needs.push({ commodity: random.next() < 0.5 ? 'FORMULA' : 'DIAPERS', quantity: 2 + random.int(3), urgency: 'high', deadlineInDays: 2 });
  if (h.elderlyAlone || h.pregnant) needs.push({ commodity: 'MILK-UHT', quantity: 1 + random.int(3), urgency: 'normal', deadlineInDays: 3 });
  if (random.next() < 0.25) needs.push({ commodity: 'EGGS-12', quantity: 1 + random.int(2), urgency: 'low', deadlineInDays: null });
  if (random.next() < 0.1) needs.push({ commodity: 'PARACETAMOL', quantity: 1, urgency: 'normal', deadlineInDays: null });
  if (h.people >= 2 && random.next() < 0.15) needs.push({ commodity: 'SANITARY-PADS', quantity: 1 + random.int(2), urgency: 'normal', deadlineInDays: null });
  return needs;
}

interface Demand {
  byCommodity: Map<string, number>;
  weightKg: number;
  volumeM3: number;
}

/** What the district's households ask for in all: the stock and capacities are sized against it. */
function totalDemand(district: Pick<District, 'seed' | 'compounds' | 'households'>): Demand {
  const byCommodity = new Map<string, number>();
  let weightKg = 0;
  let volumeM3 = 0;
  const of = new Map(DISTRICT_COMMODITIES.map((c) => [c.code, c]));
  for (const h of households(district)) {
    for (const n of h.needs) {
      byCommodity.set(n.commodity, (byCommodity.get(n.commodity) ?? 0) + n.quantity);
      weightKg += n.quantity * of.get(n.commodity)!.weightKg;
      volumeM3 += n.quantity * of.get(n.commodity)!.volumeM3;
    }
  }
  return { byCommodity, weightKg, volumeM3 };
}

function warehouse(random: Random, square: { r: number; c: number }, index: number, count: number, demand: Demand, nodeAt: (r: number, c: number) => { lat: number; lon: number }): DistrictWarehouse {
  // At a street corner of its square, so it is on the road network.
  const at = nodeAt(square.r * COMPOUND_CELLS, square.c * COMPOUND_CELLS);
  const share = (0.7 + random.next() * 0.6) / count;
  return {
    name: `${STREETS[index % STREETS.length]} Depot ${index + 1}`,
    address: `${1 + random.int(900)} ${STREETS[(index * 7) % STREETS.length]} Road`,
    lat: at.lat,
    lon: at.lon,
    capacityWeightKg: Math.round(demand.weightKg * CAPACITY_SHARE * share),
    capacityVolumeM3: Math.round(demand.volumeM3 * CAPACITY_SHARE * share * 10) / 10,
  };
}

/** Lots spread over the warehouses (four in five stock a commodity), the total set by the commodity's cover. */
function stock(random: Random, warehouseCount: number, demand: Map<string, number>): DistrictLot[] {
  const lots: DistrictLot[] = [];
  for (const commodity of DISTRICT_COMMODITIES) {
    const total = Math.round((demand.get(commodity.code) ?? 0) * (COVER[commodity.code] ?? DEFAULT_COVER));
    const holders = Array.from({ length: warehouseCount }, (_, w) => w).filter(() => random.next() < 0.8);
    if (holders.length === 0 || total === 0) continue;
    const perLot = commodity.perishable ? 2 : 1;
    const pieces = holders.length * perLot;
    holders.forEach((w, h) => {
      for (let l = 0; l < perLot; l++) {
        const piece = h * perLot + l;
        const quantity = Math.floor((total * (piece + 1)) / pieces) - Math.floor((total * piece) / pieces);
        if (quantity <= 0) continue;
        lots.push({
          warehouse: w,
          commodity: commodity.code,
          lotCode: `W${w + 1}-${commodity.code}-${l + 1}`,
          expiresInDays: commodity.perishable ? 2 + random.int(10) : 180 + random.int(365),
          quantity,
        });
      }
    });
  }
  return lots;
}

/** One sign-in per role as in the demo, and one per driver and gate volunteer. */
function people(random: Random, vehicles: number, volunteers: number, warehouseCount: number, compoundCount: number): { users: DistrictUser[]; drivers: DistrictDriver[] } {
  const users: DistrictUser[] = [
    { email: 'admin@lifeline.local', name: 'Ada Admin', role: 'admin', phone: null },
    { email: 'coordinator@lifeline.local', name: 'Chiara Coordinator', role: 'coordinator', phone: null },
    { email: 'charity@lifeline.local', name: 'Relief Desk', role: 'charity', phone: null },
    { email: 'community@lifeline.local', name: 'Camille Community', role: 'community', phone: null },
  ];
  const drivers: DistrictDriver[] = [];
  const phone = () => `+86 138 ${String(random.int(100_000_000)).padStart(8, '0')}`;
  for (let i = 0; i < vehicles; i++) {
    const email = `driver${i + 1}@lifeline.local`;
    users.push({ email, name: `Driver ${i + 1}`, role: 'driver', phone: phone() });
    const r = random.next();
    const vehicle = FLEET.find((_, f) => r < FLEET.slice(0, f + 1).reduce((s, v) => s + v.share, 0)) ?? FLEET[0];
    // Early and late shifts alternate within each warehouse's crew (its drivers are i, i + count, …), so
    // every warehouse has drivers out in the morning, when critical medicine is due.
    const early = Math.floor(i / warehouseCount) % 2 === 0;
    drivers.push({ email, kind: 'driver', vehicleType: vehicle.vehicleType, capacityWeightKg: vehicle.capacityWeightKg, capacityVolumeM3: vehicle.capacityVolumeM3, shiftStart: early ? '07:00' : '12:00', shiftEnd: early ? '15:00' : '20:00', warehouse: i % warehouseCount, compound: null });
  }
  for (let i = 0; i < volunteers; i++) {
    const email = `volunteer${i + 1}@lifeline.local`;
    users.push({ email, name: `Gate volunteer ${i + 1}`, role: 'driver', phone: phone() });
    const early = Math.floor(i / compoundCount) % 2 === 0;
    drivers.push({ email, kind: 'gate_volunteer', vehicleType: 'on_foot', capacityWeightKg: 20, capacityVolumeM3: 0.06, shiftStart: early ? '08:00' : '13:00', shiftEnd: early ? '14:00' : '19:00', warehouse: null, compound: i % compoundCount });
  }
  return { users, drivers };
}
