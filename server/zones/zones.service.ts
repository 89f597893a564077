// Zones: areas whose status (sealed, controlled, precaution, open) is redrawn day by day, with the
// history of every change; a sealed zone is entered only through its gates.
import type { Db, Queryable } from '../db/database.ts';
import { insertRow, toCamel } from '../db/rows.ts';
import { ConflictError, NotFoundError, invalidField } from '../http/errors.ts';
import type { Gate, NewZone, Zone, ZoneUpdate } from './zones.schema.ts';

export async function listZones(db: Queryable): Promise<Zone[]> {
  const zones = (await db.query('SELECT * FROM zones ORDER BY id')).map((r) => toCamel<Zone>(r));
  const gates = (await db.query('SELECT * FROM gates ORDER BY id')).map((r) => toCamel<Gate>(r));
  return zones.map((zone) => ({ ...zone, gates: gates.filter((g) => g.zoneId === zone.id) }));
}

export async function getZone(db: Queryable, id: number, lock = false): Promise<Zone> {
  const [row] = await db.query(`SELECT * FROM zones WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  if (!row) throw new NotFoundError('zone', id);
  const gates = (await db.query('SELECT * FROM gates WHERE zone_id = $1 ORDER BY id', [id])).map((r) => toCamel<Gate>(r));
  return { ...toCamel<Zone>(row), gates };
}

export async function createZone(db: Db, input: NewZone, actorId: number): Promise<Zone> {
  return db.transaction(async (tx) => {
    const [clash] = await tx.query('SELECT id FROM zones WHERE name = $1', [input.name]);
    if (clash) throw new ConflictError(`a zone named ${input.name} exists already`, { errors: [{ field: 'body.name', reason: 'already used' }] });
    const zone = await insertRow<Zone>(tx, 'zones', { name: input.name, polygon: input.polygon, status: input.status });
    await insertRow(tx, 'zone_status_history', { zoneId: zone.id, status: zone.status, statusOn: zone.statusOn, note: 'created', setBy: actorId });
    await replaceGates(tx, zone.id, input.gates);
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
    await tx.query(
      `UPDATE zones SET name = $2, polygon = $3, status = $4, status_on = COALESCE($5::date, CASE WHEN $6::boolean THEN CURRENT_DATE ELSE status_on END), updated_at = now() WHERE id = $1`,
      [id, input.name ?? current.name, JSON.stringify(input.polygon ?? current.polygon), status, input.statusOn ?? null, statusChanged],
    );
    if (statusChanged) {
      const [{ status_on }] = (await tx.query<{ status_on: string }>('SELECT status_on FROM zones WHERE id = $1', [id])) as [{ status_on: string }];
      await insertRow(tx, 'zone_status_history', { zoneId: id, status, statusOn: status_on, note: input.note, setBy: actorId });
    }
    if (input.gates) await replaceGates(tx, id, input.gates);
    return getZone(tx, id);
  });
}

export async function zoneHistory(db: Db, id: number) {
  await getZone(db, id);
  return (await db.query('SELECT status, status_on, note, set_by, set_at FROM zone_status_history WHERE zone_id = $1 ORDER BY id', [id])).map((r) => toCamel(r));
}

async function replaceGates(tx: Queryable, zoneId: number, gates: { name: string; lat: number; lon: number }[]): Promise<void> {
  await tx.query('DELETE FROM gates WHERE zone_id = $1', [zoneId]);
  for (const gate of gates) await insertRow(tx, 'gates', { zoneId, name: gate.name, lat: gate.lat, lon: gate.lon });
}
