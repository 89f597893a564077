// The demo scenario on the real Monaco map: four warehouses with stock (some of it donated, one parish
// food drive pledged for collection), fifteen commodities, a sealed and a controlled zone, 320 households
// with realistic needs and vulnerability flags placed on real streets, eight drivers, four gate
// volunteers and one sign-in per role.
// Deterministic: the same map gives the same demo.
import type { Db } from '../server/db/database.ts';
import type { OsmData } from '../solver/network/osm.ts';
import { Random } from '../solver/random.ts';
import { createUser } from '../server/auth/auth.service.ts';
import type { SignedInUser } from '../server/auth/roles.ts';
import { createWarehouse } from '../server/warehouses/warehouses.service.ts';
import { createCommodity } from '../server/commodities/commodities.service.ts';
import type { Commodity } from '../server/commodities/commodities.schema.ts';
import { receiveLot } from '../server/stock/stock.service.ts';
import { pledge, receive } from '../server/donations/donations.service.ts';
import { createZone } from '../server/zones/zones.service.ts';
import { recordNeed } from '../server/needs/needs.service.ts';
import { createDriver } from '../server/drivers/drivers.service.ts';
import type { HouseholdInput } from '../server/needs/needs.schema.ts';
import * as places from './places.ts';

export const HOUSEHOLDS = 320;

export interface DemoLogin {
  email: string;
  role: string;
}

/** True when the database holds no users yet (the demo is loaded only then). */
export async function isEmpty(db: Db): Promise<boolean> {
  const [row] = await db.query<{ n: number }>('SELECT count(*) AS n FROM users');
  return row!.n === 0;
}

export async function seedDemo(db: Db, osm: OsmData, password: string): Promise<DemoLogin[]> {
  const random = new Random(2022);
  const users = await seedUsers(db, password);
  const coordinator = users.get('coordinator@lifeline.local')!;
  const warehouses = [];
  for (const w of places.warehouses) warehouses.push(await createWarehouse(db, w));
  const commodities: Commodity[] = [];
  for (const c of places.commodities) commodities.push(await createCommodity(db, { ...c }));
  const sealed = await createZone(db, places.sealedZone, coordinator.id);
  await createZone(db, places.controlledZone, coordinator.id);
  await seedStock(db, random, warehouses.map((w) => w.id), commodities, users);
  await seedHouseholds(db, random, osm, commodities, users.get('community@lifeline.local')!);
  await seedDrivers(db, random, users, warehouses.map((w) => w.id), sealed.id);
  return [...users.values()].map((u) => ({ email: u.email, role: u.role }));
}

async function seedUsers(db: Db, password: string): Promise<Map<string, SignedInUser>> {
  const people = [
    { email: 'admin@lifeline.local', name: 'Ada Admin', role: 'admin' as const },
    { email: 'coordinator@lifeline.local', name: 'Chiara Coordinator', role: 'coordinator' as const },
    { email: 'charity@lifeline.local', name: 'Croix-Rouge Desk', role: 'charity' as const },
    { email: 'community@lifeline.local', name: 'Camille Community', role: 'community' as const },
    ...Array.from({ length: 8 }, (_, i) => ({ email: `driver${i + 1}@lifeline.local`, name: `Driver ${i + 1}`, role: 'driver' as const })),
    ...Array.from({ length: 4 }, (_, i) => ({ email: `volunteer${i + 1}@lifeline.local`, name: `Gate volunteer ${i + 1}`, role: 'driver' as const })),
  ];
  const users = new Map<string, SignedInUser>();
  for (const person of people) users.set(person.email, await createUser(db, { ...person, password }));
  return users;
}

const isoDay = (daysFromToday: number) => new Date(Date.now() + daysFromToday * 86_400_000).toISOString().slice(0, 10);

