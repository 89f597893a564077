// Plain-row helpers shared by the repos: camelCase objects in and out, snake_case columns inside,
// parameterised SQL only. Table and column names come from code, never from input.
import type { Queryable } from './database.ts';
import { quoteIdent } from './database.ts';

/** The column of a camelCase field: `homeWarehouseId` → `home_warehouse_id`. */
export const columnName = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
// Memoised: a district's read turns the same dozen column names of tens of thousands of rows (a regex each: 1.7 s of
// a 20,000-household dispatch's answer). Bounded, should a caller ever pass keys that are not column names.
const camelNames = new Map<string, string>();
function camel(key: string): string {
  let name = camelNames.get(key);
  if (name === undefined) {
    name = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    if (camelNames.size < 10_000) camelNames.set(key, name);
  }
  return name;
}

export function toCamel<T>(row: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [camel(k), v])) as T;
}

function definedEntries(values: Record<string, unknown>): [string, unknown][] {
  return Object.entries(values).filter(([, v]) => v !== undefined);
}

const sqlValue = (v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? JSON.stringify(v) : v);

export async function insertRow<T>(db: Queryable, table: string, values: Record<string, unknown>): Promise<T> {
  const entries = definedEntries(values);
  const columns = entries.map(([k]) => quoteIdent(columnName(k))).join(', ');
  const params = entries.map((_, i) => `$${i + 1}`).join(', ');
  const [row] = await db.query(`INSERT INTO ${quoteIdent(table)} (${columns}) VALUES (${params}) RETURNING *`, entries.map(([, v]) => sqlValue(v)));
  return toCamel<T>(row!);
}

/** Updates the given fields (and updated_at when the table has it); undefined when no row has that id. */
export async function updateRow<T>(
  db: Queryable,
  table: string,
  id: number,
  patch: Record<string, unknown>,
  options: { touch?: boolean } = { touch: true },
): Promise<T | undefined> {
  const entries = definedEntries(patch);
  const sets = entries.map(([k], i) => `${quoteIdent(columnName(k))} = $${i + 2}`);
  if (options.touch) sets.push('updated_at = now()');
  if (sets.length === 0) return findRow<T>(db, table, id);
  const [row] = await db.query(`UPDATE ${quoteIdent(table)} SET ${sets.join(', ')} WHERE id = $1 RETURNING *`, [
    id,
    ...entries.map(([, v]) => sqlValue(v)),
  ]);
  return row ? toCamel<T>(row) : undefined;
}

