// Writes a generated district into an empty database through the owning nouns' bulk inserts (multi-row
// statements, a few thousand rows each), and its road graph as an .osm.gz file for LIFELINE_MAP.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Db, Tx } from '../../server/db/database.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { insertUsers } from '../../server/auth/auth.repo.ts';
import { insertCommodities } from '../../server/commodities/commodities.repo.ts';
import { insertWarehouses } from '../../server/warehouses/warehouses.repo.ts';
import { insertZones } from '../../server/zones/zones.repo.ts';
import { insertLots, insertMovements } from '../../server/stock/stock.repo.ts';
import { insertDrivers } from '../../server/drivers/drivers.repo.ts';
import { insertHouseholds, recordCreation } from '../../server/needs/households.repo.ts';
import { insertNeeds } from '../../server/needs/needs.repo.ts';
import { addressKey, phoneKey, trackedValues } from '../../server/needs/households.service.ts';
import { households, type District, type DistrictHousehold } from './generate.ts';
import { osmXml } from './osm-xml.ts';

/** Households written per transaction: a few statements each, short enough to let a server go on answering. */
const BATCH = 5000;
export const SEED_SOURCE = 'district seed';

export interface SeededDistrict {
  users: number;
  warehouses: number;
  compounds: number;
  gates: number;
  lots: number;
  drivers: number;
  households: number;
  needs: number;
}

const isoDay = (daysFromToday: number) => new Date(Date.now() + daysFromToday * 86_400_000).toISOString().slice(0, 10);

/** Writes the district; every account gets `password` (hashed once: the accounts share it, as the demo's do). */
export async function seedDistrict(db: Db, district: District, password: string): Promise<SeededDistrict> {
  const passwordHash = await hashPassword(password);
  const { userIds, commodityIds, zoneIds } = await db.transaction(async (tx) => {
    const users = await insertUsers(tx, district.users.map((u) => ({ ...u, passwordHash })));
    const userIds = new Map(users.map((u) => [u.email, u.id]));
    const commodities = await insertCommodities(tx, district.commodities.map((c) => ({ ...c, residentOpen: false, residentMaxPerHousehold: null, residentMaxPerDay: null })));
    const commodityIds = new Map(commodities.map((c) => [c.code, c.id]));
    const warehouseIds = (await insertWarehouses(tx, district.warehouses)).map((w) => w.id);
    const coordinator = userIds.get('coordinator@lifeline.local')!;
    const zoneIds = await insertZones(tx, district.compounds.map((c) => ({ name: c.name, polygon: c.polygon, status: 'sealed' as const, gates: c.gates })), coordinator);
    await writeStock(tx, district, warehouseIds, commodityIds, coordinator);
    const usersByEmail = new Map(district.users.map((u) => [u.email, u]));
    await insertDrivers(
      tx,
      district.drivers.map((d) => {
        const user = usersByEmail.get(d.email);
        return {
          userId: userIds.get(d.email)!,
          name: user?.name ?? d.email,
          phone: user?.phone ?? undefined,
          kind: d.kind,
          vehicleType: d.vehicleType,
          capacityWeightKg: d.capacityWeightKg,
          capacityVolumeM3: d.capacityVolumeM3,
          shiftStart: d.shiftStart,
          shiftEnd: d.shiftEnd,
          homeWarehouseId: d.warehouse === null ? undefined : warehouseIds[d.warehouse],
          zoneId: d.compound === null ? undefined : zoneIds[d.compound],
          active: true,
        };
      }),
    );
    return { userIds, commodityIds, zoneIds };
  });
  let needs = 0;
  let batch: DistrictHousehold[] = [];
  const flush = async () => {
    needs += await db.transaction((tx) => writeHouseholds(tx, batch, commodityIds, zoneIds));
    batch = [];
  };
  for (const h of households(district)) {
    batch.push(h);
    if (batch.length === BATCH) await flush();
  }
  if (batch.length) await flush();
  return {
    users: userIds.size,
    warehouses: district.warehouses.length,
    compounds: district.compounds.length,
    gates: district.compounds.reduce((n, c) => n + c.gates.length, 0),
    lots: district.lots.length,
    drivers: district.drivers.length,
    households: district.households,
    needs,
  };
}

/** The lots, each received through the ledger (its trigger sets the lot's balance). */
async function writeStock(tx: Tx, district: District, warehouseIds: number[], commodityIds: Map<string, number>, actorId: number): Promise<void> {
  const lots = await insertLots(
    tx,
    district.lots.map((l) => ({ warehouseId: warehouseIds[l.warehouse]!, commodityId: commodityIds.get(l.commodity)!, lotCode: l.lotCode, expiresOn: l.expiresInDays === null ? null : isoDay(l.expiresInDays) })),
  );
  await insertMovements(tx, district.lots.map((l, i) => ({ lotId: lots[i]!.id, kind: 'received' as const, quantity: l.quantity, reason: 'district stock', actorId })));
}

/** One batch of households and their needs; how many needs it wrote. */
async function writeHouseholds(tx: Tx, batch: DistrictHousehold[], commodityIds: Map<string, number>, zoneIds: number[]): Promise<number> {
  const ids = await insertHouseholds(
    tx,
    batch.map(({ index: _i, compound, needs: _n, ...h }) => ({ ...h, addressKey: addressKey(h.address), phoneKey: phoneKey(h.phone), zoneId: zoneIds[compound] })),
  );
  await recordCreation(tx, batch.map((h, i) => ({ householdId: ids[i]!.id, values: trackedValues({ ...h, zoneId: zoneIds[h.compound] }) })), { source: SEED_SOURCE, setBy: null });
  const needs = batch.flatMap((h, i) =>
    h.needs.map((n) => ({
      householdId: ids[i]!.id,
      commodityId: commodityIds.get(n.commodity)!,
      quantity: n.quantity,
      urgency: n.urgency,
      deadline: n.deadlineInDays === null ? null : isoDay(n.deadlineInDays),
      sources: [SEED_SOURCE],
    })),
  );
  await insertNeeds(tx, needs);
  return needs.length;
}

/** The district's road graph as gzipped OpenStreetMap XML, for the server's LIFELINE_MAP. */
export function writeDistrictMap(district: District, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, gzipSync(osmXml(district.map)));
}
