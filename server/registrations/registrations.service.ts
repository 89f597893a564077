// People not yet known ask to be registered through a public form. Each request waits in the community
// worker's queue beside the households and other requests it may duplicate (same address, same phone, a
// similar name), and the worker approves it (a new household with an access code), merges it into a
// household that is the same people, or rejects it. The person follows it by an unguessable reference.
import type { Db, Queryable } from '../db/database.ts';
import { checkRecordInScope, type CommunityScope } from '../auth/communities.ts';
import { ConflictError, HttpError, NotFoundError, invalidField } from '../http/errors.ts';
import { addressKey, communityMiddle, createHousehold, findReported, householdFor, knownCommunities, likelySameHouseholds, mergeReport, phoneKey } from '../needs/households.service.ts';
import type { Household, HouseholdInput } from '../needs/needs.schema.ts';
import { zoneOfPoint } from '../zones/zones.service.ts';
import { hasLiveCode, hashCode, newCode, normalCode, replaceCode } from '../residents/access.service.ts';
import { say, type Lang } from '../residents/resident-texts.ts';
import { vulnerabilityFlags } from '../../domain/values.ts';
import { similarNames } from './similar-names.ts';
import * as repo from './registrations.repo.ts';
import type { DecidedRegistration, LikelyDuplicate, NewRegistration, QueuedRegistration, Registration, RegistrationDecision, RegistrationView } from './registrations.schema.ts';

/** Named in the history of the fields a registration gave a household. */
const SOURCE = 'registration';

/** Records a registration; its reference (80 random bits, kept only as a hash) is shown once, to the person. */
export async function register(db: Db, input: NewRegistration, lang: Lang): Promise<{ reference: string; url: string }> {
  if (!(await knownCommunities(db)).includes(input.community)) throw invalidField('body.community', say(lang, 'unknownCommunity'));
  const reference = newCode();
  await repo.insertRegistration(db, { ...input, referenceHash: hashCode(reference), addressKey: addressKey(input.address), phoneKey: phoneKey(input.phone) });
  return { reference, url: `/r/${reference}` };
}

/** Where a registration stands, for whoever holds its reference (`key`: the reference's hash): no name, address or phone is repeated. */
export async function registrationStatus(db: Db, typed: string, lang: Lang): Promise<{ key: string; found: RegistrationView } | undefined> {
  const reference = normalCode(typed);
  const key = reference && hashCode(reference);
  const registration = key && (await repo.findByReference(db, key));
  if (!key || !registration) return undefined;
  const text = ({ pending: 'registrationPending', approved: 'registrationApproved', merged: 'registrationMerged', rejected: 'registrationRejected' } as const)[registration.status];
  return { key, found: { lang, status: registration.status, statusText: say(lang, text), community: registration.community, createdAt: new Date(registration.createdAt).toISOString() } };
}

export const unknownReference = (lang: Lang) => new HttpError(404, 'not-found', 'Not found', say(lang, 'unknownReference'));

/** The pending registrations of the worker's communities, each beside its likely duplicates. */
export async function queuedRegistrations(db: Queryable, scope: CommunityScope): Promise<QueuedRegistration[]> {
  const pending = await repo.pending(db, scope);
  return Promise.all(pending.map(async (r) => ({ ...r, duplicates: await likelyDuplicates(db, r) })));
}

export const countPendingRegistrations = (db: Queryable, scope: CommunityScope) => repo.countPending(db, scope);

/** Households and other pending registrations that may be the same people: same address, same phone, or a similar name in the community. */
async function likelyDuplicates(db: Queryable, r: Registration): Promise<LikelyDuplicate[]> {
  const keys = { addressKey: addressKey(r.address), phoneKey: phoneKey(r.phone), community: r.community };
  const households = await likelySameHouseholds(db, r);
  const others = await repo.pendingLikeSame(db, r.id, keys);
  return [...households.map((h) => ({ kind: 'household' as const, record: h })), ...others.map((o) => ({ kind: 'registration' as const, record: o }))].flatMap(({ kind, record }) => {
    const matchedOn = matches(r, record, keys);
    if (matchedOn.length === 0) return [];
    const { id, name, address, phone, people, community } = record;
    return [{ kind, id, name, address, phone: phone ?? null, people, community, flags: vulnerabilityFlags.filter((f) => record[f]), matchedOn }];
  });
}

