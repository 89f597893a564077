// CSV import of needs. The whole file is checked first: a NUL byte or a bad row anywhere refuses it, naming
// every bad line, before anything is written. Then it is written in short slices, each its own transaction,
// with the event loop let go between slices: PGlite has one connection and runs one transaction at a time,
// so an import written in one go would hold every other user's request until it ended.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parse } from 'csv-parse/sync';
import { inScope, checkCommunity, type CommunityScope } from '../auth/communities.ts';
import type { Queryable } from '../db/database.ts';
import type { Outbox } from '../live/outbox.ts';
import { invalidField, toHttpError, ValidationError, type FieldProblem } from '../http/errors.ts';
import { listZones } from '../zones/zones.service.ts';
import { allCommodities } from '../commodities/commodities.service.ts';
import { addressKey, phoneKey } from './households.service.ts';
import { knownByKeys } from './households.repo.ts';
import { flagColumns } from '../../domain/values.ts';
import { csvColumns, csvRow, vulnerabilityFlags, type ImportReport, type ImportRowReport, type NewNeed } from './needs.schema.ts';
import { announceRecorded, isHeld, recordNeed, type ReportOutcome, type Reporter } from './needs.service.ts';

/** How long one slice of work may keep the event loop (and PGlite) before other requests get their turn. */
const SLICE_MS = 25;

type Cells = { [column: string]: string };

/** One row of the file, checked: the need it reports, or what is wrong with it. */
type CheckedRow = { line: number; need: NewNeed; errors?: undefined } | { line: number; need?: undefined; errors: FieldProblem[] };

/** Who imports: the source named in the report and history, the user, the communities they may work in. */
export interface Importer {
  source: string;
  actorId: number;
  scope: CommunityScope;
  preview: boolean;
}

export async function importNeedsCsv(outbox: Outbox, csv: unknown, importer: Importer): Promise<ImportReport> {
  if (typeof csv !== 'string' || csv.trim() === '') throw invalidField('body', 'send the CSV as text/csv with a header row');
  refuseNul(csv);
  const rows = await checkRows(outbox.db, parseCsv(csv), importer.scope);
  if (importer.preview) return summary(importer, true, await preview(outbox.db, rows, importer.scope));
  const problems = rows.flatMap((r) => (r.errors ?? []).map((e) => ({ field: `line ${r.line}: ${e.field}`, reason: e.reason })));
  if (problems.length) throw new ValidationError(problems);
  return summary(importer, false, await write(outbox, rows as { line: number; need: NewNeed }[], importer));
}

function summary({ source }: Importer, preview: boolean, report: ImportRowReport[]): ImportReport {
  const count = (status: ImportRowReport['status']) => report.filter((r) => r.status === status).length;
  return { source, preview, rows: report.length, created: count('created'), merged: count('merged'), held: count('held'), failed: count('error'), report };
}

/** A NUL byte is never data: the file is refused, naming the lines that hold one. */
function refuseNul(csv: string): void {
  if (!csv.includes('\0')) return;
  const lines = csv.split('\n').flatMap((text, i) => (text.includes('\0') ? [i + 1] : []));
  throw new ValidationError(lines.map((line) => ({ field: `line ${line}`, reason: 'contains a NUL byte' })));
}

function parseCsv(csv: string): { line: number; cells: Cells }[] {
  let rows: { record: Cells; info: { lines: number } }[];
  try {
    rows = parse(csv, { columns: (header: string[]) => header.map(normaliseHeader), skip_empty_lines: true, trim: true, bom: true, info: true, relax_column_count: true });
  } catch (error) {
    throw invalidField('body', `not readable as CSV: ${(error as Error).message}`);
  }
  const header = rows.length ? Object.keys(rows[0]!.record) : [];
  const missing = csvColumns.filter((c) => csvRow.shape[c as keyof typeof csvRow.shape].safeParse(undefined).success === false && !header.includes(c));
  if (missing.length) throw invalidField('body', `the header lacks the columns ${missing.join(', ')}; expected ${csvColumns.join(',')}`);
  return rows.map((r) => ({ line: r.info.lines, cells: r.record }));
}

const normaliseHeader = (h: string) => h.trim().toLowerCase().replace(/[\s-]+/g, '_');

