// SQL for proof of delivery (stop_proofs): what was recorded at a stop, and its images.
import type { Queryable } from '../db/database.ts';
import type { ProofSummary } from './dispatch.schema.ts';
import type { ImageType } from './proof-image.ts';

export interface NewProof {
  stopId: number;
  handedTo: ProofSummary['handedTo'];
  receiverName: string;
  photo: { bytes: Buffer; type: ImageType } | undefined;
  signature: Buffer | undefined;
  deviceTime: string;
  position: { lat: number; lon: number } | undefined;
  recordedBy: number;
}

export async function insertProof(tx: Queryable, p: NewProof): Promise<void> {
  await tx.query(
    `INSERT INTO stop_proofs (stop_id, handed_to, receiver_name, photo, photo_type, signature, device_time, device_lat, device_lon, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [p.stopId, p.handedTo, p.receiverName, p.photo?.bytes ?? null, p.photo?.type ?? null, p.signature ?? null, p.deviceTime, p.position?.lat ?? null, p.position?.lon ?? null, p.recordedBy],
  );
}

/** The proofs of these stops, without their images, by stop id. */
export async function proofsOfStops(db: Queryable, stopIds: number[]): Promise<Map<number, ProofSummary>> {
  const rows = await db.query<{ stop_id: number; handed_to: ProofSummary['handedTo']; receiver_name: string; device_time: Date; device_lat: number | null; device_lon: number | null; received_at: Date; has_photo: boolean; has_signature: boolean }>(
    `SELECT stop_id, handed_to, receiver_name, device_time, device_lat, device_lon, received_at, photo IS NOT NULL AS has_photo, signature IS NOT NULL AS has_signature
     FROM stop_proofs WHERE stop_id = ANY($1::int[]) AND handed_to IS NOT NULL`,
    [stopIds],
  );
  return new Map(
    rows.map((r) => [
      r.stop_id,
      {
        handedTo: r.handed_to,
        receiverName: r.receiver_name,
        deviceTime: r.device_time.toISOString(),
        position: r.device_lat === null || r.device_lon === null ? null : { lat: r.device_lat, lon: r.device_lon },
        receivedAt: r.received_at.toISOString(),
        hasPhoto: r.has_photo,
        hasSignature: r.has_signature,
      },
    ]),
  );
}

/** A stop's photo or signature, with its type and the stop's route. */
export async function imageOf(db: Queryable, stopId: number, which: 'photo' | 'signature'): Promise<{ bytes: Buffer; type: string; routeId: number } | undefined> {
  const image = which === 'photo' ? 'p.photo AS bytes, p.photo_type AS type' : `p.signature AS bytes, 'image/png' AS type`;
  const [row] = await db.query<{ bytes: Buffer | Uint8Array | null; type: string | null; route_id: number }>(
    `SELECT ${image}, s.route_id FROM stop_proofs p JOIN stops s ON s.id = p.stop_id WHERE p.stop_id = $1`,
    [stopId],
  );
  return row?.bytes ? { bytes: Buffer.from(row.bytes), type: row.type!, routeId: row.route_id } : undefined;
}

/** A household's stops that are done, newest first: what each handed over or why it failed. */
export async function doneStopsOf(db: Queryable, householdId: number): Promise<{ id: number; routeId: number; status: 'delivered' | 'failed'; reason: string | null; doneAt: string }[]> {
  const rows = await db.query<{ id: number; route_id: number; status: 'delivered' | 'failed'; reason: string | null; done_at: Date }>(
    `SELECT id, route_id, status, reason, done_at FROM stops WHERE household_id = $1 AND status <> 'pending' ORDER BY done_at DESC, id DESC`,
    [householdId],
  );
  return rows.map((r) => ({ id: r.id, routeId: r.route_id, status: r.status, reason: r.reason, doneAt: r.done_at.toISOString() }));
}
