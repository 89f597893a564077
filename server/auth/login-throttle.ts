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
  constructor(readonly retryAfterS: number, detail = `too many failed sign-ins; try again in ${retryAfterS} s`) {
    super(429, 'too-many-attempts', 'Too many attempts', detail, { retryAfterS });
  }
}

/**
 * The store client rate-limiter-flexible's PostgreSQL limiter expects (`query({ text, values })` answering
 * `{ rows, rowCount }`), over either back-end. Statement names, a node-postgres feature, are dropped.
 */
function storeClient(db: Queryable) {
  return {
    async query({ text, values }: { text: string; values?: unknown[] }) {
      const rows = await db.query(text, values);
      return { rows, rowCount: rows.length };
    },
  };
}

/** Counts attempts under `keyPrefix` in the login_attempts table, `points` per window of `windowS` seconds. */
export function attemptCounter(db: Db, keyPrefix: string, points: number, windowS: number): RateLimiterPostgres {
  return new RateLimiterPostgres({ storeClient: storeClient(db), storeType: 'client', tableName: TABLE, tableCreated: true, clearExpiredByTimeout: false, keyPrefix, points, duration: windowS });
}

/**
 * Takes one attempt from each counter; over any of their limits, answers 429 with Retry-After (the longest
 * wait; no header without an HTTP answer, e.g. for a socket) and `detail` in the reader's words. A fault of the store itself is thrown as it is.
 */
export async function countAttempt(res: Pick<Response, 'set'> | undefined, takes: Promise<RateLimiterRes>[], detail?: (retryAfterS: number) => string): Promise<void> {
  const refusals = (await Promise.allSettled(takes)).filter((outcome) => outcome.status === 'rejected').map((outcome) => outcome.reason as unknown);
  const storeError = refusals.find((reason) => !(reason instanceof RateLimiterRes));
  if (storeError) throw storeError;
  if (refusals.length === 0) return;
  const retryAfterS = Math.max(1, ...refusals.map((r) => Math.ceil((r as RateLimiterRes).msBeforeNext / 1000)));
  res?.set('Retry-After', String(retryAfterS));
  throw new TooManyAttemptsError(retryAfterS, detail?.(retryAfterS));
}

export class LoginThrottle {
  private readonly accounts: RateLimiterPostgres;
  private readonly addresses: RateLimiterPostgres;

  constructor(db: Db, limits: LoginLimits = defaultLoginLimits) {
    this.accounts = attemptCounter(db, 'account', limits.perAccount, limits.windowS);
    this.addresses = attemptCounter(db, 'address', limits.perAddress, limits.windowS);
  }

  /**
   * Runs a sign-in for `email` from `address`. Each attempt is counted before the password is checked (so
   * parallel guesses cannot all slip in under the limit); a success clears the account's count and gives
   * the address its attempt back. Over a limit, even the right password is refused: 429 with Retry-After.
   */
  async attempt<T>(email: string, address: string, res: Response, signIn: () => Promise<T>): Promise<T> {
    await countAttempt(res, [this.accounts.consume(email), this.addresses.consume(address)]);
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
