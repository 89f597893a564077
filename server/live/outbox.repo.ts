// The outbox's SQL: one stream of stored events. Each event is stored once with its recipients, inside the
// transaction of the change it announces, under the next number of a gapless counter whose row lock is
// held until commit, so events commit in the order of their numbers; delivery follows the commit.
import { prepared, type Queryable } from '../db/database.ts';
import type { Envelope, LiveEventType, LiveEvents } from './events.ts';

/** An event before it is stored. */
export interface Pending<T extends LiveEventType = LiveEventType> {
  recipients: number[];
  type: T;
  data: LiveEvents[T];
}

/** A stored event: the envelope every recipient receives, and who they are. */
export interface Stored {
  recipients: number[];
  envelope: Envelope;
}

interface EventRow {
  seq: number;
  type: LiveEventType;
  data: unknown;
  recipients: number[];
  created_at: Date | string;
}

const toStored = (r: EventRow): Stored => ({
  recipients: r.recipients,
  envelope: { seq: r.seq, type: r.type, data: r.data as never, at: new Date(r.created_at).toISOString() },
});

/**
 * Stores the events in one statement. Call it last in the transaction: the counter row stays locked until
 * commit, so concurrent transactions that announce something wait here, not while doing their work.
 */
export async function store(tx: Queryable, events: Pending[], wakeChannel?: string): Promise<Stored[]> {
  if (events.length === 0) return [];
  const rows = await tx.query<EventRow>(
    prepared(`WITH numbered AS (UPDATE live_stream SET last_seq = last_seq + $1 RETURNING last_seq)
     INSERT INTO live_events (seq, type, data, recipients)
     SELECT numbered.last_seq - $1 + e.ord, e.type, e.data::jsonb, string_to_array(e.recipients, ',')::int[]
     FROM numbered, unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS e(type, data, recipients, ord)
     RETURNING seq, type, data, recipients, created_at`),
    [
      events.length,
      events.map((e) => e.type),
      events.map((e) => JSON.stringify(e.data)),
      events.map((e) => e.recipients.join(',')),
    ],
  );
  const stored = rows.sort((a, b) => a.seq - b.seq).map(toStored);
  // Other server nodes wake up at commit (PostgreSQL delivers notifications in commit order).
  if (wakeChannel) await tx.query('SELECT pg_notify($1, $2)', [wakeChannel, String(stored.at(-1)!.envelope.seq)]);
  return stored;
}

/** Follows the channel that wakes this node when another commits events (on a connection kept for it). */
export async function listen(listener: { query(text: string): Promise<unknown> }, channel: string): Promise<void> {
  await listener.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
}

/** Every stored event numbered after `afterSeq` up to `upToSeq`, in order (what a server node has not delivered). */
export async function streamBetween(db: Queryable, afterSeq: number, upToSeq: number): Promise<Stored[]> {
  const rows = await db.query<EventRow>(
    'SELECT seq, type, data, recipients, created_at FROM live_events WHERE seq > $1 AND seq <= $2 ORDER BY seq',
    [afterSeq, upToSeq],
  );
  return rows.map(toStored);
}

/** One user's events after `afterSeq`, oldest first, a page at a time (a reconnecting client's replay). */
export const REPLAY_PAGE = 1000;

export async function eventsFor(db: Queryable, userId: number, afterSeq: number, limit = REPLAY_PAGE): Promise<Envelope[]> {
  const rows = await db.query<EventRow>(
    `SELECT seq, type, data, recipients, created_at FROM live_events
     WHERE recipients @> ARRAY[$1::int] AND seq > $2 ORDER BY seq LIMIT $3`,
    [userId, afterSeq, limit],
  );
  return rows.map((r) => toStored(r).envelope);
}

/** The number of the latest stored event, and the highest one pruned (a client resuming before it may have missed some). */
export async function streamPosition(db: Queryable): Promise<{ lastSeq: number; prunedThrough: number }> {
  const [row] = await db.query<{ last_seq: number; through: number }>('SELECT s.last_seq, p.through FROM live_stream s, live_pruned p');
  return { lastSeq: row?.last_seq ?? 0, prunedThrough: row?.through ?? 0 };
}

/** The number of the latest stored event. */
export const lastSeq = async (db: Queryable): Promise<number> => (await streamPosition(db)).lastSeq;

/**
 * Drops events older than `keepDays` that every recipient has acknowledged (a device of theirs got past
 * them); returns how many. An unacknowledged event stays, however old, for its recipient to replay.
 */
export async function pruneEvents(db: Queryable, keepDays: number): Promise<number> {
  const [row] = await db.query<{ pruned: number }>(
    `WITH gone AS (
       DELETE FROM live_events e WHERE e.created_at < now() - make_interval(days => $1)
         AND NOT EXISTS (SELECT 1 FROM unnest(e.recipients) AS r(user_id)
                         LEFT JOIN live_recipients a ON a.user_id = r.user_id
                         WHERE coalesce(a.acked_seq, 0) < e.seq)
       RETURNING seq),
     noted AS (UPDATE live_pruned SET through = greatest(through, (SELECT max(seq) FROM gone)) WHERE EXISTS (SELECT 1 FROM gone))
     SELECT count(*)::int AS pruned FROM gone`,
    [keepDays],
  );
  return row!.pruned;
}

export async function recordAcks(db: Queryable, acks: Map<number, number>): Promise<void> {
  if (acks.size === 0) return;
  await db.query(
    `INSERT INTO live_recipients (user_id, acked_seq)
     SELECT a.user_id, a.seq FROM unnest($1::int[], $2::bigint[]) AS a(user_id, seq) JOIN users u ON u.id = a.user_id
     ON CONFLICT (user_id) DO UPDATE SET acked_seq = GREATEST(live_recipients.acked_seq, EXCLUDED.acked_seq)`,
    [[...acks.keys()], [...acks.values()]],
  );
}
