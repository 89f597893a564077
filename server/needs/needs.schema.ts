// Households and their needs (one need = one commodity asked for by one household): the input schemas,
// and the records the API answers with.
import { z } from 'zod';
import { isoDate, latitude, longitude, optionalId, recordId, units, version } from '../http/schemas.ts';
import { listQuery } from '../http/paging.ts';
import type { FieldProblem } from '../http/errors.ts';
import { flagColumns, needImportColumns, needStatuses, urgencies, vulnerabilityFlags, type FlagColumn, type NeedImportColumn, type NeedStatus, type Urgency, type VulnerabilityFlag } from '../../domain/values.ts';

export { vulnerabilityFlags };

const householdFields = {
  name: z.string().trim().min(1).max(200),
  address: z.string().trim().min(3).max(500),
  phone: z.string().trim().regex(/^[+0-9 ().-]{6,25}$/, 'a phone number (digits, spaces, + ( ) . -)').optional(),
  lat: latitude,
  lon: longitude,
  people: z.number().int().min(1).max(100),
  community: z.string().trim().min(1).max(200),
  zoneId: recordId.optional(),
  notes: z.string().trim().max(2000).optional(),
  ...(Object.fromEntries(vulnerabilityFlags.map((f) => [f, z.boolean()])) as Record<VulnerabilityFlag, z.ZodBoolean>),
};

export const householdInput = z.strictObject({
  ...householdFields,
  ...(Object.fromEntries(vulnerabilityFlags.map((f) => [f, z.boolean().default(false)])) as Record<VulnerabilityFlag, z.ZodDefault<z.ZodBoolean>>),
});
export type HouseholdInput = z.infer<typeof householdInput>;

/** A correction names only the fields it changes (no defaults), and the version it was made on. */
export const householdPatch = z
  .strictObject(householdFields)
  .partial()
  .extend({ version: version.describe('the version you edited; a newer one wins and you are told') });

const needFields = {
  commodityId: recordId,
  quantity: units,
  urgency: z.enum(urgencies).default('normal'),
  deadline: isoDate.optional(),
};

export const newNeed = z
  .strictObject({ householdId: recordId.optional(), household: householdInput.optional(), ...needFields })
  .refine((n) => (n.householdId === undefined) !== (n.household === undefined), {
    path: ['household'],
    message: 'give either householdId or household, not both',
  });
export type NewNeed = z.infer<typeof newNeed>;

export const needPatch = z.strictObject({
  quantity: needFields.quantity.optional(),
  urgency: z.enum(urgencies).optional(),
  deadline: isoDate.nullable().optional(),
  status: z.enum(['open', 'cancelled']).optional(),
  version: version,
});

/** What the need sheet sorts by (needs.repo.ts maps each to its column). */
export const needSorts = ['id', 'household', 'name', 'address', 'community', 'people', 'commodityId', 'quantity', 'urgency', 'deadline', 'status', 'fulfilled', 'updatedAt'] as const;
export type NeedSort = (typeof needSorts)[number];

export const needQuery = listQuery(
  {
    community: z.string().optional(),
    status: z.enum(needStatuses).optional(),
    urgency: z.enum(urgencies).optional(),
    commodityId: optionalId,
    householdId: optionalId,
    zoneId: optionalId,
    q: z.string().trim().max(200).optional().describe("words found in the household's name, address or phone (case-insensitive)"),
  },
  needSorts,
);

/** The map's view as `west,south,east,north` in decimal degrees. */
const bbox = z
  .string()
  .regex(/^\s*-?\d+(\.\d+)?(\s*,\s*-?\d+(\.\d+)?){3}\s*$/, 'west,south,east,north in decimal degrees')
  .transform((v) => v.split(',').map(Number))
  .pipe(z.tuple([longitude, latitude, longitude, latitude]))
  .refine(([west, south, east, north]) => west <= east && south <= north, 'west must not lie east of east, nor south north of north');

export const mapQuery = z.strictObject({
  bbox: bbox.describe('the view: west,south,east,north in decimal degrees'),
  zoom: z.coerce.number().int().min(0).max(22).describe("the map's zoom (Web Mercator, 0–22): the cells needs are summed in are 64 pixels wide at it"),
});
export type MapQuery = z.infer<typeof mapQuery>;

/** Many open needs near each other on the map: how many, of which tiers, how much of them is delivered. */
export interface NeedCluster {
  lat: number;
  lon: number;
  count: number;
  /** Needs by tier (1 the most vulnerable). */
  tiers: Record<number, number>;
  worstTier: number;
  /** The share of the quantity asked that was delivered (0–1). */
  fulfilled: number;
  /** Where its needs lie: west, south, east, north (zooming to it breaks it up). */
  bounds: [number, number, number, number];
}

