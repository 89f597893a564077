// Slows down guessing of household access codes: wrong codes are counted per client address in the
// database (rate-limiter-flexible's PostgreSQL store, the sign-in counts' table, pruned with them), so the
// limit holds across server nodes. Over the limit every code is refused, right ones too, until the window ends.
import type { Response } from 'express';
import type { RateLimiterPostgres } from 'rate-limiter-flexible';
import type { Db } from '../db/database.ts';
import { attemptCounter, countAttempt } from '../auth/login-throttle.ts';

export interface CodeLimits {
  /** Wrong codes from one address within a window. */
  perAddress: number;
  /** The window, in seconds, from the first wrong code. */
  windowS: number;
}

export const defaultCodeLimits: CodeLimits = { perAddress: 20, windowS: 900 };

export class CodeThrottle {
  private readonly addresses: RateLimiterPostgres;

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
}
