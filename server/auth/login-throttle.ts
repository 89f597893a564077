// Slows down password guessing: failed sign-ins are counted per account and per client address, in the
// database (rate-limiter-flexible's PostgreSQL store over our Db), so the limits hold across server nodes.
import type { Response } from 'express';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Db, Queryable } from '../db/database.ts';
import { HttpError, UnauthenticatedError } from '../http/errors.ts';
import { deleteExpiredLoginAttempts } from './auth.repo.ts';

export interface LoginLimits {
  /** Failed sign-ins to one account within a window before it is locked until the window ends. */
  perAccount: number;
  /** Failed sign-ins from one address within a window, whichever accounts they tried. */
  perAddress: number;
  /** The window, in seconds: counting starts at the first failure and is forgotten at its end. */
  windowS: number;
}

export const defaultLoginLimits: LoginLimits = { perAccount: 10, perAddress: 100, windowS: 900 };

/** The table migration 010 creates; the library is told it exists and never creates one itself. */
const TABLE = 'login_attempts';

export class TooManyAttemptsError extends HttpError {
  constructor(readonly retryAfterS: number) {
    super(429, 'too-many-attempts', 'Too many attempts', `too many failed sign-ins; try again in ${retryAfterS} s`, { retryAfterS });
  }
}

/**
 * The store client rate-limiter-flexible's PostgreSQL limiter expects (`query({ text, values })` answering
 * `{ rows, rowCount }`), over either back-end. Statement names, a node-postgres feature, are dropped.
 */
export function storeClient(db: Queryable) {
  return {
    async query({ text, values }: { text: string; values?: unknown[] }) {
      const rows = await db.query(text, values);
      return { rows, rowCount: rows.length };
    },
  };
}

export class LoginThrottle {
  private readonly accounts: RateLimiterPostgres;
  private readonly addresses: RateLimiterPostgres;

  constructor(db: Db, limits: LoginLimits = defaultLoginLimits) {
    const common = { storeClient: storeClient(db), storeType: 'client', tableName: TABLE, tableCreated: true, clearExpiredByTimeout: false, duration: limits.windowS };
    this.accounts = new RateLimiterPostgres({ ...common, keyPrefix: 'account', points: limits.perAccount });
    this.addresses = new RateLimiterPostgres({ ...common, keyPrefix: 'address', points: limits.perAddress });
  }

  /**
   * Runs a sign-in for `email` from `address`. Each attempt is counted before the password is checked (so
   * parallel guesses cannot all slip in under the limit); a success clears the account's count and gives
   * the address its attempt back. Over a limit, even the right password is refused: 429 with Retry-After.
   */
  async attempt<T>(email: string, address: string, res: Response, signIn: () => Promise<T>): Promise<T> {
    const refusals = (await Promise.allSettled([this.accounts.consume(email), this.addresses.consume(address)]))
      .filter((outcome) => outcome.status === 'rejected')
      .map((outcome) => outcome.reason as unknown);
    const storeError = refusals.find((reason) => !(reason instanceof RateLimiterRes));
    if (storeError) throw storeError;
    if (refusals.length > 0) {
      const retryAfterS = Math.max(1, ...refusals.map((r) => Math.ceil((r as RateLimiterRes).msBeforeNext / 1000)));
      res.set('Retry-After', String(retryAfterS));
      throw new TooManyAttemptsError(retryAfterS);
    }
    try {
      const signedIn = await signIn();
      await Promise.all([this.accounts.delete(email), this.addresses.reward(address)]);
      return signedIn;
    } catch (error) {
      // Only a refused password counts against the limits, not a fault of ours.
      if (!(error instanceof UnauthenticatedError)) await Promise.all([this.accounts.reward(email), this.addresses.reward(address)]);
      throw error;
    }
  }
}

/** Forgets counts whose window has ended (run by the pruner). */
export const pruneLoginAttempts = (db: Queryable) => deleteExpiredLoginAttempts(db);
