// SQL for users and sessions.
import type { Queryable } from '../db/database.ts';
import type { Role, SignedInUser } from './auth.schema.ts';

export interface UserRow extends SignedInUser {
  phone: string | null;
  password_hash: string;
  active: boolean;
}

export async function findUserByEmail(db: Queryable, email: string): Promise<UserRow | undefined> {
  const [row] = await db.query<UserRow>('SELECT * FROM users WHERE email = $1', [email]);
  return row;
}

export async function insertUser(
  db: Queryable,
  user: { email: string; name: string; phone?: string | null; role: Role; passwordHash: string; communities?: string[] },
): Promise<SignedInUser> {
  const [row] = await db.query<SignedInUser>(
    `INSERT INTO users (email, name, phone, role, password_hash, communities) VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING id, email, name, role, communities`,
    [user.email, user.name, user.phone ?? null, user.role, user.passwordHash, user.communities ?? null],
  );
  return row!;
}

export type ListedUser = SignedInUser & { phone: string | null; active: boolean };

export async function listUsers(db: Queryable): Promise<ListedUser[]> {
  return db.query('SELECT id, email, name, phone, role, communities, active FROM users ORDER BY id');
}

export async function findUser(db: Queryable, id: number): Promise<ListedUser | undefined> {
  const [row] = await db.query<ListedUser>('SELECT id, email, name, phone, role, communities, active FROM users WHERE id = $1 FOR UPDATE', [id]);
  return row;
}

export async function updateUser(db: Queryable, id: number, patch: { communities?: string[] | null; active?: boolean }): Promise<ListedUser> {
  const [row] = await db.query<ListedUser>(
    `UPDATE users SET communities = CASE WHEN $2::boolean THEN $3::text[] ELSE communities END, active = COALESCE($4, active)
     WHERE id = $1 RETURNING id, email, name, phone, role, communities, active`,
    [id, patch.communities !== undefined, patch.communities ?? null, patch.active ?? null],
  );
  return row!;
}

export async function insertSession(db: Queryable, tokenHash: string, userId: number, ttlHours: number): Promise<void> {
  await db.query(
    `INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(hours => $3))`,
    [tokenHash, userId, ttlHours],
  );
}

export async function findSessionUser(db: Queryable, tokenHash: string): Promise<SignedInUser | undefined> {
  const [row] = await db.query<SignedInUser>(
    `SELECT u.id, u.email, u.name, u.role, u.communities FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = $1 AND s.expires_at > now() AND u.active`,
    [tokenHash],
  );
  return row;
}

export async function deleteSession(db: Queryable, tokenHash: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
}