async function seedStock(db: Db, random: Random, warehouseIds: number[], commodities: Commodity[], users: Map<string, SignedInUser>): Promise<void> {
  const coordinator = users.get('coordinator@lifeline.local')!;
  const charity = users.get('charity@lifeline.local')!;
  for (const [w, warehouseId] of warehouseIds.entries()) {
    for (const commodity of commodities) {
      if (random.next() < 0.2) continue; // not every warehouse stocks everything
      const lots = commodity.perishable ? 2 : 1;
      for (let l = 0; l < lots; l++) {
        await receiveLot(
          db,
          {
            warehouseId,
            commodityId: commodity.id,
            lotCode: `W${w + 1}-${commodity.code}-${l + 1}`,
            expiresOn: commodity.perishable ? isoDay(2 + random.int(10)) : isoDay(180 + random.int(365)),
            quantity: 10 + random.int(commodity.category === 'medicine' ? 30 : 60),
            reason: 'municipal purchase',
          },
          coordinator.id,
          null,
        );
      }
    }
  }
  // Three donations from the charity desk, received at the door (one with a rejected part).
  const donated = [
    { warehouse: 0, donor: 'Carrefour Fontvieille', items: [['RICE-5KG', 40], ['PASTA-1KG', 80], ['OIL-1L', 30]] },
    { warehouse: 1, donor: 'Pharmacie du Rocher', items: [['PARACETAMOL', 60], ['BP-MEDS', 25], ['MASKS-50', 40]] },
    { warehouse: 2, donor: 'Rotary Club Monte-Carlo', items: [['FORMULA', 30], ['DIAPERS', 40], ['MILK-UHT', 60]] },
  ] as const;
  for (const d of donated) {
    const items = d.items.map(([code, quantity]) => ({ commodityId: commodities.find((c) => c.code === code)!.id, quantity }));
    const donation = await pledge(db, { warehouseId: warehouseIds[d.warehouse]!, donorName: d.donor, donorContact: '+377 93 00 00 00', items }, charity);
    await receive(
      db,
      donation.id,
      {
        items: donation.items.map((item, i) => {
          const perishable = commodities.find((c) => c.id === item.commodityId)!.perishable;
          const rejected = i === 0 && d.warehouse === 2 ? 5 : 0;
          return {
            itemId: item.id,
            accepted: item.quantityPledged - rejected,
            rejected,
            rejectionReason: rejected ? 'damaged packaging' : undefined,
            expiresOn: perishable ? isoDay(6) : isoDay(300),
          };
        }),
      },
      coordinator,
    );
  }
  // A parish food drive pledged for collection: dispatch sends a van from Port Hercule to pick it up.
  const drive = [['RICE-5KG', 12], ['PASTA-1KG', 40], ['BEANS-CAN', 60]] as const;
  await pledge(
    db,
    {
      warehouseId: warehouseIds[1]!,
      donorName: 'Paroisse Saint-Charles food drive',
      donorContact: '+377 93 50 00 00',
      collection: { address: 'Église Saint-Charles, Avenue Saint-Charles, Monte-Carlo', lat: 43.7405, lon: 7.4262 },
      items: drive.map(([code, quantity]) => ({ commodityId: commodities.find((c) => c.code === code)!.id, quantity })),
    },
    charity,
  );
}

const SURNAMES = ['Rossi', 'Bianchi', 'Martin', 'Bernard', 'Gastaud', 'Boeri', 'Pastor', 'Notari', 'Crovetto', 'Marsan', 'Ferrero', 'Giordano', 'Moreau', 'Lefèvre', 'Rinaldi', 'Bertrand', 'Fissore', 'Médecin', 'Vatrican', 'Bellando', 'Cellario', 'Ramponi', 'Grinda', 'Palmaro', 'Devissi'];
const STAPLES = ['RICE-5KG', 'PASTA-1KG', 'BEANS-CAN', 'OIL-1L', 'WATER-6X1.5', 'HYGIENE-KIT', 'MASKS-50'];

interface StreetPoint {
  lat: number;
  lon: number;
  street: string;
}

/** Points on named streets inside the service area: where the demo's households live. */
export function streetPoints(osm: OsmData): StreetPoint[] {
  const nodes = new Map(osm.nodes.map((n) => [n.id, n]));
  const { minLat, maxLat, minLon, maxLon } = places.serviceArea;
  const kinds = new Set(['residential', 'living_street', 'tertiary', 'secondary', 'primary', 'unclassified', 'pedestrian', 'service']);
  const points: StreetPoint[] = [];
  for (const way of osm.ways) {
    if (!kinds.has(way.tags.highway ?? '') || !way.tags.name) continue;
    for (const ref of way.refs) {
      const node = nodes.get(ref);
      if (node && node.lat >= minLat && node.lat <= maxLat && node.lon >= minLon && node.lon <= maxLon) {
        points.push({ lat: node.lat, lon: node.lon, street: way.tags.name });
      }
    }
  }
  return points;
}

function nearestQuarter(lat: number, lon: number): string {
  let best: string = places.quarters[0].name;
  let bestD = Infinity;
  for (const q of places.quarters) {
    const d = (q.lat - lat) ** 2 + ((q.lon - lon) * Math.cos((lat * Math.PI) / 180)) ** 2;
    if (d < bestD) [best, bestD] = [q.name, d];
  }
  return best;
}

function household(random: Random, point: StreetPoint, index: number): HouseholdInput {
  const elderlyAlone = random.next() < 0.16;
  const pregnant = !elderlyAlone && random.next() < 0.04;
  const infant = !elderlyAlone && random.next() < 0.1;
  const phone = random.next() < 0.9 ? `+377 ${['06', '93', '97', '99'][random.int(4)]} ${String(10 + random.int(90))} ${String(10 + random.int(90))} ${String(10 + random.int(90))}` : undefined;
  return {
    name: `${SURNAMES[random.int(SURNAMES.length)]} household`,
    address: `${1 + (index % 40) + random.int(20)} ${point.street}`,
    phone,
    lat: point.lat,
    lon: point.lon,
    people: elderlyAlone ? 1 : 1 + random.int(infant || pregnant ? 4 : 6),
    community: nearestQuarter(point.lat, point.lon),
    elderlyAlone,
    chronicIllness: random.next() < (elderlyAlone ? 0.5 : 0.15),
    disabled: random.next() < 0.06,
    pregnant,
    infant,
  };
}

