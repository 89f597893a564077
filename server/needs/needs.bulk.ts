// Reported needs recorded many at a time (the CSV import): a batch of reports is resolved in memory against
// the households and open needs it touches, read and locked in three queries, by the same rules as one report
// at a time (recordNeed: merge keys, scope of the household as stored, hand corrections kept, open needs
// merged), then written in a few multi-row statements. A dry run (the preview) resolves without writing.
import type { Queryable } from '../db/database.ts';
import type { Notify } from '../live/outbox.ts';
import { inScope, type CommunityScope } from '../auth/communities.ts';
import type { ZoneLocator } from '../zones/zones.service.ts';
import * as householdsRepo from './households.repo.ts';
import * as needsRepo from './needs.repo.ts';
import { addressKey, fromRow, mergeChanges, phoneKey, trackedValues, type MergeResult } from './households.service.ts';
import { holdForReview } from './household-reviews.service.ts';
import { announceMany, mergedNeed, type Reporter } from './needs.service.ts';
import type { Household, HouseholdInput, ImportRowReport, Need, NewNeed } from './needs.schema.ts';

/** One checked report: the need and the household it names. */
export interface BulkReport {
  line: number;
  need: NewNeed & { household: HouseholdInput };
}

/** Who reports, and where each point lies (zones looked up once for the whole file). */
export interface BulkReporter extends Omit<Reporter, 'zones' | 'fieldPrefix'> {
  scope: CommunityScope;
  zoneAt: ZoneLocator;
}

interface WorkHousehold {
  id: number | undefined;
  record: Household;
  sources: Map<string, string>;
  /** The first values, for a household this batch creates. */
  created?: Record<string, unknown>;
  bumps: number;
}

interface WorkNeed {
  id: number | undefined;
  household: WorkHousehold;
  record: Pick<Need, 'commodityId' | 'quantity' | 'urgency' | 'deadline' | 'sources' | 'version'>;
  created: boolean;
  bumps: number;
}

/** What the batch touched; a dry run carries it from batch to batch, since nothing it decided is stored. */
export interface BulkState {
  households: Map<string, WorkHousehold>;
  needs: Map<string, WorkNeed>;
}

export const emptyState = (): BulkState => ({ households: new Map(), needs: new Map() });

type Row = { line: number; status: 'held'; reviewId?: number } | { line: number; status: 'created' | 'merged'; need: WorkNeed; keptManual: MergeResult['keptManual'] };

const householdKey = (h: { address: string; phone?: string | null }) => `${addressKey(h.address)}\n${phoneKey(h.phone)}`;

/**
 * Resolves a batch of reports and, unless `write` is undefined (a dry run), writes it in the caller's
 * transaction and announces each need it touched once. The report of each line, in order.
 */
export async function recordNeedsInBulk(
  tx: Queryable,
  reports: BulkReport[],
  reporter: BulkReporter,
  state: BulkState,
  write?: { notify: Notify },
): Promise<ImportRowReport[]> {
  await loadStored(tx, reports, state, !!write);
  const history: { household: WorkHousehold; field: string; value: unknown; outcome: 'applied' | 'kept_manual' }[] = [];
  const rows: Row[] = [];
  for (const { line, need } of reports) {
    const key = householdKey(need.household);
    const found = state.households.get(key);
    if (found && !inScope(reporter.scope, found.record.community)) {
      rows.push({ line, status: 'held', reviewId: write ? await holdForReview(tx, need, found.id!, { ...reporter, fieldPrefix: '' }) : undefined });
      continue;
    }
    const input = { ...need.household, zoneId: need.household.zoneId ?? reporter.zoneAt(need.household.lat, need.household.lon)?.id };
    const household = found ?? created(state, key, input, reporter.source);
    const keptManual = found ? merge(found, input, reporter.source, history) : [];
    const [work, merged] = needOn(state, key, household, need, reporter.source);
    rows.push({ line, status: merged ? 'merged' : 'created', need: work, keptManual });
  }
  if (write) await store(tx, rows, history, reporter, write.notify);
  return rows.map((row) =>
    row.status === 'held'
      ? { line: row.line, status: 'held', ...(row.reviewId ? { reviewId: row.reviewId } : {}) }
      : { line: row.line, status: row.status, ...(write ? { needId: row.need.id, householdId: row.need.household.id } : {}), ...(row.keptManual.length ? { keptManual: row.keptManual } : {}) },
  );
}

/** The stored households the batch names that the state does not know yet, with their sources and open needs. */
async function loadStored(tx: Queryable, reports: BulkReport[], state: BulkState, lock: boolean): Promise<void> {
  const unknown = [...new Set(reports.map((r) => householdKey(r.need.household)))].filter((k) => !state.households.has(k));
  if (unknown.length === 0) return;
  const keys = unknown.map((k) => k.split('\n') as [string, string]);
  const stored = (await householdsRepo.lockByKeysMany(tx, { address: keys.map(([a]) => a), phone: keys.map(([, p]) => p) }, lock)).map(fromRowWithKey);
  if (stored.length === 0) return;
  const ids = stored.map((s) => s.household.id);
  const sources = new Map<number, Map<string, string>>(ids.map((id) => [id, new Map()]));
  for (const s of await householdsRepo.currentSourcesMany(tx, ids)) sources.get(s.household_id)!.set(s.field, s.source);
  const byId = new Map<number, { key: string; work: WorkHousehold }>();
  for (const { key, household } of stored) {
    const work = { id: household.id, record: household, sources: sources.get(household.id)!, bumps: 0 };
    state.households.set(key, work);
    byId.set(household.id, { key, work });
  }
  for (const need of await needsRepo.lockOpenNeedsOf(tx, ids, lock)) {
    const { key, work } = byId.get(need.householdId)!;
    state.needs.set(`${key}\n${need.commodityId}`, { id: need.id, household: work, record: need, created: false, bumps: 0 });
  }
}

