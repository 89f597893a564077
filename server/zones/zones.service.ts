// Zones: areas whose status (sealed, controlled, precaution, open) is redrawn day by day, with the
// history of every change; a sealed zone is entered only through its gates.
import { readOncePerBatch, type Db, type Queryable } from '../db/database.ts';
import { ConflictError, NotFoundError, invalidField } from '../http/errors.ts';
import * as repo from './zones.repo.ts';
import type { Gate, NewZone, Zone, ZoneUpdate } from './zones.schema.ts';
import { pageOf, type Page, type Paging } from '../http/paging.ts';
import { zoneLocator } from './zone-geometry.ts';
import { groupBy } from '../db/rows.ts';
import { existsOncePerBatch } from '../db/exists-once.ts';

export type { Gate, Zone };

export async function listZones(db: Queryable): Promise<Zone[]> {
  const [zones, gates] = [await repo.allZones(db), await repo.allGates(db)];
  // Grouped once: a district's thousand zones each filtering its two thousand gates took millions of steps.
  const byZone = groupBy(gates, (g) => g.zoneId);
  return zones.map((zone) => ({ ...zone, gates: byZone.get(zone.id) ?? [] }));
}

/** Which zone a point lies in (the first by id), if any. */
export type ZoneLocator = (lat: number, lon: number) => { id: number } | undefined;

/** The zones' shapes as last read, and the stamp they were read under. */
let shapes: { stamp: string; locate: ZoneLocator } | undefined;

/**
 * The zones as they stand, to place points in. Their shapes are kept between calls while their stamp is
 * unchanged: a district has a thousand, and reading them (with every gate) for each need recorded cost more
 * than the rest of recording it.
 */
export async function zonesNow(db: Queryable): Promise<ZoneLocator> {
  // A grouped batch of reports (which changes no zone) checks the stamp once.
  return stampCheckedOnce(db, 'zones', async (on) => {
    const stamp = await repo.zonesStamp(on);
    if (shapes?.stamp !== stamp) shapes = { stamp, locate: zoneLocator(await repo.allZones(on)) };
    return shapes.locate;
  });
}

const stampCheckedOnce = readOncePerBatch<ZoneLocator>();

/** The zone a point lies in, for a household recorded one at a time. */
export const zoneOfPoint = async (db: Queryable, lat: number, lon: number) => (await zonesNow(db))(lat, lon);

/** A page of the zones (the whole list is small enough to hold: a district has about a thousand). */
export async function zonePage(db: Queryable, query: Paging<'id' | 'name' | 'status'> & { status?: Zone['status'] }): Promise<Page<Zone>> {
  const zones = (await listZones(db)).filter((z) => !query.status || z.status === query.status);
  return pageOf(zones, query, { id: (z) => z.id, name: (z) => z.name, status: (z) => z.status }, (z) => z.id);
}

export async function getZone(db: Queryable, id: number, lock = false): Promise<Zone> {
  const zone = await repo.findZone(db, id, lock);
  if (!zone) throw new NotFoundError('zone', id);
  return { ...zone, gates: await repo.gatesOf(db, id) };
}

/** Refuses a zone that does not exist (a grouped batch looks each up once). */
export const checkZoneExists = existsOncePerBatch('zone', (db, id) => repo.findZone(db, id));

/** Sealed zones with the points of their gates, for the road network: their fingerprints, and those it needs whole. */
export const sealedZoneFingerprints = (db: Queryable) => repo.sealedZoneFingerprints(db);
export const sealedZones = (db: Queryable, ids: number[]) => repo.sealedZones(db, ids);

/** Every gate, by id (dispatch routes walks from any of them). */
export const allGates = (db: Queryable) => repo.allGates(db);

/** The gates of sealed zones, the only ways in. */
export const sealedGates = (db: Queryable) => repo.sealedGates(db);

export async function createZone(db: Db, input: NewZone, actorId: number): Promise<Zone> {
  return db.transaction(async (tx) => {
    if (await repo.zoneNamed(tx, input.name)) throw new ConflictError(`a zone named ${input.name} exists already`, { errors: [{ field: 'body.name', reason: 'already used' }] }, 'already-exists');
    const zone = await repo.insertZone(tx, { name: input.name, polygon: input.polygon, status: input.status });
    await repo.recordStatus(tx, { zoneId: zone.id, status: zone.status, statusOn: zone.statusOn, note: 'created', setBy: actorId });
    await repo.replaceGates(tx, zone.id, input.gates);
    return getZone(tx, zone.id);
  });
}

/** Changes a zone; a status change is recorded in its history with who, when and why. */
export async function updateZone(db: Db, id: number, input: ZoneUpdate, actorId: number): Promise<Zone> {
  return db.transaction(async (tx) => {
    const current = await getZone(tx, id, true);
    const status = input.status ?? current.status;
    const gates = input.gates ?? current.gates;
    if (status === 'sealed' && gates.length === 0) throw invalidField('body.gates', 'a sealed zone needs at least one gate');
    const statusChanged = input.status !== undefined && (input.status !== current.status || input.statusOn !== undefined);
    const statusOn = await repo.saveZone(tx, { id, name: input.name ?? current.name, polygon: input.polygon ?? current.polygon, status, statusOn: input.statusOn ?? null, statusChanged });
    if (statusChanged) await repo.recordStatus(tx, { zoneId: id, status, statusOn, note: input.note, setBy: actorId });
    if (input.gates) await repo.replaceGates(tx, id, input.gates);
    return getZone(tx, id);
  });
}

export async function zoneHistory(db: Db, id: number) {
  await getZone(db, id);
  return repo.statusHistory(db, id);
}
