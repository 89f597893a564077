// CSV import of needs: every row is checked on its own; good rows are imported (each in its own
// transaction, merged with what is already known), bad rows are reported with their line number.
import type { CommunityScope } from '../auth/communities.ts';
import { parse } from 'csv-parse/sync';
import type { LiveHub } from '../live/hub.ts';
import { columnName } from '../db/rows.ts';
import { invalidField, toHttpError, type FieldProblem } from '../http/errors.ts';
import { csvColumns, csvRow, vulnerabilityFlags } from './needs.schema.ts';
import { announce, recordNeed } from './needs.service.ts';

export interface ImportRowReport {
  line: number;
  status: 'created' | 'merged' | 'error';
  needId?: number;
  householdId?: number;
  errors?: FieldProblem[];
  keptManual?: { field: string; kept: unknown; offered: unknown }[];
}

export interface ImportReport {
  source: string;
  rows: number;
  created: number;
  merged: number;
  failed: number;
  report: ImportRowReport[];
}

type Record = { [column: string]: string };

/** Who imports: the source named in the report and history, the user, and the communities they may work in. */
interface Importer {
  source: string;
  actorId: number;
  scope: CommunityScope;
}

export async function importNeedsCsv(live: LiveHub, csv: unknown, source: string, actorId: number, scope: CommunityScope = null): Promise<ImportReport> {
  if (typeof csv !== 'string' || csv.trim() === '') throw invalidField('body', 'send the CSV as text/csv with a header row');
  const records = parseCsv(csv);
  const commodityIds = await commodityCodes(live);
  const report: ImportRowReport[] = [];
  for (const { line, record } of records) report.push(await importRow(live, line, record, commodityIds, { source, actorId, scope }));
  return {
    source,
    rows: report.length,
    created: report.filter((r) => r.status === 'created').length,
    merged: report.filter((r) => r.status === 'merged').length,
    failed: report.filter((r) => r.status === 'error').length,
    report,
  };
}

function parseCsv(csv: string): { line: number; record: Record }[] {
  let rows: { record: Record; info: { lines: number } }[];
  try {
    rows = parse(csv, { columns: (header: string[]) => header.map(normaliseHeader), skip_empty_lines: true, trim: true, bom: true, info: true, relax_column_count: true });
  } catch (error) {
    throw invalidField('body', `not readable as CSV: ${(error as Error).message}`);
  }
  const header = rows.length ? Object.keys(rows[0]!.record) : [];
  const missing = csvColumns.filter((c) => csvRow.shape[c as keyof typeof csvRow.shape].safeParse(undefined).success === false && !header.includes(c));
  if (missing.length) throw invalidField('body', `the header lacks the columns ${missing.join(', ')}; expected ${csvColumns.join(',')}`);
  return rows.map((r) => ({ line: r.info.lines, record: r.record }));
}

const normaliseHeader = (h: string) => h.trim().toLowerCase().replace(/[\s-]+/g, '_');

async function commodityCodes(live: LiveHub): Promise<Map<string, number>> {
  const rows = await live.db.query<{ id: number; code: string }>('SELECT id, code FROM commodities');
  return new Map(rows.map((r) => [r.code.toLowerCase(), r.id]));
}

async function importRow(live: LiveHub, line: number, record: Record, commodityIds: Map<string, number>, { source, actorId, scope }: Importer): Promise<ImportRowReport> {
  const parsed = csvRow.safeParse(record);
  if (!parsed.success) {
    return { line, status: 'error', errors: parsed.error.issues.map((i) => ({ field: i.path.join('.'), reason: i.message })) };
  }
  const row = parsed.data;
  const commodityId = commodityIds.get(row.commodity.toLowerCase());
  if (!commodityId) return { line, status: 'error', errors: [{ field: 'commodity', reason: `no commodity with the code ${row.commodity}` }] };
  const flags = Object.fromEntries(vulnerabilityFlags.map((f) => [f, row[columnName(f) as keyof typeof row] as boolean]));
  try {
    const recorded = await live.transaction(async (tx, notify) => {
      const result = await recordNeed(
        tx,
        {
          household: { name: row.name, address: row.address, phone: row.phone, lat: row.lat, lon: row.lon, people: row.people, community: row.community, notes: row.notes, ...flags } as never,
          commodityId,
          quantity: row.quantity,
          urgency: row.urgency,
          deadline: row.deadline,
        },
        `import:${source}`,
        actorId,
        '',
        scope,
      );
      await announce(tx, notify, result.need, result.household.community, result.merged ? 'merged' : 'created', actorId);
      return result;
    });
    return {
      line,
      status: recorded.merged ? 'merged' : 'created',
      needId: recorded.need.id,
      householdId: recorded.household.id,
      ...(recorded.keptManual.length ? { keptManual: recorded.keptManual } : {}),
    };
  } catch (error) {
    const known = toHttpError(error);
    if (!known || known.status >= 500) throw error;
    return { line, status: 'error', errors: (known.extra.errors as FieldProblem[] | undefined) ?? [{ field: 'row', reason: known.message }] };
  }
}
