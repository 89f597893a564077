// Slows down guessing of household access codes: wrong codes are counted per client address in the
// database (rate-limiter-flexible's PostgreSQL store, the sign-in counts' table, pruned with them), so the
// limit holds across server nodes. Over the limit every code is refused, right ones too, until the window ends.
import type { Response } from 'express';
import type { RateLimiterPostgres } from 'rate-limiter-flexible';
import type { Db } from '../db/database.ts';
import { attemptCounter, countAttempt, TooManyAttemptsError } from '../auth/login-throttle.ts';

export interface CodeLimits {
  /** Wrong codes from one address within a window. */
  perAddress: number;
  /** The window, in seconds, from the first wrong code. */
  windowS: number;
}

export const defaultCodeLimits: CodeLimits = { perAddress: 20, windowS: 900 };

export class CodeThrottle {
  private readonly addresses: RateLimiterPostgres;
  /** Addresses this node found over the limit, with when their window ends (ms): refused without a database round trip. */
  private readonly blocked = new Map<string, number>();

  constructor(db: Db, limits: CodeLimits = defaultCodeLimits) {
    this.addresses = attemptCounter(db, 'resident-code', limits.perAddress, limits.windowS);
  }

  /**
   * Looks a code up for `address`. The attempt is counted before the lookup (parallel guesses cannot all slip
   * in under the limit) and given back when the code was right; `found` answers undefined for a wrong code.
   */
  async attempt<T>(address: string, res: Response, refusal: (retryAfterS: number) => string, lookUp: () => Promise<T | undefined>): Promise<T | undefined> {
    await countAttempt(res, [this.addresses.consume(address)], refusal);
    const found = await lookUp();
    if (found !== undefined) await this.addresses.reward(address);
    return found;
  }

  /**
   * For a burst (a campaign's intake), where a round trip per right code is too dear: refuses an address this
   * node found over the limit until its window ends. Wrong codes are counted after the lookup (`countWrong`),
   * so parallel guesses may pass the limit by what is in flight; the intake's per-address rate limit bounds that.
   */
  refuseBlocked(address: string, res: Response, refusal: (retryAfterS: number) => string): void {
    const until = this.blocked.get(address);
    if (until === undefined) return;
    const retryAfterS = Math.ceil((until - Date.now()) / 1000);
    if (retryAfterS <= 0) return void this.blocked.delete(address);
    res.set('Retry-After', String(retryAfterS));
    throw new TooManyAttemptsError(retryAfterS, refusal(retryAfterS));
  }

  /** Counts a wrong code from `address`; over the limit, remembers the address (see refuseBlocked) and answers 429. */
  async countWrong(address: string, res: Response, refusal: (retryAfterS: number) => string): Promise<void> {
    try {
      await countAttempt(res, [this.addresses.consume(address)], refusal);
    } catch (error) {
      if (error instanceof TooManyAttemptsError) {
        if (this.blocked.size >= MAX_BLOCKED) this.blocked.clear();
        this.blocked.set(address, Date.now() + error.retryAfterS * 1000);
      }
      throw error;
    }
  }
}

/** Blocked addresses kept in memory at most; past that the list starts again (the database still counts). */
const MAX_BLOCKED = 100_000;