function fromRowWithKey(row: Record<string, unknown>): { key: string; household: Household } {
  return { key: `${row.address_key}\n${row.phone_key}`, household: fromRow(row) };
}

function created(state: BulkState, key: string, input: HouseholdInput, source: string): WorkHousehold {
  const values = trackedValues(input);
  const record = { id: 0, version: 1, phone: null, zoneId: null, notes: null, ...input } as Household;
  const work: WorkHousehold = { id: undefined, record, sources: new Map(Object.keys(values).map((f) => [f, source])), created: values, bumps: 0 };
  state.households.set(key, work);
  return work;
}

/** A report merged into a household already known: its changes applied, hand corrections kept. */
function merge(work: WorkHousehold, input: HouseholdInput, source: string, history: { household: WorkHousehold; field: string; value: unknown; outcome: 'applied' | 'kept_manual' }[]): MergeResult['keptManual'] {
  const { changes, keptManual } = mergeChanges(work.record, input, work.sources, source);
  for (const [field, value] of changes) {
    (work.record as unknown as Record<string, unknown>)[field] = value;
    work.sources.set(field, source);
    history.push({ household: work, field, value, outcome: 'applied' });
  }
  for (const k of keptManual) history.push({ household: work, field: k.field, value: k.offered, outcome: 'kept_manual' });
  if (changes.length) work.bumps++;
  return keptManual;
}

/** The need on its household: new, or merged into the open need of the same commodity. Whether it merged. */
function needOn(state: BulkState, key: string, household: WorkHousehold, input: NewNeed, source: string): [WorkNeed, boolean] {
  const needKey = `${key}\n${input.commodityId}`;
  const existing = state.needs.get(needKey);
  if (existing) {
    existing.record = { ...existing.record, ...mergedNeed(existing.record, input, source), version: existing.record.version + 1 };
    existing.bumps++;
    return [existing, true];
  }
  const record = { commodityId: input.commodityId, quantity: input.quantity, urgency: input.urgency, deadline: input.deadline ?? null, sources: [source], version: 1 };
  const work: WorkNeed = { id: undefined, household, record, created: true, bumps: 0 };
  state.needs.set(needKey, work);
  return [work, false];
}

/**
 * The batch's decisions written in a few statements, then each touched need announced once, at its last version.
 * The statements that need no id from another are sent together: the database runs them one after the other
 * without waiting for this thread to read each answer and send the next.
 */
async function store(tx: Queryable, rows: Row[], history: { household: WorkHousehold; field: string; value: unknown; outcome: 'applied' | 'kept_manual' }[], reporter: BulkReporter, notify: Notify): Promise<void> {
  const touched = [...new Set(rows.flatMap((r) => (r.status === 'held' ? [] : [r.need])))];
  const touchedHouseholds = [...new Set(touched.map((n) => n.household))];
  const newHouseholds = touchedHouseholds.filter((h) => h.created);
  const entry = { source: reporter.source, setBy: reporter.actorId };
  const [ids] = await Promise.all([
    householdsRepo.insertHouseholds(
      tx,
      newHouseholds.map((h) => {
        const { id: _id, version: _v, ...values } = h.record;
        return { ...values, addressKey: addressKey(values.address), phoneKey: phoneKey(values.phone), version: 1 + h.bumps };
      }),
    ),
    householdsRepo.applyMerges(tx, touchedHouseholds.filter((h) => !h.created && h.bumps > 0).map((h) => ({ id: h.id!, values: h.record as unknown as Record<string, unknown>, bumps: h.bumps }))),
    needsRepo.mergeReports(tx, touched.filter((n) => !n.created).map((n) => ({ id: n.id!, ...n.record, bumps: n.bumps }))),
  ]);
  newHouseholds.forEach((h, i) => (h.id = h.record.id = ids[i]!.id));
  const newNeeds = touched.filter((n) => n.created);
  const [needIds] = await Promise.all([
    needsRepo.insertNeeds(tx, newNeeds.map((n) => ({ householdId: n.household.id!, ...n.record }))),
    householdsRepo.recordCreation(tx, newHouseholds.map((h) => ({ householdId: h.id!, values: h.created! })), entry),
    householdsRepo.recordHistory(tx, history.map((c) => ({ householdId: c.household.id!, field: c.field, value: c.value, outcome: c.outcome })), entry),
  ]);
  newNeeds.forEach((n, i) => (n.id = needIds[i]!.id));
  await announceMany(tx, notify, touched.map((n) => ({ need: { id: n.id!, version: n.record.version }, community: n.household.record.community, change: n.created ? 'created' : 'merged' })), reporter.actorId);
}
