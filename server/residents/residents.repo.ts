// SQL for household access codes, and what a household's page and the slips read. Only this module
// writes household_access. Its reads join other nouns' tables into the one view a screen shows (a
// household's needs with the plans and stops that carry them; a community's households with whether each
// holds a code) and never write them: needs, plans and dispatch write their own tables.
import type { Queryable } from '../db/database.ts';
import type { Handover, Leg, NeedFacts } from './resident-status.ts';

/** Revokes the household's live code, if any; its hash. */
export async function revokeLiveCode(tx: Queryable, householdId: number): Promise<string | undefined> {
  const [row] = await tx.query<{ code_hash: string }>('UPDATE household_access SET revoked_at = now() WHERE household_id = $1 AND revoked_at IS NULL RETURNING code_hash', [householdId]);
  return row?.code_hash;
}

export async function insertCode(tx: Queryable, codeHash: string, householdId: number, issuedBy: number): Promise<void> {
  await tx.query('INSERT INTO household_access (code_hash, household_id, issued_by) VALUES ($1, $2, $3)', [codeHash, householdId, issuedBy]);
}

/** The household a live code opens. */
export async function householdOfCode(db: Queryable, codeHash: string): Promise<number | undefined> {
  const [row] = await db.query<{ household_id: number }>('SELECT household_id FROM household_access WHERE code_hash = $1 AND revoked_at IS NULL', [codeHash]);
  return row?.household_id;
}

/** The hash of the household's live code, if it has one. */
export async function liveCodeOf(db: Queryable, householdId: number): Promise<string | undefined> {
  const [row] = await db.query<{ code_hash: string }>('SELECT code_hash FROM household_access WHERE household_id = $1 AND revoked_at IS NULL', [householdId]);
  return row?.code_hash;
}

/** A community's households, by name, each with whether it holds a live code. */
export async function householdsOfCommunity(db: Queryable, community: string): Promise<{ id: number; name: string; address: string; hasCode: boolean }[]> {
  const rows = await db.query<{ id: number; name: string; address: string; has_code: boolean }>(
    `SELECT h.id, h.name, h.address, EXISTS (SELECT 1 FROM household_access a WHERE a.household_id = h.id AND a.revoked_at IS NULL) AS has_code
     FROM households h WHERE h.community = $1 ORDER BY h.name, h.id`,
    [community],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, address: r.address, hasCode: r.has_code }));
}

/** Recalled lots whose goods reached the household: what, when, and why they were recalled. */
export async function recallsReceived(db: Queryable, householdId: number): Promise<{ commodity: string; deliveredAt: string; reason: string }[]> {
  const rows = await db.query<{ commodity: string; delivered_at: Date; reason: string }>(
    `SELECT c.name AS commodity, max(m.created_at) AS delivered_at, l.recall_reason AS reason
     FROM stock_movements m JOIN needs n ON n.id = m.need_id JOIN lots l ON l.id = m.lot_id JOIN commodities c ON c.id = l.commodity_id
     WHERE n.household_id = $1 AND m.kind = 'delivered' AND l.recalled_at IS NOT NULL GROUP BY l.id, c.name ORDER BY l.id`,
    [householdId],
  );
  return rows.map((r) => ({ commodity: r.commodity, deliveredAt: new Date(r.delivered_at).toISOString(), reason: r.reason }));
}

