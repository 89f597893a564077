// Talks to the Lifeline HTTP API: JSON in and out, and problem+json errors turned into an ApiError that
// names each field, so a form can show every problem next to its input. The session lives in an
// httpOnly cookie the page never sees; every request says it comes from the web app (the server's CSRF guard).

export interface FieldProblem {
  field: string;
  reason: string;
}

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the server could not be reached at all. */
    readonly status: number,
    detail: string,
    readonly fields: FieldProblem[] = [],
    readonly body: Record<string, unknown> = {},
  ) {
    super(detail);
  }

  get offline(): boolean {
    return this.status === 0;
  }

  /** Field problems keyed by the form's own field names: `body.household.phone` → `household.phone`. */
  byField(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const p of this.fields) {
      const key = p.field.replace(/^(body|query|path)\.?/, '');
      out[key] = out[key] ? `${out[key]}; ${p.reason}` : p.reason;
    }
    return out;
  }
}

// Earlier versions kept the token where any script could read it; it goes.
localStorage.removeItem('lifeline.token');

/** Called when the server says the session is no longer good (the app goes back to sign-in). */
let onSignedOut: () => void = () => {};
export function whenSignedOut(listener: () => void): void {
  onSignedOut = listener;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as text/csv instead of JSON. */
  csv?: string;
  query?: Record<string, string | number | boolean | undefined>;
  idempotencyKey?: string;
  signal?: AbortSignal;
  /** Extra headers, e.g. the code of a handover sheet. */
  headers?: Record<string, string>;
  /** A file answer (CSV, PDF): resolves to `{blob, disposition}` (see download.ts). */
  asBlob?: boolean;
  /** A list answered as a bare array: resolves to its page and total (Counted). */
  counted?: boolean;
}

/** A page of a list that answers a bare array, with the list's whole length (its X-Total-Count). */
export interface Counted<T> {
  items: T[];
  total: number;
}

export function newIdempotencyKey(): string {
  return crypto.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: options.asBlob ? '*/*' : 'application/json', 'X-Lifeline-Client': 'web', ...options.headers };
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  let body: string | undefined;
  if (options.csv !== undefined) {
    headers['Content-Type'] = 'text/csv';
    body = options.csv;
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let res: Response;
  try {
    res = await fetch(`/api${path}${queryString(options.query)}`, { method, headers, body, signal: options.signal, credentials: 'same-origin' });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'offline');
  }
  if (res.status === 204) return undefined as T;
  if (res.ok && options.asBlob) return { blob: await res.blob(), disposition: res.headers.get('Content-Disposition') } as T;
  const text = await res.text();
  const data = text ? safeJson(text) : undefined;
  if (res.ok && options.counted) return { items: data, total: Number(res.headers.get('X-Total-Count')) } as T;
  if (res.ok) return data as T;
  const problem = (data ?? {}) as { detail?: string; title?: string; errors?: FieldProblem[] };
  if (res.status === 401 && path !== '/auth/login') onSignedOut();
  throw new ApiError(res.status, problem.detail ?? problem.title ?? res.statusText, problem.errors ?? [], problem as Record<string, unknown>);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text.slice(0, 300) };
  }
}

function queryString(query: RequestOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

export const get = <T>(path: string, query?: RequestOptions['query'], signal?: AbortSignal) => request<T>('GET', path, { query, signal });
export const getCounted = <T>(path: string, query?: RequestOptions['query']) => request<Counted<T>>('GET', path, { query, counted: true });
export const post = <T>(path: string, body?: unknown, idempotencyKey?: string) => request<T>('POST', path, { body, idempotencyKey });
export const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, { body });
export const put = <T>(path: string, body: unknown) => request<T>('PUT', path, { body });
export const del = <T>(path: string) => request<T>('DELETE', path);

/** Every page of a paged list (`{items, total}`, or a bare array for the lists that answer arrays), for lists the screens show whole. */
export async function getAll<T>(path: string, query: RequestOptions['query'] = {}): Promise<T[]> {
  const items: T[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await get<{ items: T[]; total: number } | T[]>(path, { ...query, limit: 500, offset });
    const rows = Array.isArray(page) ? page : page.items;
    items.push(...rows);
    if (rows.length < 500 || (!Array.isArray(page) && items.length >= page.total)) return items;
  }
}