function needsOf(random: Random, h: HouseholdInput): { code: string; quantity: number; urgency: 'low' | 'normal' | 'high' | 'critical'; deadlineDays?: number }[] {
  const needs: ReturnType<typeof needsOf> = [];
  const staple = STAPLES[random.int(STAPLES.length)]!;
  needs.push({ code: staple, quantity: Math.max(1, Math.round(h.people / 2)) + random.int(2), urgency: random.next() < 0.3 ? 'low' : 'normal' });
  if (h.chronicIllness) needs.push({ code: random.next() < 0.4 ? 'INSULIN' : 'BP-MEDS', quantity: 1 + random.int(2), urgency: random.next() < 0.4 ? 'critical' : 'high', deadlineDays: 1 + random.int(2) });
  if (h.infant) needs.push({ code: random.next() < 0.5 ? 'FORMULA' : 'DIAPERS', quantity: 2 + random.int(3), urgency: 'high', deadlineDays: 2 });
  if (h.elderlyAlone || h.pregnant) needs.push({ code: random.next() < 0.5 ? 'VEG-BOX' : 'MILK-UHT', quantity: 1 + random.int(3), urgency: 'normal', deadlineDays: 3 });
  if (random.next() < 0.25) needs.push({ code: 'EGGS-12', quantity: 1 + random.int(2), urgency: 'low' });
  return needs;
}

async function seedHouseholds(db: Db, random: Random, osm: OsmData, commodities: Commodity[], worker: SignedInUser): Promise<void> {
  const points = random.shuffle(streetPoints(osm));
  const codeToId = new Map(commodities.map((c) => [c.code, c.id]));
  for (let i = 0; i < HOUSEHOLDS; i++) {
    const h = household(random, points[i % points.length]!, i);
    await db.transaction(async (tx) => {
      for (const need of needsOf(random, h)) {
        await recordNeed(
          tx,
          { household: h, commodityId: codeToId.get(need.code)!, quantity: need.quantity, urgency: need.urgency, deadline: need.deadlineDays ? isoDay(need.deadlineDays) : undefined },
          { source: 'demo survey', actorId: worker.id, scope: null, fieldPrefix: '' },
        );
      }
    });
  }
}

async function seedDrivers(db: Db, random: Random, users: Map<string, SignedInUser>, warehouseIds: number[], sealedZoneId: number): Promise<void> {
  const fleet = [
    { vehicleType: 'van', capacityWeightKg: 800, capacityVolumeM3: 6 },
    { vehicleType: 'van', capacityWeightKg: 800, capacityVolumeM3: 6 },
    { vehicleType: 'van', capacityWeightKg: 700, capacityVolumeM3: 5 },
    { vehicleType: 'car', capacityWeightKg: 300, capacityVolumeM3: 1.5 },
    { vehicleType: 'car', capacityWeightKg: 300, capacityVolumeM3: 1.5 },
    { vehicleType: 'car', capacityWeightKg: 250, capacityVolumeM3: 1.2 },
    { vehicleType: 'cargo_bike', capacityWeightKg: 120, capacityVolumeM3: 0.6 },
    { vehicleType: 'cargo_bike', capacityWeightKg: 120, capacityVolumeM3: 0.6 },
  ] as const;
  for (const [i, vehicle] of fleet.entries()) {
    const user = users.get(`driver${i + 1}@lifeline.local`)!;
    const early = i % 2 === 0;
    await createDriver(db, {
      userId: user.id,
      name: user.name,
      phone: `+377 06 ${String(40 + i)} ${String(10 + random.int(90))} ${String(10 + random.int(90))}`,
      kind: 'driver',
      ...vehicle,
      shiftStart: early ? '08:00' : '12:00',
      shiftEnd: early ? '16:00' : '20:00',
      homeWarehouseId: warehouseIds[i % warehouseIds.length],
      active: true,
    }, null);
  }
  for (let i = 0; i < 4; i++) {
    const user = users.get(`volunteer${i + 1}@lifeline.local`)!;
    await createDriver(db, {
      userId: user.id,
      name: user.name,
      kind: 'gate_volunteer',
      vehicleType: 'on_foot',
      capacityWeightKg: 20,
      capacityVolumeM3: 0.06,
      shiftStart: i < 2 ? '08:00' : '13:00',
      shiftEnd: i < 2 ? '14:00' : '19:00',
      zoneId: sealedZoneId,
      active: true,
    }, null);
  }
}
