// CSV import of needs, streamed: the file (spooled to disk as it arrived, or a short text body) is read
// through csv-parse, never held whole. The first pass checks every row: a NUL byte or a bad row anywhere
// refuses the file, naming the bad lines, before anything is written. The second writes the checked rows in
// batches of BATCH_ROWS, each one transaction of a few multi-row statements (needs.bulk.ts), with the event
// loop let go between batches: PGlite runs each statement on the one thread, so an import written in one go
// would hold every other user's request until it ended.
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable, Transform } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parse, CsvError } from 'csv-parse';
import { checkCommunity, type CommunityScope } from '../auth/communities.ts';
import type { Outbox } from '../live/outbox.ts';
import { invalidField, toHttpError, ValidationError, type FieldProblem } from '../http/errors.ts';
import type { SpooledBody } from '../http/spool.ts';
import { zonesNow } from '../zones/zones.service.ts';
import { allCommodities } from '../commodities/commodities.service.ts';
import { flagColumns } from '../../domain/values.ts';
import { csvColumns, csvRow, vulnerabilityFlags, type ImportReport, type ImportRowReport } from './needs.schema.ts';
import { emptyState, recordNeedsInBulk, type BulkReport, type BulkReporter } from './needs.bulk.ts';
import { importedTables } from './households.repo.ts';
import { statisticsKeeper } from '../db/statistics.ts';

/**
 * Rows per batch (one transaction). Each batch costs a dozen statements (~10 ms) whatever its size, so a batch
 * sized by time shrank under load to ~30 rows, and those fixed costs were most of an import; at 250 rows they
 * are ~10 % of it, and the others waiting on PGlite wait for one batch only (~50 ms on an idle machine).
 */
const BATCH_ROWS = 250;
/** How long checking may keep the event loop before other requests get their turn. */
const SLICE_MS = 25;
/** A refused file names at most this many problems (and says how many more there were). */
const MAX_LISTED_PROBLEMS = 1000;
/** Up to this many rows the report lists every line; past it, only the lines held, failed or kept a hand correction. */
const EVERY_LINE_UP_TO = 10_000;

type Cells = { [column: string]: string };

/** One row of the file, checked: the report it makes, or what is wrong with it. */
type CheckedRow = { line: number; report: BulkReport; errors?: undefined } | { line: number; report?: undefined; errors: FieldProblem[] };

type Checked = { need: BulkReport['need']; errors?: undefined } | { need?: undefined; errors: FieldProblem[] };

/** A CSV body that can be read from its start more than once. */
type Upload = Pick<SpooledBody, 'read'>;

/** Who imports: the source named in the report and history, the user, the communities they may work in. */
export interface Importer {
  source: string;
  actorId: number;
  scope: CommunityScope;
  preview: boolean;
}

export async function importNeedsCsv(outbox: Outbox, body: unknown, importer: Importer): Promise<ImportReport> {
  const upload = asUpload(body);
  const commodityIds = new Map((await allCommodities(outbox.db)).map((c) => [c.code.toLowerCase(), c.id]));
  const rows = () => checkedRows(upload, (cells) => checkRow(cells, commodityIds, importer.scope));
  const reporter: BulkReporter = { source: `import:${importer.source}`, actorId: importer.actorId, scope: importer.scope, zoneAt: await zonesNow(outbox.db) };
  const report = new Report(importer.source, importer.preview);
  if (importer.preview) {
    // A dry run: each batch resolved against what is stored and what the earlier rows would have done.
    const state = emptyState();
    await inBatches(rows(), report, (batch) => recordNeedsInBulk(outbox.db, batch, reporter, state));
    return report.done();
  }
  const checked = await checkWhole(rows());
  // Plans cached while the tables were smaller would scan them whole once the import has grown them (db/statistics.ts).
  const statistics = await statisticsKeeper(outbox.db, importedTables, BATCH_ROWS);
  try {
    await inBatches(checked.rows(), report, async (batch) => {
      const written = await outbox.transaction((tx, notify) => recordNeedsInBulk(tx, batch, reporter, emptyState(), { notify }));
      await statistics.wrote(batch.length);
      return written;
    });
  } finally {
    await checked.remove();
  }
  return report.done();
}

