// Slows down guessing and hammering of household access codes: wrong codes are counted per client address and
// uses of a right code per code, in the database (rate-limiter-flexible's PostgreSQL store, the sign-in counts'
// table, pruned with them), so the limits hold across server nodes. Over the address limit every code from that
// address is refused, right ones too, until the window ends; over a code's limit, that code is refused a while.
import type { Response } from 'express';
import type { RateLimiterPostgres } from 'rate-limiter-flexible';
import type { Db } from '../db/database.ts';
import { attemptCounter, countAttempt, TooManyAttemptsError } from '../auth/login-throttle.ts';
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
  /** Addresses this node found over the limit, with when their window ends (ms): refused without a database round trip. */
  private readonly blocked = new Map<string, number>();

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
