// The layering rules hold by test, not by memory: the solver is pure (no I/O, no server code), the
// web app takes only types from the server, domain/ (the value lists both share) imports nothing, and
// every table has one writer, the repo of the noun that owns it.
import { builtinModules } from 'node:module';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const BUILTINS = new Set(builtinModules);
// Packages that do I/O or belong to the server's side of the house.
const SERVER_PACKAGES = /^(pg|pg-.*|@electric-sql\/pglite.*|socket\.io.*|@socket\.io\/.*|express.*|helmet)$/;

interface Import {
  file: string;
  specifier: string;
  typeOnly: boolean;
}

function* sources(dir: string, ending = /\.tsx?$/): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path, ending);
    else if (ending.test(name)) yield path;
  }
}

/** Every static import, re-export and dynamic import in a file, with whether it carries types only. */
function importsOf(file: string, text: string): Import[] {
  const found: Import[] = [];
  const statement = /^\s*(import|export)\s+(type\s+)?([^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
  for (const match of text.matchAll(statement)) {
    const clause = match[3] ?? '';
    // `import { type A, type B } from` carries types only as well.
    const braces = /^\{([^}]*)\}\s+from\s+$/.exec(clause.trim() + ' ');
    const allTyped = braces !== null && braces[1].split(',').every((name) => !name.trim() || /^type\s/.test(name.trim()));
    found.push({ file, specifier: match[4], typeOnly: Boolean(match[2]) || allTyped });
  }
  for (const match of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    found.push({ file, specifier: match[1], typeOnly: false });
  }
  return found;
}

function importsUnder(folder: string): Import[] {
  return [...sources(join(ROOT, folder))].flatMap((file) => importsOf(file, readFileSync(file, 'utf8')));
}

/** The repository folder an import lands in ('server', 'solver', …), or undefined for a package. */
function landsIn(entry: Import): string | undefined {
  if (!entry.specifier.startsWith('.')) return undefined;
  return relative(ROOT, resolve(dirname(entry.file), entry.specifier)).split(/[\\/]/)[0];
}

const show = (entry: Import) => `${relative(ROOT, entry.file)} → ${entry.specifier}`;

describe('the solver', () => {
  const imports = importsUnder('solver');

  it('imports no Node.js module, so it runs anywhere as data in, data out', () => {
    const io = imports.filter((entry) => entry.specifier.startsWith('node:') || BUILTINS.has(entry.specifier));
    expect(io.map(show)).toEqual([]);
  });

  it('imports nothing from the server, the web app or their packages', () => {
    const outside = imports.filter((entry) => {
      const folder = landsIn(entry);
      return (folder !== undefined && folder !== 'solver') || SERVER_PACKAGES.test(entry.specifier);
    });
    expect(outside.map(show)).toEqual([]);
  });
});

describe('the web app', () => {
  it('takes only types from the server', () => {
    const code = importsUnder('client/src').filter((entry) => landsIn(entry) === 'server' && !entry.typeOnly);
    expect(code.map(show)).toEqual([]);
  });
});

describe('the shared value lists', () => {
  it('import nothing (no module, no package), so the web app may load them as code', () => {
    expect(importsUnder('domain').map(show)).toEqual([]);
  });
});

/**
 * Each table's one writer: the repo of the noun that owns it (README, Architecture). Reads may join other
 * nouns' tables into one view; writes may not. null: only a library writes the table, none of our files.
 */
const WRITER: Record<string, string | null> = {
  users: 'server/auth/auth.repo.ts',
  sessions: 'server/auth/auth.repo.ts',
  login_attempts: 'server/auth/auth.repo.ts', // counted by rate-limiter-flexible, pruned by auth.repo
  warehouses: 'server/warehouses/warehouses.repo.ts',
  commodities: 'server/commodities/commodities.repo.ts',
  donations: 'server/donations/donations.repo.ts',
  donation_items: 'server/donations/donations.repo.ts',
  lots: 'server/stock/stock.repo.ts',
  stock_movements: 'server/stock/stock.repo.ts',
  zones: 'server/zones/zones.repo.ts',
  zone_status_history: 'server/zones/zones.repo.ts',
  gates: 'server/zones/zones.repo.ts',
  households: 'server/needs/households.repo.ts',
  household_field_history: 'server/needs/households.repo.ts',
  needs: 'server/needs/needs.repo.ts',
  household_reviews: 'server/needs/household-reviews.repo.ts',
  need_map_cells: 'server/needs/need-map.repo.ts', // appended by 030_needs_on_the_map.sql's triggers; folded by the repo (need_map_fold)
  need_tally: 'server/needs/needs.repo.ts', // appended by 037_need_tally.sql's triggers; folded by the repo (need_tally_fold)
  need_counts: 'server/needs/needs.repo.ts', // appended by 038_need_counts.sql's triggers; folded by the repo (need_counts_fold)
  commodity_flows: 'server/stock/stock.repo.ts', // appended by 039_stock_flows_by_statement.sql's trigger on stock_movements
  delivery_times: 'server/dispatch/stops.repo.ts', // appended by 039_delivery_times.sql's trigger; folded by the repo (delivery_times_fold)
  drivers: 'server/drivers/drivers.repo.ts',
  closures: 'server/network/network.repo.ts',
  plans: 'server/plans/plans.repo.ts',
  plan_allocations: 'server/plans/plans.repo.ts',
  plan_unmet: 'server/plans/plans.repo.ts',
  plan_fulfilment: 'server/plans/plans.repo.ts',
  routes: 'server/dispatch/dispatch.repo.ts',
  driver_positions: 'server/dispatch/dispatch.repo.ts',
  stops: 'server/dispatch/stops.repo.ts',
  stop_items: 'server/dispatch/stops.repo.ts',
  household_access: 'server/residents/residents.repo.ts',
  registrations: 'server/registrations/registrations.repo.ts',
  resident_requests: 'server/residents/requests.repo.ts',
  audit_requests: 'server/audit/audit.repo.ts', // notes audit_rows reads (031); pruned by the repo
  audit_log: 'server/audit/audit.repo.ts', // by the audit triggers (016, 046), and by a batch's own statement for its records (auditInserts); always in the change's own transaction
  audit_policy: null, // set by the migration: which columns the audit trigger keeps
  stop_proofs: 'server/dispatch/proofs.repo.ts',
  handover_tokens: 'server/dispatch/handover.repo.ts',
  campaigns: 'server/campaigns/campaigns.repo.ts',
  campaign_entries: 'server/campaigns/campaigns.repo.ts',
  pack_components: 'server/packs/packs.repo.ts',
  assemblies: 'server/packs/packs.repo.ts',
  pack_lot_components: 'server/packs/packs.repo.ts',
  idempotent_replies: 'server/http/idempotency.repo.ts',
  live_stream: 'server/live/outbox.repo.ts',
  live_events: 'server/live/outbox.repo.ts',
  live_recipients: 'server/live/outbox.repo.ts',
  live_pruned: 'server/live/outbox.repo.ts',
  socket_io_attachments: null, // the Socket.IO Postgres adapter the gateway starts
};

/** Where SQL may stand besides the repos: the data layer, and the start-up that prints the demo logins. */
const SQL_ALLOWED = /^server\/(db\/|main\.ts$)|\.repo\.ts$/;

/** The tables the migrations leave, replayed in order (a table may be created, renamed and dropped). */
function migratedTables(): Set<string> {
  const tables = new Set<string>();
  for (const file of sources(join(ROOT, 'server/db/migrations'), /\.sql$/)) {
    const text = readFileSync(file, 'utf8');
    for (const [, verb, name, renamed] of text.matchAll(/\b(CREATE TABLE|DROP TABLE|ALTER TABLE)\s+(?:IF (?:NOT )?EXISTS\s+)?(\w+)(?:\s+RENAME TO\s+(\w+))?/gi)) {
      const table = name!.toLowerCase();
      if (/^create/i.test(verb!)) tables.add(table);
      else if (/^drop/i.test(verb!)) tables.delete(table);
      else if (renamed && tables.delete(table)) tables.add(renamed.toLowerCase());
    }
  }
  return tables;
}

/** The code of a file without its comments (prose may name SQL words; only code counts). */
const codeOf = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');

/** The tables a file writes: by INSERT, UPDATE, DELETE or TRUNCATE, or through the row helpers of server/db/rows.ts. */
function writesOf(text: string): string[] {
  const code = codeOf(text);
  const patterns = [
    /\bINSERT\s+INTO\s+"?(\w+)/g,
    /\bUPDATE\s+"?(\w+)"?(?:\s+(?:AS\s+)?\w+)?\s+SET\b/g,
    /\bDELETE\s+FROM\s+"?(\w+)/g,
    /\bTRUNCATE\s+(?:TABLE\s+)?"?(\w+)/g,
    /\b(?:insertRow|updateRow)\s*(?:<[^()]*?>)?\s*\(\s*\w+\s*,\s*['"](\w+)['"]/g,
  ];
  return patterns.flatMap((pattern) => [...code.matchAll(pattern)].map((match) => match[1]!));
}

/** Whether a file's code holds an SQL statement. */
const hasSql = (text: string) => /\b(SELECT\s|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|TRUNCATE|LISTEN\s|NOTIFY\s|pg_notify|(CREATE|ALTER|DROP)\s+TABLE)/.test(codeOf(text));

const serverFiles = () => [...sources(join(ROOT, 'server'), /\.ts$/)].map((file) => ({ path: relative(ROOT, file).split(/[\\/]/).join('/'), text: readFileSync(file, 'utf8') }));

describe('the tables', () => {
  it('each have one declared writer, for every table the migrations create', () => {
    expect(Object.keys(WRITER).sort()).toEqual([...migratedTables()].sort());
  });

  it('are written only by the repo of the noun that owns them, so searching one noun finds every writer of its table', () => {
    const strays = serverFiles()
      .filter(({ path }) => !path.startsWith('server/db/'))
      .flatMap(({ path, text }) => writesOf(text).filter((table) => WRITER[table] !== path).map((table) => `${path} writes ${table} (owner: ${WRITER[table] ?? 'none of our files'})`));
    expect(strays).toEqual([]);
  });

  it('are spoken to in SQL only from repos, server/db/ and start-up', () => {
    const strays = serverFiles().filter(({ path, text }) => !SQL_ALLOWED.test(path) && hasSql(text));
    expect(strays.map(({ path }) => path)).toEqual([]);
  });
});

describe('the SQL reader behind these rules', () => {
  it('finds the tables a text writes, and SQL in code but not in comments', () => {
    const text = [
      '// UPDATE needs SET nothing: prose in a comment',
      "await tx.query('UPDATE routes SET status = $2 WHERE id = $1', [id, status]);",
      'await tx.query(`UPDATE stops s SET seq = -id`);',
      "await db.query(`INSERT INTO live_recipients (user_id) VALUES ($1) ON CONFLICT (user_id) DO UPDATE SET acked_seq = 1`);",
      "await db.query('DELETE FROM sessions WHERE expires_at <= now()');",
      "const row = await insertRow<Movement & { id: number }>(db, 'stock_movements', movement);",
      "await updateRow<Driver>(db, 'drivers', id, patch);",
      "await db.query('SELECT id FROM plans WHERE id = $1 FOR UPDATE', [id]);",
    ].join('\n');
    expect(writesOf(text)).toEqual(['live_recipients', 'routes', 'stops', 'sessions', 'stock_movements', 'drivers']);
    expect(hasSql('// SELECT 1 is what the health check asks\nconst x = 1;')).toBe(false);
    expect(hasSql("/* LISTEN/NOTIFY */ await listener.query(`LISTEN ${channel}`);")).toBe(true);
  });

  it('replays the migrations: the tables they create, less those renamed away or dropped', () => {
    const tables = migratedTables();
    expect(tables.has('live_events')).toBe(true);
    expect(tables.has('live_events_per_recipient')).toBe(false);
  });
});

describe('the import reader behind these rules', () => {
  it('tells type-only imports from code imports, and finds dynamic ones', () => {
    const text = [
      "import type { A } from '../../server/a.ts';",
      "import { type B, type C } from '../../server/b.ts';",
      "import { D, type E } from '../../server/d.ts';",
      "export { F } from './f.ts';",
      "import 'node:fs';",
      "const g = await import('highs');",
    ].join('\n');
    const read = importsOf('/x/client/src/page.tsx', text).map(({ specifier, typeOnly }) => [specifier, typeOnly]);
    expect(read).toEqual([
      ['../../server/a.ts', true],
      ['../../server/b.ts', true],
      ['../../server/d.ts', false],
      ['./f.ts', false],
      ['node:fs', false],
      ['highs', false],
    ]);
  });
});
