// One way every list is paged, sorted and filtered on the server, so that no answer grows with the
// district: the query schema each list's filters extend (limit, offset, sort), the sort of lists held in
// memory (the SQL ones order in db/rows.ts's orderBy), and the headers every list answers with
// (X-Total-Count, Link). Every order ends on the id, so pages never overlap or skip a row.
import { z } from 'zod';
import type { Request, Response } from 'express';
import type { Page, Paging, Sort } from '../db/rows.ts';

export type { Page, Paging, Sort };

/** The most rows one page may hold: a page of the need sheet is a few screens, never the district. */
export const MAX_LIMIT = 500;
const INT_MAX = 2_147_483_647;

/**
 * The query schema of a list: its own `filters`, then `limit`, `offset` and `sort` (a field of `sorts`,
 * `-field` for descending). Anything else is refused (400 naming it), as is a limit past MAX_LIMIT.
 */
export function listQuery<S extends z.ZodRawShape, F extends string>(filters: S, sorts: readonly [F, ...F[]], options: { sort?: `${'-' | ''}${NoInfer<F>}`; limit?: number; max?: number } = {}) {
  const names = [...sorts, ...sorts.map((s) => `-${s}`)] as [string, ...string[]];
  return z.strictObject({
    ...filters,
    limit: z.coerce.number().int().min(1).max(options.max ?? MAX_LIMIT).default(options.limit ?? 50).describe(`rows per page (1–${options.max ?? MAX_LIMIT})`),
    offset: z.coerce.number().int().min(0).max(INT_MAX).default(0).describe('rows to skip: the first row of the page'),
    sort: z
      .enum(names)
      .default(options.sort ?? sorts[0])
      .transform((s): Sort<F> => (s.startsWith('-') ? { field: s.slice(1) as F, descending: true } : { field: s as F, descending: false }))
      .describe(`one of ${sorts.join(', ')}; a leading - sorts descending; rows that tie keep id order`),
  });
}

type Key = string | number | boolean | Date | null | undefined;

/**
 * A page of a list the server already holds whole (closures, communities, a small catalogue): sorted by the
 * key of each field, then by id, and sliced. Lists that grow with the district page in SQL instead.
 */
export function pageOf<T, F extends string>(rows: readonly T[], paging: Paging<F>, keys: Record<F, (row: T) => Key>, id: (row: T) => Key): Page<T> {
  const key = keys[paging.sort.field];
  const sign = paging.sort.descending ? -1 : 1;
  const sorted = [...rows].sort((a, b) => sign * (compare(key(a), key(b)) || compare(id(a), id(b))));
  return { items: sorted.slice(paging.offset, paging.offset + paging.limit), total: rows.length, limit: paging.limit, offset: paging.offset };
}

/** Nulls last, numbers as numbers, text by the locale-independent code order (the same on every server). */
function compare(x: Key, y: Key): number {
  const [a, b] = [x instanceof Date ? x.getTime() : x, y instanceof Date ? y.getTime() : y];
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  return a < b ? -1 : 1;
}

/**
 * The headers of a page: the total, and RFC 8288 links to the next and previous pages (the same query with
 * another offset), so a client that reads only arrays can still walk the list.
 */
export function setPageHeaders(req: Request, res: Response, page: Page<unknown>): void {
  res.setHeader('X-Total-Count', String(page.total));
  const links = [];
  if (page.offset + page.items.length < page.total) links.push(link(req, { limit: page.limit, offset: page.offset + page.limit }, 'next'));
  if (page.offset > 0) links.push(link(req, { limit: page.limit, offset: Math.max(0, page.offset - page.limit) }, 'prev'));
  if (links.length) res.setHeader('Link', links.join(', '));
}

/** The Link to the next page of a list paged by its own cursor (`before`), when there is one. */
export function setCursorHeader(req: Request, res: Response, page: { next: unknown }): void {
  if (page?.next != null) res.setHeader('Link', link(req, { before: page.next }, 'next'));
}

/** The request's own path and query with some parameters replaced, as an RFC 8288 link. */
function link(req: Request, set: Record<string, unknown>, rel: string): string {
  const url = new URL(req.originalUrl, 'http://x');
  for (const [name, value] of Object.entries(set)) url.searchParams.set(name, String(value));
  return `<${url.pathname}${url.search}>; rel="${rel}"`;
}
