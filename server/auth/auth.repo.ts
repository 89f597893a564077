// SQL for users and sessions.
import type { Queryable } from '../db/database.ts';
import { insertRows, limitOffset, orderBy, toCamel, type Page } from '../db/rows.ts';
import type { ListedUser, UserQuery } from './auth.schema.ts';
import type { Role, SignedInUser } from './roles.ts';

export interface UserRow extends SignedInUser {
  phone: string | null;
  passwordHash: string;
  active: boolean;
}

/** The columns of a signed-in user, and of a user in the admin's list. */
const SIGNED_IN = 'id, email, name, role, communities, warehouse_ids';
const LISTED = `${SIGNED_IN}, phone, active`;

export async function findUserByEmail(db: Queryable, email: string): Promise<UserRow | undefined> {
  const [row] = await db.query<Record<string, unknown>>('SELECT * FROM users WHERE email = $1', [email]);
  return row && toCamel<UserRow>(row);
}

export async function insertUser(
  db: Queryable,
  user: { email: string; name: string; phone?: string | null; role: Role; passwordHash: string; communities?: string[]; warehouseIds?: number[] },
): Promise<SignedInUser> {
  const [row] = await db.query<Record<string, unknown>>(
    `INSERT INTO users (email, name, phone, role, password_hash, communities, warehouse_ids) VALUES ($1, $2, $3, $4, $5, $6, $7)
     RETURNING ${SIGNED_IN}`,
    [user.email, user.name, user.phone ?? null, user.role, user.passwordHash, user.communities ?? null, user.warehouseIds ?? null],
  );
  return toCamel<SignedInUser>(row!);
}

export async function listUsers(db: Queryable, query: UserQuery): Promise<Page<ListedUser>> {
  const params: unknown[] = [query.role ?? null, query.active ?? null];
  const where = 'WHERE ($1::text IS NULL OR role = $1) AND ($2::boolean IS NULL OR active = $2)';
  const [{ total }] = (await db.query<{ total: number }>(`SELECT count(*)::int AS total FROM users ${where}`, params)) as [{ total: number }];
  const rows = await db.query(`SELECT ${LISTED} FROM users ${where} ${orderBy(query.sort, { id: 'id', name: 'name', email: 'email', role: 'role' })} ${limitOffset(params, query)}`, params);
  return { items: rows.map((r) => toCamel<ListedUser>(r)), total, limit: query.limit, offset: query.offset };
}

/** A user, locked for a change unless `lock` is false. */
export async function findUser(db: Queryable, id: number, lock = true): Promise<ListedUser | undefined> {
  const [row] = await db.query(`SELECT ${LISTED} FROM users WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return row && toCamel<ListedUser>(row);
}

export async function updateUser(db: Queryable, id: number, patch: { communities?: string[] | null; warehouseIds?: number[] | null; active?: boolean }): Promise<ListedUser> {
  const [row] = await db.query(
    `UPDATE users SET communities = CASE WHEN $2::boolean THEN $3::text[] ELSE communities END,
       warehouse_ids = CASE WHEN $4::boolean THEN $5::int[] ELSE warehouse_ids END, active = COALESCE($6, active)
     WHERE id = $1 RETURNING ${LISTED}`,
    [id, patch.communities !== undefined, patch.communities ?? null, patch.warehouseIds !== undefined, patch.warehouseIds ?? null, patch.active ?? null],
  );
  return toCamel<ListedUser>(row!);
}

export async function insertSession(db: Queryable, tokenHash: string, userId: number, ttlSeconds: number): Promise<void> {
  await db.query(
    `INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))`,
    [tokenHash, userId, ttlSeconds],
  );
}

/** A live session's active user, and when the session ends. */
export async function findSession(db: Queryable, tokenHash: string): Promise<{ user: SignedInUser; expiresAt: Date } | undefined> {
  const [row] = await db.query<Record<string, unknown> & { expires_at: Date }>(
    `SELECT ${SIGNED_IN}, expires_at FROM users JOIN sessions ON user_id = id WHERE token_hash = $1 AND expires_at > now() AND active`,
    [tokenHash],
  );
  if (!row) return undefined;
  const { expires_at, ...user } = row;
  return { user: toCamel<SignedInUser>(user), expiresAt: new Date(expires_at) };
}

export async function deleteSession(db: Queryable, tokenHash: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
}

/** Every active account's email and password hash, by id. */
export async function activePasswordHashes(db: Queryable): Promise<{ email: string; passwordHash: string }[]> {
  return (await db.query('SELECT email, password_hash FROM users WHERE active ORDER BY id')).map((r) => toCamel<{ email: string; passwordHash: string }>(r));
}

/** Forgets the login counts whose window has ended (the table migration 010 made for rate-limiter-flexible). */
export async function deleteExpiredLoginAttempts(db: Queryable): Promise<number> {
  return (await db.query('DELETE FROM login_attempts WHERE expire < $1 RETURNING key', [Date.now()])).length;
}

/** Drops sessions that have expired (they open nothing already); returns how many. */
export async function deleteExpiredSessions(db: Queryable): Promise<number> {
  return (await db.query('DELETE FROM sessions WHERE expires_at <= now() RETURNING token_hash')).length;
}

/** Coordinators, admins, and the community workers of that community (or of every one). */
export async function sheetUsers(db: Queryable, community: string): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    `SELECT id FROM users WHERE active AND (role IN ('coordinator', 'admin')
       OR (role = 'community' AND (communities IS NULL OR $1 = ANY(communities)))) ORDER BY id`,
    [community],
  );
  return rows.map((r) => r.id);
}

/** Admins and coordinators; given a warehouse, only the coordinators who follow it (or every warehouse). */
export async function boardUsers(db: Queryable, warehouseId: number | null): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    `SELECT id FROM users WHERE active AND (role = 'admin'
       OR (role = 'coordinator' AND ($1::int IS NULL OR warehouse_ids IS NULL OR $1 = ANY(warehouse_ids)))) ORDER BY id`,
    [warehouseId],
  );
  return rows.map((r) => r.id);
}

/** Many accounts in a few statements (the district seed); their ids and emails, in order. */
export const insertUsers = (db: Queryable, users: { email: string; name: string; phone: string | null; role: Role; passwordHash: string }[]) =>
  insertRows<{ id: number; email: string }>(db, 'users', users, 'id, email');
