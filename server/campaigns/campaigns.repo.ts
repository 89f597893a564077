// SQL for campaigns and their entries. The intake's batch reads the households its codes open in one join
// (read-only, across the residents' and needs' tables) so that a burst costs a few statements per batch.
import { prepared, type Queryable } from '../db/database.ts';
import { limitOffset, orderBy, toCamel, type Page, type Paging } from '../db/rows.ts';
import type { DrawnEntry } from './draw.ts';
import type { Campaign, Eligibility, Entry, HouseholdEntry } from './campaigns.schema.ts';

const campaignColumns = `id, commodity_id, quantity, opens_at, closes_at, per_household_cap, eligibility, seed, seed_hash, closed_at`;

function toCampaign(row: Record<string, unknown>): Campaign {
  const c = toCamel<Campaign>(row);
  const iso = (v: unknown) => new Date(v as string).toISOString();
  return { ...c, opensAt: iso(c.opensAt), closesAt: iso(c.closesAt), closedAt: c.closedAt ? iso(c.closedAt) : null };
}

export async function insertCampaign(
  tx: Queryable,
  c: { commodityId: number; quantity: number; opensAt: string; closesAt: string; perHouseholdCap: number; eligibility: Eligibility; seed: string; seedHash: string; createdBy: number },
): Promise<number> {
  const [row] = await tx.query<{ id: number }>(
    `INSERT INTO campaigns (commodity_id, quantity, opens_at, closes_at, per_household_cap, eligibility, seed, seed_hash, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [c.commodityId, c.quantity, c.opensAt, c.closesAt, c.perHouseholdCap, JSON.stringify(c.eligibility), c.seed, c.seedHash, c.createdBy],
  );
  return row!.id;
}

/** A campaign; `lock` 'share' holds off a close until the caller commits, 'update' holds off new entries. */
export async function findCampaign(db: Queryable, id: number, lock?: 'share' | 'update'): Promise<Campaign | undefined> {
  const [row] = await db.query(prepared(`SELECT ${campaignColumns} FROM campaigns WHERE id = $1${lock ? ` FOR ${lock.toUpperCase()}` : ''}`), [id]);
  return row && toCampaign(row);
}

export async function listCampaigns(db: Queryable, paging: Paging<'id' | 'opensAt' | 'closesAt'>): Promise<Page<Campaign>> {
  const [{ total }] = (await db.query<{ total: number }>('SELECT count(*)::int AS total FROM campaigns')) as [{ total: number }];
  const params: unknown[] = [];
  const rows = await db.query(`SELECT ${campaignColumns} FROM campaigns ${orderBy(paging.sort, { id: 'id', opensAt: 'opens_at', closesAt: 'closes_at' })} ${limitOffset(params, paging)}`, params);
  return { items: rows.map(toCampaign), total, limit: paging.limit, offset: paging.offset };
}

export async function markClosed(tx: Queryable, id: number): Promise<void> {
  await tx.query('UPDATE campaigns SET closed_at = now(), closes_at = least(closes_at, now()) WHERE id = $1', [id]);
}

export async function counts(db: Queryable, id: number): Promise<{ entries: number; requested: number; given: number }> {
  const [row] = await db.query<{ entries: number; requested: number; given: number }>(
    `SELECT count(*)::int AS entries, coalesce(sum(quantity), 0)::int AS requested, coalesce(sum(given), 0)::int AS given
     FROM campaign_entries WHERE campaign_id = $1`,
    [id],
  );
  return row!;
}

/** What eligibility and the tier are judged on: the household as stored. */
export interface HouseholdFacts {
  id: number;
  community: string;
  zone_id: number | null;
  elderly_alone: boolean;
  chronic_illness: boolean;
  disabled: boolean;
  pregnant: boolean;
  infant: boolean;
}

const householdFacts = 'h.id, h.community, h.zone_id, h.elderly_alone, h.chronic_illness, h.disabled, h.pregnant, h.infant';

/** The households live codes open, by code hash. */
export async function householdsOfCodes(db: Queryable, codeHashes: string[]): Promise<Map<string, HouseholdFacts>> {
  const rows = await db.query<HouseholdFacts & { code_hash: string }>(
    prepared(`SELECT a.code_hash, ${householdFacts} FROM household_access a JOIN households h ON h.id = a.household_id
     WHERE a.code_hash = ANY($1::text[]) AND a.revoked_at IS NULL`),
    [codeHashes],
  );
  return new Map(rows.map((r) => [r.code_hash, r]));
}

export async function householdsByIds(db: Queryable, ids: number[]): Promise<Map<number, HouseholdFacts>> {
  const rows = await db.query<HouseholdFacts>(`SELECT ${householdFacts} FROM households h WHERE h.id = ANY($1::int[])`, [ids]);
  return new Map(rows.map((r) => [r.id, r]));
}

export interface NewEntry {
  campaignId: number;
  householdId: number;
  receipt: string;
  receiptHash: string;
  quantity: number;
  tier: number;
  via: 'code' | 'worker';
}

/** Many entries in one statement; a household's second entry is skipped. Answers the (campaign, household) pairs inserted. */
export async function insertEntries(tx: Queryable, entries: NewEntry[]): Promise<Set<string>> {
  const column = <K extends keyof NewEntry>(k: K) => entries.map((e) => e[k]);
  const rows = await tx.query<{ campaign_id: number; household_id: number }>(
    prepared(`INSERT INTO campaign_entries (campaign_id, household_id, receipt, receipt_hash, quantity, tier, via)
     SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::int[], $6::int[], $7::text[])
     ON CONFLICT DO NOTHING RETURNING campaign_id, household_id`),
    [column('campaignId'), column('householdId'), column('receipt'), column('receiptHash'), column('quantity'), column('tier'), column('via')],
  );
  return new Set(rows.map((r) => `${r.campaign_id}:${r.household_id}`));
}

/** The stored entries of these households, keyed `campaign:household`. */
export async function entriesOf(db: Queryable, pairs: { campaignId: number; householdId: number }[]): Promise<Map<string, Entry>> {
  const rows = await db.query<{ campaign_id: number; household_id: number } & Entry>(
    prepared(`SELECT e.campaign_id, e.household_id, e.receipt, e.quantity, e.tier, e.status
     FROM campaign_entries e JOIN unnest($1::int[], $2::int[]) AS p(campaign_id, household_id) USING (campaign_id, household_id)`),
    [pairs.map((p) => p.campaignId), pairs.map((p) => p.householdId)],
  );
  return new Map(rows.map((r) => [`${r.campaign_id}:${r.household_id}`, { receipt: r.receipt, quantity: r.quantity, tier: r.tier, status: r.status }]));
}

/** Every entry of a campaign, for the draw (locked: the draw writes each). */
export async function entriesForDraw(tx: Queryable, campaignId: number): Promise<{ householdId: number; receiptHash: string; tier: number; quantity: number }[]> {
  const rows = await tx.query<{ household_id: number; receipt_hash: string; tier: number; quantity: number }>(
    'SELECT household_id, receipt_hash, tier, quantity FROM campaign_entries WHERE campaign_id = $1 FOR UPDATE',
    [campaignId],
  );
  return rows.map((r) => ({ householdId: r.household_id, receiptHash: r.receipt_hash, tier: r.tier, quantity: r.quantity }));
}

/** The draw's rank, outcome and award of every entry, in one statement. */
export async function saveDraw(tx: Queryable, campaignId: number, drawn: DrawnEntry[]): Promise<void> {
  await tx.query(
    `UPDATE campaign_entries e SET rank = d.rank, outcome = d.outcome, awarded = d.awarded, given = d.awarded, status = d.outcome
     FROM unnest($2::text[], $3::int[], $4::text[], $5::int[]) AS d(receipt_hash, rank, outcome, awarded)
     WHERE e.campaign_id = $1 AND e.receipt_hash = d.receipt_hash`,
    [campaignId, drawn.map((d) => d.receiptHash), drawn.map((d) => d.rank), drawn.map((d) => d.outcome), drawn.map((d) => d.awarded)],
  );
}

export async function setNeed(tx: Queryable, campaignId: number, householdId: number, needId: number): Promise<void> {
  await tx.query('UPDATE campaign_entries SET need_id = $3 WHERE campaign_id = $1 AND household_id = $2', [campaignId, householdId, needId]);
}

/** The published results: per entry, its hashed receipt and the draw, in rank order. */
export async function drawnEntries(db: Queryable, campaignId: number): Promise<(DrawnEntry & { status: string })[]> {
  const rows = await db.query<{ receipt_hash: string; tier: number; quantity: number; rank: number; outcome: 'won' | 'waiting'; awarded: number; status: string }>(
    'SELECT receipt_hash, tier, quantity, rank, outcome, awarded, status FROM campaign_entries WHERE campaign_id = $1 ORDER BY rank',
    [campaignId],
  );
  let waiting = 0;
  return rows.map((r) => ({
    receiptHash: r.receipt_hash,
    tier: r.tier,
    quantity: r.quantity,
    rank: r.rank,
    outcome: r.outcome,
    awarded: r.awarded,
    waitingPlace: r.outcome === 'waiting' ? ++waiting : null,
    status: r.status,
  }));
}

/** Winners' entries whose needs these are (locked). */
export async function winnersOfNeeds(tx: Queryable, needIds: number[]): Promise<{ campaignId: number; householdId: number; needId: number; given: number }[]> {
  const rows = await tx.query<{ campaign_id: number; household_id: number; need_id: number; given: number }>(
    `SELECT campaign_id, household_id, need_id, given FROM campaign_entries WHERE need_id = ANY($1::int[]) AND status = 'won' ORDER BY campaign_id, household_id FOR UPDATE`,
    [needIds],
  );
  return rows.map((r) => ({ campaignId: r.campaign_id, householdId: r.household_id, needId: r.need_id, given: r.given }));
}

export async function forfeit(tx: Queryable, campaignId: number, householdId: number): Promise<void> {
  await tx.query(`UPDATE campaign_entries SET status = 'forfeited', given = 0 WHERE campaign_id = $1 AND household_id = $2`, [campaignId, householdId]);
}

/** The head of the waiting list (locked). */
export async function firstWaiting(tx: Queryable, campaignId: number): Promise<{ householdId: number; quantity: number } | undefined> {
  const [row] = await tx.query<{ household_id: number; quantity: number }>(
    `SELECT household_id, quantity FROM campaign_entries WHERE campaign_id = $1 AND status = 'waiting' ORDER BY rank LIMIT 1 FOR UPDATE`,
    [campaignId],
  );
  return row && { householdId: row.household_id, quantity: row.quantity };
}

export async function promote(tx: Queryable, campaignId: number, householdId: number, given: number): Promise<void> {
  await tx.query(`UPDATE campaign_entries SET status = 'won', given = $3 WHERE campaign_id = $1 AND household_id = $2`, [campaignId, householdId, given]);
}

/** An entry's (e) place on its campaign's waiting list now: those waiting with a better rank, plus one. */
const waitingPlace = `CASE WHEN e.status = 'waiting' THEN (SELECT count(*)::int + 1 FROM campaign_entries w WHERE w.campaign_id = e.campaign_id AND w.status = 'waiting' AND w.rank < e.rank) END AS waiting_place`;

/** A household's entry with its current place on the waiting list (null unless waiting). */
export async function entryWithPlace(db: Queryable, campaignId: number, householdId: number): Promise<(Entry & { given: number; waitingPlace: number | null }) | undefined> {
  const [row] = await db.query<Entry & { given: number; waiting_place: number | null }>(
    `SELECT e.receipt, e.quantity, e.tier, e.status, e.given,
       ${waitingPlace}
     FROM campaign_entries e WHERE e.campaign_id = $1 AND e.household_id = $2`,
    [campaignId, householdId],
  );
  return row && { receipt: row.receipt, quantity: row.quantity, tier: row.tier, status: row.status, given: row.given, waitingPlace: row.waiting_place };
}

/** A household's entries in every campaign, newest campaign first, with its item, its window and the entry's place on the waiting list. */
export async function entriesOfHousehold(db: Queryable, householdId: number): Promise<HouseholdEntry[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT e.campaign_id, m.name AS commodity, m.unit, c.closes_at, e.receipt, e.quantity, e.status, e.given,
       ${waitingPlace}
     FROM campaign_entries e JOIN campaigns c ON c.id = e.campaign_id JOIN commodities m ON m.id = c.commodity_id
     WHERE e.household_id = $1 ORDER BY c.opens_at DESC, c.id DESC`,
    [householdId],
  );
  return rows.map((row) => {
    const entry = toCamel<HouseholdEntry>(row);
    return { ...entry, closesAt: new Date(entry.closesAt).toISOString() };
  });
}

/** The live view's figures: entries per minute (the last hour) and per tier. */
export async function liveFigures(db: Queryable, campaignId: number): Promise<{ perMinute: { minute: string; entries: number }[]; tiers: { tier: number; entries: number }[] }> {
  const perMinute = await db.query<{ minute: string; entries: number }>(
    `SELECT date_trunc('minute', entered_at) AS minute, count(*)::int AS entries FROM campaign_entries
     WHERE campaign_id = $1 AND entered_at > now() - interval '1 hour' GROUP BY 1 ORDER BY 1`,
    [campaignId],
  );
  const tiers = await db.query<{ tier: number; entries: number }>('SELECT tier, count(*)::int AS entries FROM campaign_entries WHERE campaign_id = $1 GROUP BY tier ORDER BY tier', [campaignId]);
  return { perMinute: perMinute.map((r) => ({ minute: new Date(r.minute).toISOString(), entries: r.entries })), tiers };
}
