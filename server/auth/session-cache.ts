// Live sessions kept in memory for a moment (SESSION_CACHE_MS), so that a signed-in request does not look
// its session up in the database every time (a burst of creates did so on every request). Signing out,
// deactivating a user or changing their scope forgets their sessions at once on this node (where the live
// gateway closes their sockets). Another server node learns of it when its own copy runs out: across nodes,
// a session revoked elsewhere may open requests for at most SESSION_CACHE_MS more.
import type { SignedInUser } from './roles.ts';

export const SESSION_CACHE_MS = 2000;

export interface LiveSession {
  id: string;
  user: SignedInUser;
  expiresAt: Date;
}

interface Kept {
  at: number;
  /** The lookup (shared by requests that ask while it runs). */
  session: Promise<LiveSession | undefined>;
  /** Whose session it is, once the lookup has answered. */
  userId?: number;
}

class SessionCache {
  private readonly kept = new Map<string, Kept>();

  /** The session by id, from memory when looked up less than SESSION_CACHE_MS ago, else by `lookup`. */
  async get(id: string, lookup: () => Promise<LiveSession | undefined>): Promise<LiveSession | undefined> {
    const now = Date.now();
    const hit = this.kept.get(id);
    const kept = hit && now - hit.at < SESSION_CACHE_MS ? hit : this.load(id, now, lookup);
    const session = await kept.session;
    return session && session.expiresAt.getTime() > Date.now() ? session : undefined;
  }

  private load(id: string, now: number, lookup: () => Promise<LiveSession | undefined>): Kept {
    // Bounded (only live sessions stay: an unknown token is not kept).
    if (this.kept.size >= 10_000) this.kept.clear();
    const kept: Kept = { at: now, session: lookup() };
    this.kept.set(id, kept);
    kept.session.then(
      (session) => (session ? (kept.userId = session.user.id) : this.drop(id, kept)),
      () => this.drop(id, kept),
    );
    return kept;
  }

  private drop(id: string, kept: Kept): void {
    if (this.kept.get(id) === kept) this.kept.delete(id);
  }

  /** Signed out: that session is looked up afresh (and found gone). */
  forgetSession(id: string): void {
    this.kept.delete(id);
  }

  /** Deactivated or given another scope: every session of the user is looked up afresh (and lookups under way, which may have read the old). */
  forgetUser(userId: number): void {
    for (const [id, kept] of this.kept) {
      if (kept.userId === undefined || kept.userId === userId) this.kept.delete(id);
    }
  }
}

/** The one cache of this process (session ids are token hashes: unique whatever the database). */
export const sessionCache = new SessionCache();