function matches(r: Registration, other: Pick<Household, 'name' | 'address' | 'phone' | 'community'>, keys: { addressKey: string; phoneKey: string }): LikelyDuplicate['matchedOn'] {
  const on: LikelyDuplicate['matchedOn'] = [];
  if (addressKey(other.address) === keys.addressKey) on.push('address');
  if (keys.phoneKey !== '' && phoneKey(other.phone) === keys.phoneKey) on.push('phone');
  if (other.community === r.community && similarNames(other.name, r.name)) on.push('name');
  return on;
}

/**
 * A community worker's decision on a registration of their communities (checked on the record as stored):
 * approve makes a household and its access code; merge adds the details to a household that is the same
 * people (a value corrected by hand stands) and gives it a code if it has none; reject records nothing more.
 */
export async function decideRegistration(db: Db, id: number, d: RegistrationDecision, actorId: number, scope: CommunityScope): Promise<DecidedRegistration> {
  return db.transaction(async (tx) => {
    const registration = await repo.lockRegistration(tx, id);
    if (!registration) throw new NotFoundError('registration', id);
    checkRecordInScope(scope, registration.community, 'registration', id);
    if (registration.status !== 'pending') throw new ConflictError(`registration ${id} was ${registration.status} already`, { registration });
    if (d.decision === 'reject') return { registration: await repo.decide(tx, id, { status: 'rejected', householdId: null, decidedBy: actorId }), household: null, code: null, url: null };
    const household = d.decision === 'approve' ? await approve(tx, registration, d, actorId) : await merge(tx, registration, d.householdId!, actorId, scope);
    // Only a household without a live code gets one: a slip already handed out keeps working.
    const issued = d.decision === 'merge' && (await hasLiveCode(tx, household.id)) ? undefined : await replaceCode(tx, household.id, actorId, []);
    const decided = await repo.decide(tx, id, { status: d.decision === 'approve' ? 'approved' : 'merged', householdId: household.id, decidedBy: actorId });
    return { registration: decided, household, code: issued?.code ?? null, url: issued?.url ?? null };
  });
}

async function approve(tx: Queryable, r: Registration, d: RegistrationDecision, actorId: number): Promise<Household> {
  if (await findReported(tx, { address: r.address, phone: r.phone ?? undefined })) throw new ConflictError('a household with the same address and phone exists already: merge into it', {}, 'already-exists');
  const place = d.lat !== undefined ? { lat: d.lat, lon: d.lon! } : await communityMiddle(tx, r.community);
  if (!place) throw invalidField('body.lat', 'required: the community has no household yet to place it by');
  const input: HouseholdInput = { ...householdFields(r), ...place, zoneId: (await zoneOfPoint(tx, place.lat, place.lon))?.id };
  return (await createHousehold(tx, input, SOURCE, actorId)).household;
}

async function merge(tx: Queryable, r: Registration, householdId: number, actorId: number, scope: CommunityScope): Promise<Household> {
  const current = await householdFor(tx, householdId, scope, 'body.householdId');
  const input: HouseholdInput = { ...householdFields(r), lat: current.lat, lon: current.lon, community: current.community };
  return (await mergeReport(tx, current, input, SOURCE, actorId)).household;
}

function householdFields(r: Registration): Omit<HouseholdInput, 'lat' | 'lon'> {
  const { name, address, phone, people, community, elderlyAlone, chronicIllness, disabled, pregnant, infant } = r;
  return { name, address, phone: phone ?? undefined, people, community, elderlyAlone, chronicIllness, disabled, pregnant, infant };
}
