// Slows down guessing and hammering of household access codes: wrong codes are counted per client address and
// uses of a right code per code, in the database (rate-limiter-flexible's PostgreSQL store, the sign-in counts'
// table, pruned with them), so the limits hold across server nodes. Over the address limit every code from that
// address is refused, right ones too, until the window ends; over a code's limit, that code is refused a while.
import type { Response } from 'express';
import type { RateLimiterPostgres } from 'rate-limiter-flexible';
import type { Db } from '../db/database.ts';
import { attemptCounter, countAttempt } from '../auth/login-throttle.ts';
import { say, type Lang } from './resident-texts.ts';

export interface CodeLimits {
  /** Wrong codes from one address within a window. */
  perAddress: number;
  /** Uses of one right code within a window (the page asks every 30 s: 30 per 15 minutes). */
  perCode: number;
  /** The window, in seconds, from the first attempt counted. */
  windowS: number;
}

export const defaultCodeLimits: CodeLimits = { perAddress: 20, perCode: 150, windowS: 900 };

export class CodeThrottle {
  private readonly addresses: RateLimiterPostgres;
  private readonly codes: RateLimiterPostgres;

  /** `name` keeps apart the counts of different secrets (access codes, registration references). */
  constructor(db: Db, name = 'resident-code', limits: CodeLimits = defaultCodeLimits) {
    this.addresses = attemptCounter(db, name, limits.perAddress, limits.windowS);
    this.codes = attemptCounter(db, `${name}-use`, limits.perCode, limits.windowS);
  }

  /**
   * Looks a code up for `address` (`key` names the code found, e.g. its hash, for its own count). The attempt is counted before the lookup (parallel guesses cannot all slip
   * in under the limit) and given back when the code was right, which then counts against that code's own limit.
   * Undefined for a wrong code; 429 (with Retry-After when `res` is an HTTP answer) over either limit.
   */
  async attempt<T>(address: string, res: Pick<Response, 'set'> | undefined, lang: Lang, lookUp: () => Promise<{ key: string; found: T } | undefined>): Promise<T | undefined> {
    await countAttempt(res, [this.addresses.consume(address)], (s) => say(lang, 'tooManyCodes', s));
    const hit = await lookUp();
    if (hit === undefined) return undefined;
    await this.addresses.reward(address);
    await countAttempt(res, [this.codes.consume(hit.key)], (s) => say(lang, 'tooManyForCode', s));
    return hit.found;
  }
}
