// Load shedding at the door. Before a request's body is read, before sign-in is looked up and before any
// other work, it is refused (503, Retry-After, problem+json) while the event loop runs late or too many
// requests are already in hand, so that those taken are answered in bounded time and a rush never brings
// the server down. Callers come in lanes, so that the public's rush cannot lock staff out.
import type { Request, RequestHandler } from 'express';
import { BusyError } from './errors.ts';

/**
 * - public: everyone else; shed when the loop is late or the lane is full;
 * - staff: a session known to be live; its own budget, never shed for lateness (the rush is not theirs);
 * - sign-in: signing in, or a token not yet known; a small budget of its own, so a flood of forged tokens
 *   fills only that;
 * - always: the health check, which a load balancer must still reach.
 */
export type Lane = 'public' | 'staff' | 'sign-in' | 'always';

export interface OverloadLimits {
  /** The public lane is shed while the event loop runs later than this, in ms. */
  maxDelayMs: number;
  /** Requests in hand at once, per lane. */
  maxInFlight: Record<Exclude<Lane, 'always'>, number>;
}

export const defaultOverloadLimits: OverloadLimits = {
  maxDelayMs: 100,
  maxInFlight: { public: 1000, staff: 200, 'sign-in': 32 },
};

const TICK_MS = 10;

/**
 * How late the event loop runs: a timer every 10 ms notes how late it fired, smoothed over the last few
 * firings, so that a lasting backlog sheds while one pause (the garbage collector, a long statement's
 * answer) does not.
 */
class LoopDelay {
  private last = performance.now();
  /** The smoothed lateness, in ms. */
  ms = 0;

  constructor() {
    setInterval(() => {
      const now = performance.now();
      this.ms = 0.7 * this.ms + 0.3 * Math.max(0, now - this.last - TICK_MS);
      this.last = now;
    }, TICK_MS).unref();
  }
}

let loop: LoopDelay | undefined;

/** Seconds to come back after: spread over a few, so that the refused do not all return at the same moment. */
const retryAfterS = (delayMs: number) => Math.ceil(delayMs / 1000) + 1 + Math.floor(Math.random() * 3);

export function shedLoad(limits: OverloadLimits, laneOf: (req: Request) => Lane): RequestHandler {
  loop ??= new LoopDelay();
  const delay = loop;
  const inFlight: Record<Lane, number> = { public: 0, staff: 0, 'sign-in': 0, always: 0 };
  return (req, res, next) => {
    const lane = laneOf(req);
    if (lane !== 'always') {
      const late = lane === 'public' ? delay.ms : 0;
      if (late > limits.maxDelayMs || inFlight[lane] >= limits.maxInFlight[lane]) return next(new BusyError(retryAfterS(late)));
    }
    inFlight[lane]++;
    res.once('close', () => inFlight[lane]--);
    next();
  };
}
