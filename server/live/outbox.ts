// The outbox: events are stored per recipient with the recipient's next sequence number, inside the
// transaction of the change they announce; delivery happens only after that transaction commits.
import type { Queryable } from '../db/database.ts';
import type { Role } from '../auth/auth.schema.ts';
import type { Envelope, LiveEventType, LiveEvents } from './events.ts';

export interface Outgoing {
  userId: number;
  envelope: Envelope;
}

export async function enqueue<T extends LiveEventType>(tx: Queryable, userIds: number[], type: T, data: LiveEvents[T]): Promise<Outgoing[]> {
  const recipients = [...new Set(userIds)];
  if (recipients.length === 0) return [];
  // The upsert locks each recipient's row, so concurrent events get consecutive numbers, never the same one.
  const rows = await tx.query<{ user_id: number; seq: number; created_at: Date | string }>(
    `WITH bumped AS (
       INSERT INTO live_recipients (user_id, last_seq) SELECT unnest($1::int[]), 1
       ON CONFLICT (user_id) DO UPDATE SET last_seq = live_recipients.last_seq + 1
       RETURNING user_id, last_seq)
     INSERT INTO live_events (user_id, seq, type, data) SELECT user_id, last_seq, $2, $3 FROM bumped
     RETURNING user_id, seq, created_at`,
    [recipients, type, JSON.stringify(data)],
  );
  return rows.map((r) => ({ userId: r.user_id, envelope: { seq: r.seq, type, data, at: new Date(r.created_at).toISOString() } }));
}

/** Events after `afterSeq`, oldest first. */
export async function eventsAfter(db: Queryable, userId: number, afterSeq: number, limit = 5000): Promise<Envelope[]> {
  const rows = await db.query<{ seq: number; type: LiveEventType; data: unknown; created_at: Date | string }>(
    'SELECT seq, type, data, created_at FROM live_events WHERE user_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
    [userId, afterSeq, limit],
  );
  return rows.map((r) => ({ seq: r.seq, type: r.type, data: r.data as never, at: new Date(r.created_at).toISOString() }));
}

export async function lastSeqOf(db: Queryable, userId: number): Promise<number> {
  const [row] = await db.query<{ last_seq: number }>('SELECT last_seq FROM live_recipients WHERE user_id = $1', [userId]);
  return row?.last_seq ?? 0;
}

export async function recordAcks(db: Queryable, acks: Map<number, number>): Promise<void> {
  if (acks.size === 0) return;
  await db.query(
    `UPDATE live_recipients r SET acked_seq = GREATEST(r.acked_seq, a.seq)
     FROM unnest($1::int[], $2::bigint[]) AS a(user_id, seq) WHERE r.user_id = a.user_id`,
    [[...acks.keys()], [...acks.values()]],
  );
}

export async function usersWithRoles(tx: Queryable, roles: readonly Role[]): Promise<number[]> {
  const rows = await tx.query<{ id: number }>('SELECT id FROM users WHERE active AND role = ANY($1::text[])', [roles]);
  return rows.map((r) => r.id);
}
