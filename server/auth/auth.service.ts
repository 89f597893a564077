// Sign-in with opaque session tokens (bearer, or the web app's cookie): random, stored only as a SHA-256 hash, revocable, 12 hours long.
// Revoking one (sign-out), deactivating a user or changing their scope also closes their live sockets and
// forgets their sessions kept in memory (session-cache.ts).
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Request, RequestHandler } from 'express';
import type { Lane } from '../http/overload.ts';
import type { Db, Queryable } from '../db/database.ts';
import { getWarehouse } from '../warehouses/warehouses.service.ts';
import { UnauthenticatedError, ConflictError, NotFoundError, invalidField } from '../http/errors.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import * as repo from './auth.repo.ts';
import { sessionCache, type LiveSession } from './session-cache.ts';
import { bearerToken, cookieValue, requestToken, SESSION_COOKIE } from './web-session.ts';
import { tiedRoles, type ListedUser, type NewUser, type UserPatch } from './auth.schema.ts';
import type { Role, SignedInUser } from './roles.ts';

export const SESSION_HOURS = 12;
const SESSION_S = SESSION_HOURS * 3600;

/** A session is known by its token's hash. */
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Closes live sockets, on every server node (the live gateway). */
export interface LiveSockets {
  closeSession(sessionId: string): void;
  closeUser(userId: number): void;
}

export async function login(db: Db, email: string, password: string): Promise<{ token: string; role: Role; user: SignedInUser }> {
  const user = await repo.findUserByEmail(db, email);
  // Compare even for unknown emails so that timing does not reveal which addresses exist.
  const ok = await verifyPassword(password, user?.passwordHash ?? '$2b$10$invalidinvalidinvalidinvalidinvalidinvalidinvalidinva');
  if (!user || !ok || !user.active) throw new UnauthenticatedError('wrong email or password');
  const token = await startSession(db, user.id);
  return { token, role: user.role, user: { id: user.id, email: user.email, name: user.name, role: user.role, communities: user.communities, warehouseIds: user.warehouseIds } };
}

/** A new session for the user, `ttlS` seconds long; its bearer token. */
export async function startSession(db: Db, userId: number, ttlS = SESSION_S): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await repo.insertSession(db, hashToken(token), userId, ttlS);
  return token;
}

export async function logout(db: Db, live: LiveSockets, token: string): Promise<void> {
  const sessionId = hashToken(token);
  await repo.deleteSession(db, sessionId);
  sessionCache.forgetSession(sessionId);
  live.closeSession(sessionId);
}

/** The session a token opens (its id, user and end), if it is live; kept in memory a moment (session-cache.ts). */
export async function sessionForToken(db: Db, token: string): Promise<LiveSession | undefined> {
  const id = hashToken(token);
  return sessionCache.get(id, async () => {
    const session = await repo.findSession(db, id);
    return session && { id, ...session };
  });
}

export async function createUser(db: Db, input: NewUser): Promise<SignedInUser> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    if (await repo.findUserByEmail(tx, input.email)) throw new ConflictError(`a user with the email ${input.email} exists already`, {}, 'already-exists');
    await checkWarehouses(tx, input.warehouseIds);
    return repo.insertUser(tx, { ...input, passwordHash });
  });
}

async function checkWarehouses(db: Queryable, ids: number[] | null | undefined): Promise<void> {
  for (const [i, id] of (ids ?? []).entries()) {
    await getWarehouse(db, id, `body.warehouseIds.${i}`);
  }
}

/**
 * Ties a community worker to communities or a coordinator to warehouses (null: all again), or (de)activates a
 * user. A user deactivated or given another scope loses their live sockets: what they were sent to was
 * chosen by the old scope (a device still signed in connects again and is placed by the new one).
 */
export async function updateUser(db: Db, live: LiveSockets, id: number, patch: UserPatch): Promise<ListedUser> {
  const updated = await db.transaction(async (tx) => {
    const user = await repo.findUser(tx, id);
    if (!user) throw new NotFoundError('user', id, 'id');
    const { communities, warehouseIds } = tiedRoles;
    if (patch.communities && user.role !== communities.role) throw invalidField('body.communities', communities.reason);
    if (patch.warehouseIds && user.role !== warehouseIds.role) throw invalidField('body.warehouseIds', warehouseIds.reason);
    await checkWarehouses(tx, patch.warehouseIds);
    return repo.updateUser(tx, id, patch);
  });
  if (patch.active === false || patch.communities !== undefined || patch.warehouseIds !== undefined) {
    sessionCache.forgetUser(id);
    live.closeUser(id);
  }
  return updated;
}

// Who is asking, as `authenticate` finds them (in the service, not the schema module, which the web app reads).
declare module 'express-serve-static-core' {
  interface Request {
    user?: SignedInUser;
    /** A bearer token was sent but is unknown or expired. */
    staleToken?: boolean;
  }
}

/**
 * Attaches `req.user` when a valid token is sent (bearer or the web app's cookie); endpoints decide
 * whether they need one. A stale token is remembered, so that a protected endpoint can say so while a
 * public page still answers.
 */
export function authenticate(db: Db, known?: KnownSessions): RequestHandler {
  return async (req, _res, next) => {
    const token = requestToken(req)?.token;
    if (token) {
      const session = await sessionForToken(db, token);
      if (session) known?.note(session.id, session.expiresAt);
      req.user = session?.user;
      req.staleToken = !req.user;
    }
    next();
  };
}

/**
 * Sessions seen live lately, in memory, so that the load shedder can tell staff from the public before
 * anything costly is done. It only chooses a lane: every request is still signed in by sessionForToken.
 */
export class KnownSessions {
  private readonly until = new Map<string, number>();

  note(sessionId: string, expiresAt: Date): void {
    // Bounded: past this many (a forged-token flood cannot be, as only live sessions are noted), start over.
    if (this.until.size >= 10_000) this.until.clear();
    this.until.set(sessionId, expiresAt.getTime());
  }

  /** The lane of a request: the health check, a live staff session, signing in (or a token not known yet), or the public. */
  laneOf(req: Request): Lane {
    if (req.path === '/health') return 'always';
    if (this.tokenOf(req)) return this.isStaff(req) ? 'staff' : 'sign-in';
    return req.path === '/auth/login' ? 'sign-in' : 'public';
  }

  /** Whether the request carries the token of a session seen live lately (by its headers alone: the door asks before Express). */
  isStaff(req: IncomingMessage): boolean {
    const token = this.tokenOf(req);
    return token !== undefined && (this.until.get(hashToken(token)) ?? 0) > Date.now();
  }

  private tokenOf(req: IncomingMessage): string | undefined {
    const cookie = req.headers.cookie;
    return bearerToken(req.headers.authorization) ?? cookieValue(Array.isArray(cookie) ? cookie.join('; ') : cookie, SESSION_COOKIE);
  }
}
