// SQL for zones, their gates and their status history: the only module that writes those tables. Other nouns
// read them through the zones service, or join them read-only into a view (the gate of a sealed household).
import type { Queryable } from '../db/database.ts';
import { insertRow, insertRows, toCamel } from '../db/rows.ts';
import type { Gate, Zone } from './zones.service.ts';
import type { NewZone } from './zones.schema.ts';

type ZoneRow = Omit<Zone, 'gates'>;

export async function allZones(db: Queryable): Promise<ZoneRow[]> {
  return (await db.query('SELECT * FROM zones ORDER BY id')).map((r) => toCamel<ZoneRow>(r));
}

export async function allGates(db: Queryable): Promise<Gate[]> {
  return (await db.query('SELECT * FROM gates ORDER BY id')).map((r) => toCamel<Gate>(r));
}

/**
 * What changes when any zone is added, removed or edited (its shape included): the cache key of their shapes.
 * Every write of a row gives it its writer's transaction id (xmin), whichever statement wrote it.
 */
export async function zonesStamp(db: Queryable): Promise<string> {
  const [row] = await db.query<{ stamp: string }>(`SELECT concat_ws(':', count(*), max(id), sum(xmin::text::bigint)) AS stamp FROM zones`);
  return row!.stamp;
}

export async function findZone(db: Queryable, id: number, lock = false): Promise<ZoneRow | undefined> {
  const [row] = await db.query(`SELECT * FROM zones WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return row && toCamel<ZoneRow>(row);
}

export async function gatesOf(db: Queryable, zoneId: number): Promise<Gate[]> {
  return (await db.query('SELECT * FROM gates WHERE zone_id = $1 ORDER BY id', [zoneId])).map((r) => toCamel<Gate>(r));
}

/** The gates of sealed zones, the only ways in. */
export async function sealedGates(db: Queryable): Promise<Gate[]> {
  return (await db.query(`SELECT g.* FROM gates g JOIN zones z ON z.id = g.zone_id WHERE z.status = 'sealed' ORDER BY g.id`)).map((r) => toCamel<Gate>(r));
}

/**
 * The sealed zones with their gates' points (as JSON, and as text for the fingerprint), in one pass over the
 * gates: a subquery per zone cost 0.14 ms each on PGlite.
 */
const sealedZonesWithGates = `WITH zone_gates AS (
    SELECT zone_id, string_agg(lat || ',' || lon, ';' ORDER BY id) AS points, json_agg(json_build_object('lat', lat, 'lon', lon) ORDER BY id) AS gates
    FROM gates GROUP BY zone_id
  )
  SELECT z.id, md5(z.polygon::text || coalesce(zg.points, '')) AS fingerprint, z.polygon, coalesce(zg.gates, '[]') AS gates
  FROM zones z LEFT JOIN zone_gates zg ON zg.zone_id = z.id WHERE z.status = 'sealed'`;

/**
 * The sealed zones, each with a fingerprint of what the road network applies of it (its polygon and its gates'
 * points): how the network sees what changed without reading a district's thousand polygons at every use.
 */
export async function sealedZoneFingerprints(db: Queryable): Promise<{ id: number; fingerprint: string }[]> {
  return db.query(`SELECT id, fingerprint FROM (${sealedZonesWithGates}) AS zones ORDER BY id`);
}

/** These sealed zones with the points of their gates, as the road network applies them, and their fingerprints. */
export async function sealedZones(db: Queryable, ids: number[]): Promise<{ id: number; fingerprint: string; polygon: Zone['polygon']; gates: { lat: number; lon: number }[] }[]> {
  return db.query(`SELECT * FROM (${sealedZonesWithGates}) AS zones WHERE id = ANY($1::int[]) ORDER BY id`, [ids]);
}

export async function zoneNamed(db: Queryable, name: string): Promise<{ id: number } | undefined> {
  const [row] = await db.query<{ id: number }>('SELECT id FROM zones WHERE name = $1', [name]);
  return row;
}

export const insertZone = (db: Queryable, input: Pick<NewZone, 'name' | 'polygon' | 'status'>) => insertRow<ZoneRow>(db, 'zones', input);

/** Saves a zone's fields; a status change moves its date to the one given, else to today. The zone's status date. */
export async function saveZone(
  db: Queryable,
  zone: Pick<ZoneRow, 'id' | 'name' | 'polygon' | 'status'> & { statusOn: string | null; statusChanged: boolean },
): Promise<string> {
  const [row] = await db.query<{ status_on: string }>(
    `UPDATE zones SET name = $2, polygon = $3, status = $4, status_on = COALESCE($5::date, CASE WHEN $6::boolean THEN CURRENT_DATE ELSE status_on END), updated_at = now()
     WHERE id = $1 RETURNING status_on`,
    [zone.id, zone.name, JSON.stringify(zone.polygon), zone.status, zone.statusOn, zone.statusChanged],
  );
  return row!.status_on;
}

export async function recordStatus(db: Queryable, entry: { zoneId: number; status: Zone['status']; statusOn: string; note?: string; setBy: number }): Promise<void> {
  await insertRow(db, 'zone_status_history', entry);
}

export async function statusHistory(db: Queryable, zoneId: number) {
  return (await db.query('SELECT status, status_on, note, set_by, set_at FROM zone_status_history WHERE zone_id = $1 ORDER BY id', [zoneId])).map((r) => toCamel(r));
}

export async function replaceGates(db: Queryable, zoneId: number, gates: { name: string; lat: number; lon: number }[]): Promise<void> {
  await db.query('DELETE FROM gates WHERE zone_id = $1', [zoneId]);
  for (const gate of gates) await insertRow(db, 'gates', { zoneId, name: gate.name, lat: gate.lat, lon: gate.lon });
}

/** Many zones with their gates and first status in a few statements (the district seed); the zones' ids, in order. */
export async function insertZones(
  db: Queryable,
  zones: (Pick<NewZone, 'name' | 'polygon' | 'status'> & { gates: { name: string; lat: number; lon: number }[] })[],
  setBy: number,
): Promise<number[]> {
  const inserted = await insertRows<{ id: number; status: Zone['status']; statusOn: string }>(
    db,
    'zones',
    zones.map(({ name, polygon, status }) => ({ name, polygon, status })),
    'id, status, status_on',
  );
  await insertRows(db, 'zone_status_history', inserted.map((z) => ({ zoneId: z.id, status: z.status, statusOn: z.statusOn, note: 'created', setBy })));
  await insertRows(db, 'gates', zones.flatMap((zone, i) => zone.gates.map((g) => ({ zoneId: inserted[i]!.id, name: g.name, lat: g.lat, lon: g.lon }))));
  return inserted.map((z) => z.id);
}