function asUpload(body: unknown): Upload {
  if (typeof body === 'string') {
    if (body.trim() === '') throw invalidField('body', 'send the CSV as text/csv with a header row');
    // In slices, so that parsing a text body lets other requests in as a file's chunks do.
    return { read: () => Readable.from(body.match(/[\s\S]{1,65536}/g) ?? []) };
  }
  if (body && typeof (body as Upload).read === 'function') return body as Upload;
  throw invalidField('body', 'send the CSV as text/csv with a header row');
}

/**
 * The first pass: any NUL byte or bad row refuses the file, naming the lines (the first MAX_LISTED_PROBLEMS
 * problems). The rows it checked are kept on disk as JSON lines for the second pass, which so reads them
 * without parsing and checking the CSV again.
 */
async function checkWhole(rows: AsyncIterable<CheckedRow>): Promise<{ rows(): AsyncIterable<CheckedRow>; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'lifeline-import-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  const file = join(dir, 'checked.jsonl');
  const problems: FieldProblem[] = [];
  let more = 0;
  const out = createWriteStream(file);
  // Listened to from the start: a refused file destroys the stream with writes still in flight, whose late
  // errors would otherwise be thrown as uncaught and end the server.
  let failed: Error | undefined;
  out.on('error', (error) => (failed ??= error));
  try {
    for await (const row of rows) {
      for (const e of row.errors ?? []) {
        if (problems.length < MAX_LISTED_PROBLEMS) problems.push({ field: `line ${row.line}: ${e.field}`, reason: e.reason });
        else more++;
      }
      if (failed) throw failed;
      if (row.report && problems.length === 0 && !out.write(`${JSON.stringify(row.report)}\n`)) await once(out, 'drain');
    }
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ?? failed ? reject(error ?? failed) : resolve())));
  } catch (error) {
    out.destroy();
    await remove();
    throw error;
  }
  if (more) problems.push({ field: 'body', reason: `${more} more problems not listed; correct these and send the file again` });
  if (problems.length) {
    await remove();
    throw new ValidationError(problems);
  }
  return {
    async *rows() {
      for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
        const report = JSON.parse(text) as BulkReport;
        yield { line: report.line, report };
      }
    },
    remove,
  };
}

/**
 * The checked rows in batches of BATCH_ROWS; a bad row is reported as an error (the preview lists them in line
 * order). The next batch is read (and, in the preview, parsed and checked) while the database handles this one:
 * batches are handled one at a time, in order, so each sees what the one before it decided.
 */
async function inBatches(rows: AsyncIterable<CheckedRow>, report: Report, handle: (batch: BulkReport[]) => Promise<ImportRowReport[]>): Promise<void> {
  const flush = async (batch: CheckedRow[]) => {
    const reports = batch.flatMap((r) => (r.report ? [r.report] : []));
    const done = new Map((reports.length ? await handle(reports) : []).map((r) => [r.line, r]));
    for (const r of batch) report.add(r.report ? done.get(r.line)! : { line: r.line, status: 'error', errors: r.errors });
    await nextTurn();
  };
  let pending: CheckedRow[] = [];
  let handling: Promise<void> = Promise.resolve();
  try {
    for await (const row of rows) {
      pending.push(row);
      if (pending.length < BATCH_ROWS) continue;
      await handling;
      handling = flush(pending);
      // Seen as handled at once: a failure is thrown where it is awaited, not as unhandled while the next batch is read.
      handling.catch(() => undefined);
      pending = [];
    }
  } finally {
    // A failure reading the rows is thrown once the batch under way has ended.
    await handling.catch(() => undefined);
  }
  await handling;
  if (pending.length) await flush(pending);
}