/** Every row checked on its own (cells, commodity code, the importer's communities), letting other requests in between slices. */
async function checkRows(db: Queryable, rows: { line: number; cells: Cells }[], scope: CommunityScope): Promise<CheckedRow[]> {
  const commodityIds = new Map((await allCommodities(db)).map((c) => [c.code.toLowerCase(), c.id]));
  const checked: CheckedRow[] = [];
  let sliceStart = performance.now();
  for (const { line, cells } of rows) {
    checked.push({ line, ...checkRow(cells, commodityIds, scope) });
    if (performance.now() - sliceStart > SLICE_MS) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
  return checked;
}

function checkRow(cells: Cells, commodityIds: Map<string, number>, scope: CommunityScope): { need: NewNeed } | { errors: FieldProblem[] } {
  const parsed = csvRow.safeParse(cells);
  if (!parsed.success) return { errors: parsed.error.issues.map((i) => ({ field: i.path.join('.'), reason: i.message })) };
  const row = parsed.data;
  const commodityId = commodityIds.get(row.commodity.toLowerCase());
  if (!commodityId) return { errors: [{ field: 'commodity', reason: `no commodity with the code ${row.commodity}` }] };
  try {
    checkCommunity(scope, row.community, 'community');
  } catch (error) {
    return { errors: toHttpError(error)!.extra.errors as FieldProblem[] };
  }
  const flags = Object.fromEntries(vulnerabilityFlags.map((f) => [f, row[flagColumns[f]]])) as Record<(typeof vulnerabilityFlags)[number], boolean>;
  const household = { name: row.name, address: row.address, phone: row.phone, lat: row.lat, lon: row.lon, people: row.people, community: row.community, notes: row.notes, ...flags };
  return { need: { household, commodityId, quantity: row.quantity, urgency: row.urgency, deadline: row.deadline } };
}

/** The rows written in slices, one transaction each; the file as a whole was checked before. */
async function write(outbox: Outbox, rows: { line: number; need: NewNeed }[], { source, actorId, scope }: Importer): Promise<ImportRowReport[]> {
  const reporter: Reporter = { source: `import:${source}`, actorId, scope, fieldPrefix: '', zones: await listZones(outbox.db) };
  const report: ImportRowReport[] = [];
  while (report.length < rows.length) {
    await outbox.transaction(async (tx, notify) => {
      const sliceStart = performance.now();
      const slice: ImportRowReport[] = [];
      do {
        const { line, need } = rows[report.length + slice.length]!;
        const outcome = await recordNeed(tx, need, reporter);
        if (!isHeld(outcome)) await announceRecorded(tx, notify, outcome, actorId);
        slice.push(rowReport(line, outcome));
      } while (report.length + slice.length < rows.length && performance.now() - sliceStart < SLICE_MS);
      report.push(...slice);
    });
    await nextTurn();
  }
  return report;
}

function rowReport(line: number, outcome: ReportOutcome): ImportRowReport {
  if (isHeld(outcome)) return { line, status: 'held', reviewId: outcome.reviewId };
  return {
    line,
    status: outcome.merged ? 'merged' : 'created',
    needId: outcome.need.id,
    householdId: outcome.household.id,
    ...(outcome.keptManual.length ? { keptManual: outcome.keptManual } : {}),
  };
}

/**
 * What writing the file would do, row by row, read in two queries: the households its addresses and phones
 * match (held when of another community) and their open needs (merged), rows earlier in the file counting too.
 */
async function preview(db: Queryable, rows: CheckedRow[], scope: CommunityScope): Promise<ImportRowReport[]> {
  const key = (h: { address: string; phone?: string }) => `${addressKey(h.address)}\n${phoneKey(h.phone)}`;
  const reported = rows.flatMap((r) => (r.need ? [r.need.household!] : []));
  const keys = { address: reported.map((h) => addressKey(h.address)), phone: reported.map((h) => phoneKey(h.phone)) };
  const known = await knownByKeys(db, keys);
  const households = new Map(known.map((h) => [`${h.address_key}\n${h.phone_key}`, { community: h.community, open: new Set(h.commodities) }]));
  return rows.map(({ line, need, errors }): ImportRowReport => {
    if (!need) return { line, status: 'error', errors };
    const k = key(need.household!);
    const household = households.get(k) ?? households.set(k, { community: need.household!.community, open: new Set() }).get(k)!;
    if (!inScope(scope, household.community)) return { line, status: 'held' };
    const merged = household.open.has(need.commodityId);
    household.open.add(need.commodityId);
    return { line, status: merged ? 'merged' : 'created' };
  });
}
