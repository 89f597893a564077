// Households: who needs help and where. Reports from several sources are merged on the normalised
// address and phone; every field remembers its source and history, and a value a person corrected by
// hand is never silently overwritten by a later import.
import { checkCommunity, checkRecordInScope, type CommunityScope } from '../auth/communities.ts';
import type { Queryable, Db } from '../db/database.ts';
import { toCamel } from '../db/rows.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import * as repo from './households.repo.ts';
import type { Household, HouseholdInput, Need } from './needs.schema.ts';
import { pageOf, type Paging } from '../http/paging.ts';

export type { Household };

/** The fields whose source is tracked (keys, timestamps and ids are not facts about the household). */
const trackedFields = ['name', 'address', 'phone', 'lat', 'lon', 'people', 'community', 'zoneId', 'notes', 'elderlyAlone', 'chronicIllness', 'disabled', 'pregnant', 'infant'] as const;
type TrackedField = (typeof trackedFields)[number];

export const MANUAL = 'manual';

/** The merge keys are internal: they never leave the service. */
export function fromRow(row: Record<string, unknown>): Household {
  const { addressKey: _a, phoneKey: _p, ...household } = toCamel<Household & { addressKey: string; phoneKey: string }>(row);
  return household;
}

const ABBREVIATIONS: Record<string, string> = { bd: 'boulevard', bld: 'boulevard', av: 'avenue', ave: 'avenue', st: 'saint', ste: 'sainte', pl: 'place', rte: 'route', r: 'rue' };

/** "12, Bd. des Moulins" and "12 boulevard des moulins" are the same address. */
export function addressKey(address: string): string {
  return address
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .map((word) => ABBREVIATIONS[word] ?? word)
    .join(' ');
}

/** The last eight digits (a Monaco number; the country code and trunk prefix vary): "+377 93 15 20 00" and "93 15 20 00" are the same phone. */
export function phoneKey(phone: string | undefined | null): string {
  return (phone ?? '').replace(/\D/g, '').slice(-8);
}

export interface MergeResult {
  household: Household;
  created: boolean;
  /** Fields where an import offered a different value and the hand-corrected one was kept. */
  keptManual: { field: string; kept: unknown; offered: unknown }[];
}

/** The household a report's address and phone point to, as stored, locked for the merge; undefined when none. */
export async function findReported(tx: Queryable, input: Pick<HouseholdInput, 'address' | 'phone'>): Promise<Household | undefined> {
  const row = await repo.lockByKeys(tx, addressKey(input.address), phoneKey(input.phone));
  return row && fromRow(row);
}

/** A report of a household not known yet, with its first need. */
export interface FreshNeedReport {
  household: HouseholdInput;
  need: repo.FirstNeed;
  source: string;
  actorId: number;
  /** The request's audit context (its records are noted as its own when written with others'). */
  request: string | undefined;
}

/**
 * Households not known yet, each created with its first need, any number in one statement (a burst of reports
 * is written at line rate), in the order given; undefined, with nothing of it written, for a report whose
 * address and phone match a household (or an earlier report's), or whose commodity or zone does not exist: the
 * caller then takes the long way, which merges or names what is wrong.
 */
export async function createWithNeeds(tx: Queryable, reports: FreshNeedReport[]): Promise<({ merge: MergeResult; need: Need } | undefined)[]> {
  const created = await repo.insertWithNeeds(
    tx,
    reports.map((r) => ({
      household: { ...r.household, addressKey: addressKey(r.household.address), phoneKey: phoneKey(r.household.phone) },
      values: trackedValues(r.household),
      source: r.source,
      setBy: r.actorId,
      need: r.need,
      request: r.request,
    })),
  );
  return created.map((c) => c && { merge: { household: fromRow(c.household), created: true, keptManual: [] }, need: c.need as unknown as Need });
}

export async function createHousehold(tx: Queryable, input: HouseholdInput, source: string, actorId: number): Promise<MergeResult> {
  const household = fromRow(await repo.insertHousehold(tx, { ...input, addressKey: addressKey(input.address), phoneKey: phoneKey(input.phone) }));
  await repo.recordCreation(tx, [{ householdId: household.id, values: trackedValues(input) }], { source, setBy: actorId });
  return { household, created: true, keptManual: [] };
}

/**
 * Merges a report into the household it matched. A report never moves a household to another community
 * (only a person's correction does), and never overwrites a value a person corrected by hand.
 */
export async function mergeReport(tx: Queryable, current: Household, input: HouseholdInput, source: string, actorId: number): Promise<MergeResult> {
  const { changes, keptManual } = mergeChanges(current, input, await repo.currentSources(tx, current.id), source);
  await recordHistory(tx, current.id, changes, source, 'applied', actorId);
  await recordHistory(tx, current.id, keptManual.map((k) => [k.field, k.offered]), source, 'kept_manual', actorId);
  const household = changes.length ? await applyChanges(tx, current.id, changes) : current;
  return { household, created: false, keptManual };
}

/** The reported fields a household's creation records as their first values. */
export function trackedValues(input: Partial<HouseholdInput>): Record<string, unknown> {
  return Object.fromEntries(trackedFields.filter((f) => input[f] !== undefined).map((f) => [f, input[f]]));
}

/**
 * What a report changes on a household, given the source of each field's current value: every offered
 * value that differs, except the community (only a person moves a household) and, from anyone but a
 * person, a value a person corrected by hand (kept, and reported as keptManual).
 */