/** What the import did (or would do): counts of every line, and the lines themselves as far as EVERY_LINE_UP_TO allows. */
class Report {
  private rows: ImportRowReport[] = [];
  private counts = { rows: 0, created: 0, merged: 0, held: 0, failed: 0 };

  constructor(
    private readonly source: string,
    private readonly preview: boolean,
  ) {}

  add(row: ImportRowReport): void {
    this.counts.rows++;
    this.counts[row.status === 'error' ? 'failed' : row.status]++;
    if (this.counts.rows === EVERY_LINE_UP_TO + 1) this.rows = this.rows.filter(notable);
    if (this.counts.rows <= EVERY_LINE_UP_TO || notable(row)) this.rows.push(row);
  }

  done(): ImportReport {
    return { source: this.source, preview: this.preview, ...this.counts, everyLine: this.counts.rows <= EVERY_LINE_UP_TO, report: this.rows };
  }
}

const notable = (row: ImportRowReport) => row.status === 'held' || row.status === 'error' || !!row.keptManual;

/**
 * The file's rows, parsed as a stream and checked one by one, with their line numbers. After the last row:
 * a missing column refuses the file (checked on the first row already), and so does a NUL byte anywhere.
 */
async function* checkedRows(upload: Upload, check: (cells: Cells) => Checked): AsyncGenerator<CheckedRow> {
  const nulLines: number[] = [];
  let header: string[] | undefined;
  const parser = parse({ columns: (names: string[]) => (header = names.map(normaliseHeader)), skip_empty_lines: true, trim: true, bom: true, info: true, relax_column_count: true });
  const source = upload.read();
  source.on('error', (error) => parser.destroy(error));
  source.pipe(watchNul(nulLines)).pipe(parser);
  let rows = 0;
  let sliceStart = performance.now();
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Cells; info: { lines: number } }>) {
      if (rows++ === 0) checkHeader(header!);
      const checked = check(record);
      yield checked.need ? { line: info.lines, report: { line: info.lines, need: checked.need } } : { line: info.lines, errors: checked.errors };
      if (performance.now() - sliceStart > SLICE_MS) {
        await nextTurn();
        sliceStart = performance.now();
      }
    }
  } catch (error) {
    if (error instanceof CsvError) throw invalidField('body', `not readable as CSV: ${error.message}`);
    throw error;
  } finally {
    source.destroy();
  }
  if (nulLines.length) throw new ValidationError(nulLines.map((line) => ({ field: `line ${line}`, reason: 'contains a NUL byte' })));
  if (rows === 0) checkHeader(header ?? []);
}

/** Passes the bytes through, noting the lines that hold a NUL byte (never data: the file is refused). */
function watchNul(lines: number[]): Transform {
  let line = 1;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let from = 0;
      for (let at = chunk.indexOf(0); at >= 0; at = chunk.indexOf(0, at + 1)) {
        line += countNewlines(chunk, from, at);
        from = at;
        if (lines.at(-1) !== line && lines.length < MAX_LISTED_PROBLEMS) lines.push(line);
      }
      line += countNewlines(chunk, from, chunk.length);
      done(null, chunk);
    },
  });
}

function countNewlines(chunk: Buffer, from: number, to: number): number {
  let n = 0;
  for (let at = chunk.indexOf(10, from); at >= 0 && at < to; at = chunk.indexOf(10, at + 1)) n++;
  return n;
}

function checkHeader(header: string[]): void {
  const missing = csvColumns.filter((c) => csvRow.shape[c as keyof typeof csvRow.shape].safeParse(undefined).success === false && !header.includes(c));
  if (missing.length) throw invalidField('body', `the header lacks the columns ${missing.join(', ')}; expected ${csvColumns.join(',')}`);
}

const normaliseHeader = (h: string) => h.trim().toLowerCase().replace(/[\s-]+/g, '_');

/** One row checked on its own: its cells, its commodity code, the importer's communities. */
function checkRow(cells: Cells, commodityIds: Map<string, number>, scope: CommunityScope): Checked {
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
