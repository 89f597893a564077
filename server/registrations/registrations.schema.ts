// People not yet known asking to be registered: the public form, the worker's decision, and the records the
// API answers with (the web app imports these types).
import { z } from 'zod';
import { latitude, longitude, recordId } from '../http/schemas.ts';
import { householdInput, type Household } from '../needs/needs.schema.ts';
import { vulnerabilityFlags, type VulnerabilityFlag } from '../../domain/values.ts';
import { langs } from '../residents/resident-texts.ts';
import { listQuery, MAX_LIMIT } from '../http/paging.ts';

const fields = householdInput.shape;

export const newRegistration = z.strictObject({
  name: fields.name,
  address: fields.address,
  phone: fields.phone,
  people: fields.people,
  community: fields.community,
  ...(Object.fromEntries(vulnerabilityFlags.map((f) => [f, z.boolean().default(false)])) as Record<VulnerabilityFlag, z.ZodDefault<z.ZodBoolean>>),
});
export type NewRegistration = z.infer<typeof newRegistration>;

export const referenceParam = z.strictObject({ reference: z.string().min(1).max(64) });
export const langQuery = z.strictObject({ lang: z.enum(langs).optional().describe('the language of the sentences (default: from Accept-Language, else en)') });

export const registrationDecision = z
  .strictObject({
    decision: z.enum(['approve', 'merge', 'reject']).describe('approve: a new household with an access code; merge: into an existing household (householdId); reject: nothing is recorded'),
    householdId: recordId.optional().describe('merge: the household it is'),
    lat: latitude.optional().describe('approve: where the household lives (default: the middle of its community)'),
    lon: longitude.optional(),
  })
  .refine((d) => d.decision !== 'merge' || d.householdId !== undefined, { path: ['householdId'], message: 'required to merge' })
  .refine((d) => (d.lat === undefined) === (d.lon === undefined), { path: ['lon'], message: 'give lat and lon together' });
export type RegistrationDecision = z.infer<typeof registrationDecision>;

export type RegistrationStatus = 'pending' | 'approved' | 'merged' | 'rejected';

export interface Registration extends Omit<NewRegistration, 'phone'> {
  id: number;
  phone: string | null;
  status: RegistrationStatus;
  householdId: number | null;
  decidedBy: number | null;
  decidedAt: string | null;
  createdAt: string;
}

/** A household or another registration that may be the same people, and on what. */
export interface LikelyDuplicate {
  kind: 'household' | 'registration';
  id: number;
  name: string;
  address: string;
  phone: string | null;
  people: number;
  community: string;
  flags: VulnerabilityFlag[];
  matchedOn: ('address' | 'phone' | 'name')[];
}

/** A registration in the worker's queue, with its likely duplicates side by side. */
export interface QueuedRegistration extends Registration {
  duplicates: LikelyDuplicate[];
}

/** What the person reads at /r/<reference>. */
export interface RegistrationView {
  lang: 'en' | 'zh';
  status: RegistrationStatus;
  statusText: string;
  community: string;
  createdAt: string;
}

export interface DecidedRegistration {
  registration: Registration;
  household: Household | null;
  /** A new access code for the household's slip (shown once). */
  code: string | null;
  url: string | null;
}

export const communityQuery = listQuery({}, ['name'], { limit: MAX_LIMIT });
