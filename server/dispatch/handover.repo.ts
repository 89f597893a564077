// SQL for handover sheets' codes (handover_tokens): one per stop printed, stored as its hash. Only this module
// writes the table; its reads join the stop and route each code is for.
import type { Queryable } from '../db/database.ts';

/** How long a printed sheet's codes work at most, whatever happens to the route. */
export const SHEET_HOURS = 48;

/** A code that still works: its stop is on the route it was printed for, which has not ended. */
export interface LiveGrant {
  id: number;
  stopId: number;
  routeId: number;
  issuedBy: number;
  expiresAt: string;
  usedAt: string | null;
}

/** Revokes the codes earlier sheets printed for these stops, and stores a new one for each (hashes given). */
export async function replaceGrants(tx: Queryable, grants: { stopId: number; routeId: number; tokenHash: string }[], issuedBy: number): Promise<void> {
  if (grants.length === 0) return;
  await tx.query(`UPDATE handover_tokens SET revoked_at = now() WHERE stop_id = ANY($1::int[]) AND revoked_at IS NULL`, [grants.map((g) => g.stopId)]);
  await tx.query(
    `INSERT INTO handover_tokens (token_hash, stop_id, route_id, issued_by, expires_at)
     SELECT g.hash, g.stop, g.route, $4, now() + make_interval(hours => $5) FROM unnest($1::text[], $2::int[], $3::int[]) AS g(hash, stop, route)`,
    [grants.map((g) => g.tokenHash), grants.map((g) => g.stopId), grants.map((g) => g.routeId), issuedBy, SHEET_HOURS],
  );
}

/** The code with this hash if it still works (locked when asked, so a reprint waits for the outcome being recorded). */
export async function liveGrant(db: Queryable, tokenHash: string, lock = false): Promise<LiveGrant | undefined> {
  const [row] = await db.query<{ id: number; stop_id: number; route_id: number; issued_by: number; expires_at: Date; used_at: Date | null }>(
    `SELECT t.id, t.stop_id, t.route_id, t.issued_by, t.expires_at, t.used_at
     FROM handover_tokens t JOIN stops s ON s.id = t.stop_id JOIN routes r ON r.id = t.route_id
     WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now() AND s.route_id = t.route_id AND r.status NOT IN ('completed', 'cancelled')
     ${lock ? 'FOR UPDATE OF t' : ''}`,
    [tokenHash],
  );
  return row && { id: row.id, stopId: row.stop_id, routeId: row.route_id, issuedBy: row.issued_by, expiresAt: row.expires_at.toISOString(), usedAt: row.used_at?.toISOString() ?? null };
}

export async function markUsed(tx: Queryable, id: number): Promise<void> {
  await tx.query('UPDATE handover_tokens SET used_at = now() WHERE id = $1', [id]);
}

/** A plan's walking routes from a gate that have not ended, in order. */
export async function walksFromGate(db: Queryable, planId: number, gateId: number): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    `SELECT id FROM routes WHERE plan_id = $1 AND gate_id = $2 AND kind = 'walking' AND status NOT IN ('completed', 'cancelled') ORDER BY id`,
    [planId, gateId],
  );
  return rows.map((r) => r.id);
}