export function mergeChanges(current: Household, input: HouseholdInput, sources: Map<string, string>, source: string): { changes: [TrackedField, unknown][]; keptManual: MergeResult['keptManual'] } {
  const changes: [TrackedField, unknown][] = [];
  const keptManual: MergeResult['keptManual'] = [];
  for (const field of trackedFields) {
    const offered = input[field];
    if (field === 'community' || offered === undefined || sameValue(offered, current[field])) continue;
    if (sources.get(field) === MANUAL && source !== MANUAL) keptManual.push({ field, kept: current[field], offered });
    else changes.push([field, offered]);
  }
  return { changes, keptManual };
}

/** A person's correction: applied with source `manual`, refused with the current record if someone else saved first. */
export async function correctHousehold(db: Db, id: number, patch: Partial<HouseholdInput> & { version: number }, actorId: number, scope: CommunityScope = null): Promise<Household> {
  return db.transaction(async (tx) => {
    const current = await lockHousehold(tx, id);
    if (!current) throw new NotFoundError('household', id);
    checkRecordInScope(scope, current.community, 'household', id);
    if (patch.community !== undefined) checkCommunity(scope, patch.community, 'body.community');
    if (current.version !== patch.version) {
      throw new ConflictError(`household ${id} was changed by someone else (now version ${current.version}); review and save again`, { current }, 'edited-meanwhile');
    }
    const changes = trackedFields.filter((f) => patch[f] !== undefined && !sameValue(patch[f], current[f])).map((f): [TrackedField, unknown] => [f, patch[f]]);
    await recordHistory(tx, id, changes, MANUAL, 'applied', actorId);
    const keys: Record<string, string> = patch.address !== undefined || patch.phone !== undefined
      ? { addressKey: addressKey(patch.address ?? current.address), phoneKey: phoneKey(patch.phone ?? current.phone) }
      : {};
    return applyChanges(tx, id, changes, keys);
  });
}

/** Who receives a route's deliveries, by household: name, address, phone, people. Never health flags. */
export const recipients = (db: Queryable, householdIds: number[]) => repo.recipients(db, householdIds);

/**
 * A household's own new contact phone (from its page): applied with the given source, unless a person corrected
 * the phone by hand, which stands (the offer is kept in the history for the worker). Inside the caller's transaction.
 */
export async function offerPhone(tx: Queryable, id: number, phone: string | null, source: string): Promise<{ household: Household; kept: boolean }> {
  const current = await lockHousehold(tx, id);
  if (!current) throw new NotFoundError('household', id);
  if (sameValue(phone, current.phone)) return { household: current, kept: false };
  if ((await repo.currentSources(tx, id)).get('phone') === MANUAL) {
    await recordHistory(tx, id, [['phone', phone]], source, 'kept_manual', null);
    return { household: current, kept: true };
  }
  await recordHistory(tx, id, [['phone', phone]], source, 'applied', null);
  return { household: await applyChanges(tx, id, [['phone', phone]], { phoneKey: phoneKey(phone) }), kept: false };
}

/** Households a report may describe: same address or phone, or in the same community (the caller compares names). */
export async function likelySameHouseholds(db: Queryable, report: { address: string; phone?: string | null; community: string }): Promise<Household[]> {
  return (await repo.likelySame(db, { addressKey: addressKey(report.address), phoneKey: phoneKey(report.phone), community: report.community })).map(fromRow);
}

/** The middle of a community's households (where a household is placed until a worker moves it); null when it has none. */
export const communityMiddle = (db: Queryable, community: string) => repo.middleOf(db, community);

/** The communities households belong to. */
export const knownCommunities = (db: Queryable) => repo.communities(db);

/** A page of the communities by name (a district has about a thousand: held whole). */
export const communityPage = async (db: Queryable, paging: Paging<'name'>) => pageOf(await knownCommunities(db), paging, { name: (c) => c }, (c) => c);

export async function getHousehold(db: Queryable, id: number, field?: string): Promise<Household> {
  const row = await repo.findHousehold(db, id);
  if (!row) throw new NotFoundError('household', id, field);
  return fromRow(row);
}

/** A household locked for a change in the caller's transaction; undefined when none has that id. */
export async function lockHousehold(tx: Queryable, id: number): Promise<Household | undefined> {
  const row = await repo.findHousehold(tx, id, true);
  return row && fromRow(row);
}

/** A household for someone who may work only in some communities: another community's is not found. */
export async function householdFor(db: Queryable, id: number, scope: CommunityScope, field?: string): Promise<Household> {
  const household = await getHousehold(db, id, field);
  checkRecordInScope(scope, household.community, 'household', id, field);
  return household;
}

export async function householdHistory(db: Db, id: number, scope: CommunityScope = null) {
  await householdFor(db, id, scope);
  return repo.fieldHistory(db, id);
}

async function applyChanges(tx: Queryable, id: number, changes: [string, unknown][], keys: Record<string, string> = {}): Promise<Household> {
  return fromRow(await repo.updateHousehold(tx, id, [...changes, ...Object.entries(keys)]));
}

async function recordHistory(tx: Queryable, householdId: number, changes: [string, unknown][], source: string, outcome: 'applied' | 'kept_manual', actorId: number | null): Promise<void> {
  await repo.recordHistory(tx, changes.map(([field, value]) => ({ householdId, field, value, outcome })), { source, setBy: actorId });
}

function sameValue(a: unknown, b: unknown): boolean {
  return (a ?? null) === (b ?? null);
}