export async function findRow<T>(db: Queryable, table: string, id: number, lock = false): Promise<T | undefined> {
  const [row] = await db.query(`SELECT * FROM ${quoteIdent(table)} WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return row ? toCamel<T>(row) : undefined;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface Sort<F extends string = string> {
  field: F;
  descending: boolean;
}

/** What every list's handler gets: its page and its sort, next to its own filters. */
export interface Paging<F extends string = string> {
  limit: number;
  offset: number;
  sort: Sort<F>;
}

/**
 * The ORDER BY of a sort: the field's SQL (from code, never from input), then the id in the same
 * direction, so that the order is total and a page boundary never moves a row.
 */
export function orderBy<F extends string>(sort: Sort<F>, columns: Record<F, string>, id = 'id'): string {
  const dir = sort.descending ? 'DESC' : 'ASC';
  const column = columns[sort.field];
  return column === id ? `ORDER BY ${id} ${dir}` : `ORDER BY ${column} ${dir} NULLS LAST, ${id} ${dir}`;
}

/** `LIMIT $n OFFSET $n+1` after `params`, with the values pushed. */
export function limitOffset(params: unknown[], paging: { limit: number; offset: number }): string {
  params.push(paging.limit, paging.offset);
  return `LIMIT $${params.length - 1} OFFSET $${params.length}`;
}

/** Keeps the rows whose `column` is one of `ids` (null: no restriction), and with `orNone` those where it is null. */
export interface Within {
  column: string;
  ids: readonly number[] | null;
  orNone?: boolean;
}

/**
 * Lists rows matching equality filters (undefined filters are ignored), one page in the paging's sort,
 * whose fields are the table's own columns in camelCase (the schema's enum names them, never the input).
 */
export async function listRows<T>(
  db: Queryable,
  table: string,
  filters: Record<string, unknown>,
  paging: Paging,
  within?: Within,
  /** What to read of each row (all columns by default): a list can leave out a large document. */
  columns = '*',
): Promise<Page<T>> {
  const entries = definedEntries(filters);
  const conditions = entries.map(([k], i) => `${quoteIdent(columnName(k))} = $${i + 1}`);
  const params: unknown[] = entries.map(([, v]) => v);
  if (within?.ids) {
    const column = quoteIdent(columnName(within.column));
    params.push([...within.ids]);
    conditions.push(`(${column} = ANY($${params.length}::int[])${within.orNone ? ` OR ${column} IS NULL` : ''})`);
  }
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  const [{ total }] = (await db.query<{ total: number }>(`SELECT count(*) AS total FROM ${quoteIdent(table)} ${where}`, params)) as [
    { total: number },
  ];
  const column = quoteIdent(columnName(paging.sort.field));
  const rows = await db.query(`SELECT ${columns} FROM ${quoteIdent(table)} ${where} ${orderBy(paging.sort, { [paging.sort.field]: column }, '"id"')} ${limitOffset(params, paging)}`, params);
  return { items: rows.map((r) => toCamel<T>(r)), total, limit: paging.limit, offset: paging.offset };
}

/** PostgreSQL binds at most 65,535 parameters to one statement; past a few hundred rows, longer statements only cost more to plan (measured on PGlite). */
const MAX_PARAMETERS = 65_535;
const MAX_ROWS_PER_STATEMENT = 500;

/**
 * Inserts many rows with multi-row statements:
 * bulk loads (the district seed, imports) write thousands of rows in a few statements, not one each.
 * A field left undefined takes the column's default, as in insertRow. Returns the `returning` columns
 * (SQL from code) of each row, in the order given.
 */
export async function insertRows<T = Record<string, unknown>>(db: Queryable, table: string, rows: readonly object[], returning?: string): Promise<T[]> {
  const fields = [...new Set(rows.flatMap((row) => definedEntries(row as Record<string, unknown>).map(([k]) => k)))];
  if (rows.length === 0 || fields.length === 0) return [];
  const columns = fields.map((k) => quoteIdent(columnName(k))).join(', ');
  const perStatement = Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS / fields.length));
  const out: T[] = [];
  for (let start = 0; start < rows.length; start += perStatement) {
    const params: unknown[] = [];
    const tuples = rows.slice(start, start + perStatement).map((row) => {
      const values = fields.map((f) => (row as Record<string, unknown>)[f]);
      return `(${values.map((v) => (v === undefined ? 'DEFAULT' : `$${params.push(sqlValue(v))}`)).join(', ')})`;
    });
    const inserted = await db.query(`INSERT INTO ${quoteIdent(table)} (${columns}) VALUES ${tuples.join(', ')}${returning ? ` RETURNING ${returning}` : ''}`, params);
    if (returning) out.push(...inserted.map((r) => toCamel<T>(r)));
  }
  return out;
}

/**
 * Inserts any number of rows in one statement, each column bound as one array and read back by `unnest`
 * (`types` gives each field's SQL type, e.g. `int`): the table's statement triggers run once for them all
 * (a plan's reservations, a dispatch's stops), and nothing is re-planned per chunk. An absent field is null.
 * Returns the `returning` columns (SQL from code) of the inserted rows, in no particular order.
 */
export async function insertColumns<R extends object, T = Record<string, unknown>>(
  db: Queryable,
  table: string,
  types: { [K in keyof R]-?: string },
  rows: readonly R[],
  returning?: string,
): Promise<T[]> {
  if (rows.length === 0) return [];
  const fields = Object.keys(types) as (keyof R & string)[];
  const columns = fields.map((k) => quoteIdent(columnName(k))).join(', ');
  const arrays = fields.map((f, i) => `$${i + 1}::${types[f]}[]`).join(', ');
  const params = fields.map((f) => rows.map((row) => (row[f] === undefined ? null : sqlValue(row[f]))));
  const inserted = await db.query(`INSERT INTO ${quoteIdent(table)} (${columns}) SELECT * FROM unnest(${arrays})${returning ? ` RETURNING ${returning}` : ''}`, params);
  return inserted.map((r) => toCamel<T>(r));
}

/**
 * The rows of a query read as one JSON value of column arrays, then rebuilt here: PGlite builds every returned
 * row field by field in JavaScript and sends it across threads (the open needs of a 20,000-household district,
 * 44,841 rows: 3.1 s as rows, 1.2 s as columns). For reads of tens of thousands of rows; `sql` is the query
 * (from code) whose result columns include `columns` (a camelCase name reads its snake_case column). Values come as JSON has them: numbers, text, booleans,
 * dates as 'YYYY-MM-DD' as the row reader gives them; a timestamp would come as text, not a Date.
 */
export async function selectColumns<R extends object>(db: Queryable, columns: readonly (keyof R & string)[], sql: string, params: unknown[] = []): Promise<R[]> {
  const arrays = columns.map((c) => `'${c}', array_agg(x.${quoteIdent(columnName(c))})`).join(', ');
  const [{ table }] = (await db.query<{ table: Record<string, unknown[] | null> }>(`SELECT json_build_object(${arrays}) AS table FROM (${sql}) AS x`, params)) as [{ table: Record<string, unknown[] | null> }];
  const length = table[columns[0]!]?.length ?? 0;
  const rows: R[] = new Array(length);
  for (let i = 0; i < length; i++) {
    const row: Record<string, unknown> = {};
    for (const c of columns) row[c] = table[c]![i];
    rows[i] = row as R;
  }
  return rows;
}

/** Rows grouped by a key (an id they refer to), each group in the rows' order. */
export function groupBy<T>(rows: T[], key: (row: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const group = groups.get(key(row));
    if (group) group.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}