/** An open need drawn on its own. */
export interface MapNeed {
  id: number;
  lat: number;
  lon: number;
  tier: number;
  fulfilled: number;
  /** The household's name. */
  household: string;
}

/** The open needs in a view: clustered, and one by one where few lie together or the map is zoomed right in. */
export interface NeedMap {
  /** Open needs in the view, by tier and in all. */
  total: number;
  tiers: Record<number, number>;
  clusters: NeedCluster[];
  needs: MapNeed[];
}

/** The need sheet's community picker: the communities the user may see, each with its open needs. */
export const needCommunityQuery = listQuery({}, ['name', 'openNeeds'], { limit: 500 });

export interface NeedCommunity {
  name: string;
  /** Its households' open needs. */
  openNeeds: number;
}

export const importQuery = z.strictObject({
  source: z.string().trim().min(1).max(100).default('csv'),
  preview: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('true: report what the file would do (new, merged, held for review, errors by line), writing nothing'),
});

export const reviewQuery = listQuery({ state: z.enum(['pending', 'accepted', 'rejected']).default('pending') }, ['id']);
export type ReviewQuery = z.infer<typeof reviewQuery>;

export const reviewDecision = z.strictObject({
  decision: z.enum(['accept', 'reject']).describe("accept: record the need on the matched household (its community stays); reject: drop the report"),
});

/** One CSV row; cells arrive as strings, so numbers and flags are coerced here. */
const csvFlag = z
  .string()
  .trim()
  .toLowerCase()
  .transform((v, ctx) => {
    if (['', '0', 'no', 'n', 'false'].includes(v)) return false;
    if (['1', 'yes', 'y', 'true', 'x'].includes(v)) return true;
    ctx.addIssue({ code: 'custom', message: 'yes or no' });
    return z.NEVER;
  });
const csvNumber = z.string().trim().min(1, 'required').pipe(z.coerce.number());
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** One row of a needs import: exactly the columns of domain/values.ts's needImportColumns (the compiler checks). */
export const csvRow = z.object({
  name: householdInput.shape.name,
  address: householdInput.shape.address,
  phone: z.preprocess(blankToUndefined, householdInput.shape.phone),
  lat: csvNumber.pipe(latitude),
  lon: csvNumber.pipe(longitude),
  people: csvNumber.pipe(householdInput.shape.people),
  community: householdInput.shape.community,
  commodity: z.string().trim().min(1, 'required').describe('commodity code'),
  quantity: csvNumber.pipe(needFields.quantity),
  urgency: z.preprocess(blankToUndefined, needFields.urgency),
  deadline: z.preprocess(blankToUndefined, isoDate.optional()),
  notes: z.preprocess(blankToUndefined, householdInput.shape.notes),
  ...(Object.fromEntries(vulnerabilityFlags.map((f) => [flagColumns[f], csvFlag.default(false)])) as Record<FlagColumn, z.ZodDefault<typeof csvFlag>>),
} satisfies Record<NeedImportColumn, z.ZodType>);
export const csvColumns: readonly NeedImportColumn[] = needImportColumns;

export interface Household extends Omit<HouseholdInput, 'phone' | 'zoneId' | 'notes'> {
  id: number;
  phone: string | null;
  zoneId: number | null;
  notes: string | null;
  version: number;
}

export interface Need {
  id: number;
  householdId: number;
  commodityId: number;
  quantity: number;
  fulfilled: number;
  urgency: Urgency;
  deadline: string | null;
  status: NeedStatus;
  sources: string[];
  /** False while only a resident asked for it: no plan counts it until a community worker confirms it. */
  confirmed: boolean;
  /** A larger quantity a resident asked for, waiting for a community worker (the quantity stays until then). */
  requested: number | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface NeedWithHousehold extends Need {
  household: Household;
}

/** What a CSV import did (or, as a preview, would do), line by line. */
export interface ImportRowReport {
  line: number;
  /** merged: into an open need of the same household and commodity; held: for a coordinator's review. */
  status: 'created' | 'merged' | 'held' | 'error';
  needId?: number;
  householdId?: number;
  reviewId?: number;
  errors?: FieldProblem[];
  keptManual?: { field: string; kept: unknown; offered: unknown }[];
}

export interface ImportReport {
  source: string;
  /** True: what the file would do; nothing was written. */
  preview: boolean;
  rows: number;
  created: number;
  merged: number;
  held: number;
  failed: number;
  /** True: `report` lists every line; false (a file of more than 10,000 rows): only the lines held, failed or that kept a hand correction. */
  everyLine: boolean;
  report: ImportRowReport[];
}