/** The household's needs, newest first, each with its latest approved or dispatched plan and that plan's stops for it. */
export async function needFactsOf(db: Queryable, householdId: number): Promise<NeedFacts[]> {
  const needs = await db.query<{ id: number; commodity: string; unit: string; quantity: number; fulfilled: number; status: NeedFacts['status']; confirmed: boolean; requested: number | null; updated_at: string }>(
    `SELECT n.id, c.name AS commodity, c.unit, n.quantity, n.fulfilled, n.status, n.confirmed, n.requested, n.updated_at
     FROM needs n JOIN commodities c ON c.id = n.commodity_id WHERE n.household_id = $1 ORDER BY n.id DESC`,
    [householdId],
  );
  const ids = needs.map((n) => n.id);
  const plans = await db.query<{ need_id: number; plan_id: number; status: 'approved' | 'dispatched'; allocated: number; unmet_reason: string | null }>(
    `SELECT DISTINCT ON (n.id) n.id AS need_id, p.id AS plan_id, p.status,
       (SELECT coalesce(sum(a.quantity), 0) FROM plan_allocations a WHERE a.plan_id = p.id AND a.need_id = n.id)::int AS allocated,
       (SELECT u.entry->>'reason' FROM plan_unmet u WHERE u.plan_id = p.id AND u.need_id = n.id LIMIT 1) AS unmet_reason
     FROM needs n JOIN plans p ON p.status IN ('approved', 'dispatched') AND jsonb_exists(p.snapshot->'needs', n.id::text)
     WHERE n.id = ANY($1::int[]) ORDER BY n.id, p.id DESC`,
    [ids],
  );
  const legs = await db.query<{ need_id: number; plan_id: number; kind: Leg['kind']; status: Leg['status']; reason: string | null; eta_s: number | null; gate: string | null; route_status: string; route_kind: Leg['routeKind']; device_time: Date | null; handed_to: Handover['handedTo'] | null; receiver_name: string | null }>(
    `SELECT si.need_id, r.plan_id, s.kind, s.status, s.reason, s.eta_s, g.name AS gate, r.status AS route_status, r.kind AS route_kind,
            p.device_time, p.handed_to, p.receiver_name
     FROM stop_items si JOIN stops s ON s.id = si.stop_id JOIN routes r ON r.id = s.route_id LEFT JOIN gates g ON g.id = s.gate_id
     LEFT JOIN stop_proofs p ON p.stop_id = s.id
     WHERE si.need_id = ANY($1::int[]) AND r.status <> 'cancelled' ORDER BY s.id`,
    [ids],
  );
  return needs.map((n) => {
    const plan = plans.find((p) => p.need_id === n.id);
    return {
      id: n.id,
      commodity: n.commodity,
      unit: n.unit,
      quantity: n.quantity,
      fulfilled: n.fulfilled,
      status: n.status,
      confirmed: n.confirmed,
      requested: n.requested,
      updatedAt: new Date(n.updated_at).toISOString(),
      plan: plan && { status: plan.status, allocated: plan.allocated, unmetReason: plan.unmet_reason },
      legs: legs
        .filter((l) => l.need_id === n.id && l.plan_id === plan?.plan_id)
        .map((l) => ({
          kind: l.kind,
          status: l.status,
          reason: l.reason,
          etaS: l.eta_s,
          gate: l.gate,
          routeStatus: l.route_status,
          routeKind: l.route_kind,
          ...(l.handed_to && l.device_time ? { handover: { at: l.device_time.toISOString(), handedTo: l.handed_to, receiverName: l.receiver_name! } } : {}),
        })),
    };
  });
}

/**
 * The live codes of households touched by these needs, stops, routes, plans or campaigns (what their pages show
 * changed). The statement names only the kinds given: it is planned afresh each time, and the whole of it took
 * ~1 ms on PGlite to plan for what ran in 0.1-0.2 ms (an import's every batch touches needs alone).
 */
export async function liveCodesTouched(db: Queryable, touched: { needIds: number[]; stopIds: number[]; routeIds: number[]; planIds: number[]; campaignIds: number[] }): Promise<string[]> {
  const params: number[][] = [];
  const ids = (list: number[]) => `$${params.push(list)}::int[]`;
  const needs = [
    touched.needIds.length ? `SELECT unnest(${ids(touched.needIds)})` : '',
    touched.stopIds.length ? `SELECT si.need_id FROM stop_items si WHERE si.stop_id = ANY(${ids(touched.stopIds)})` : '',
    touched.routeIds.length ? `SELECT si.need_id FROM stop_items si JOIN stops s ON s.id = si.stop_id WHERE s.route_id = ANY(${ids(touched.routeIds)})` : '',
    touched.planIds.length ? `SELECT jsonb_object_keys(p.snapshot->'needs')::int FROM plans p WHERE p.id = ANY(${ids(touched.planIds)})` : '',
  ].filter(Boolean);
  const households = [
    needs.length ? `SELECT n.household_id FROM (${needs.join(' UNION ')}) t(need_id) JOIN needs n ON n.id = t.need_id` : '',
    touched.campaignIds.length ? `SELECT e.household_id FROM campaign_entries e WHERE e.campaign_id = ANY(${ids(touched.campaignIds)})` : '',
  ].filter(Boolean);
  if (households.length === 0) return [];
  const rows = await db.query<{ code_hash: string }>(
    `SELECT DISTINCT a.code_hash FROM (${households.join(' UNION ')}) h(household_id)
     JOIN household_access a ON a.household_id = h.household_id AND a.revoked_at IS NULL`,
    params,
  );
  return rows.map((r) => r.code_hash);
}
