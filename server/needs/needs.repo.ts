// SQL for needs.
import type { Queryable } from '../db/database.ts';
import { toCamel, type Page } from '../db/rows.ts';
import type { Household, Need, NeedWithHousehold } from './needs.schema.ts';

export async function findOpenNeed(db: Queryable, householdId: number, commodityId: number): Promise<Need | undefined> {
  const [row] = await db.query(`SELECT * FROM needs WHERE household_id = $1 AND commodity_id = $2 AND status = 'open' FOR UPDATE`, [householdId, commodityId]);
  return row ? toCamel<Need>(row) : undefined;
}

export interface NeedFilter {
  community?: string;
  status?: string;
  commodityId?: number;
  householdId?: number;
  zoneId?: number;
  /** Only these communities (a community worker's); null or absent: every one. */
  communities?: readonly string[] | null;
  limit: number;
  offset: number;
}

export async function listNeeds(db: Queryable, f: NeedFilter): Promise<Page<NeedWithHousehold>> {
  const where = `WHERE ($1::text IS NULL OR h.community = $1) AND ($2::text IS NULL OR n.status = $2)
    AND ($3::int IS NULL OR n.commodity_id = $3) AND ($4::int IS NULL OR n.household_id = $4) AND ($5::int IS NULL OR h.zone_id = $5)
    AND ($6::text[] IS NULL OR h.community = ANY($6))`;
  const params = [f.community ?? null, f.status ?? null, f.commodityId ?? null, f.householdId ?? null, f.zoneId ?? null, f.communities ?? null];
  const [{ total }] = (await db.query<{ total: number }>(`SELECT count(*) AS total FROM needs n JOIN households h ON h.id = n.household_id ${where}`, params)) as [
    { total: number },
  ];
  const rows = await db.query<{ need: Record<string, unknown>; household: Record<string, unknown> }>(
    `SELECT to_jsonb(n) AS need, to_jsonb(h) - 'address_key' - 'phone_key' AS household
     FROM needs n JOIN households h ON h.id = n.household_id ${where}
     ORDER BY n.id LIMIT $7 OFFSET $8`,
    [...params, f.limit, f.offset],
  );
  const items = rows.map((r) => ({ ...toCamel<Need>(r.need), household: toCamel<Household>(r.household) }));
  return { items, total, limit: f.limit, offset: f.offset };
}

/** Counts goods handed over towards a need (never past what it asks for); the need is fulfilled once they cover it. */
export async function addDelivered(tx: Queryable, needId: number, quantity: number): Promise<Need & { community: string }> {
  const [row] = await tx.query(
    `UPDATE needs n SET fulfilled = LEAST(n.quantity, n.fulfilled + $2), status = CASE WHEN n.fulfilled + $2 >= n.quantity THEN 'fulfilled' ELSE n.status END,
       version = n.version + 1, updated_at = now()
     FROM households h WHERE n.id = $1 AND h.id = n.household_id RETURNING n.*, h.community`,
    [needId, quantity],
  );
  return toCamel<Need & { community: string }>(row!);
}
