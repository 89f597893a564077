// Load shedding at the door. Before a request's body is read, before sign-in is looked up and before any
// other work, it is refused (503, Retry-After, problem+json) while the event loop runs late or more
// requests are in hand than the server finishes in the target time, so that those taken are answered in
// bounded time and a rush never brings the server down. Callers come in lanes, so that the public's rush
// cannot lock staff out.
import type { Request, RequestHandler } from 'express';
import { BusyError } from './errors.ts';

/**
 * - public: everyone else; shed when the loop is late or more is in hand than it finishes in the target time;
 * - staff: a session known to be live; its own budget, never shed for lateness (the rush is not theirs);
 * - sign-in: signing in, or a token not yet known; a small budget of its own, so a flood of forged tokens
 *   fills only that;
 * - always: the health check, which a load balancer must still reach.
 */
export type Lane = 'public' | 'staff' | 'sign-in' | 'always';

export interface OverloadLimits {
  /** The public lane is shed while the event loop runs later than this, in ms. */
  maxDelayMs: number;
  /**
   * The public lane takes no more requests at once than it finishes in this time, in ms (Little's law: in
   * hand = finished per second × time in hand), so that a slow database or a starved CPU shrinks the queue
   * inside the server instead of lengthening everyone's wait.
   */
  targetMs: number;
  /** The public lane's budget never shrinks below this (a quiet server has measured nothing yet). */
  minInFlight: number;
  /** Requests in hand at once at most, per lane (memory stays bounded). */
  maxInFlight: Record<Exclude<Lane, 'always'>, number>;
}

export const defaultOverloadLimits: OverloadLimits = {
  maxDelayMs: 100,
  targetMs: 250,
  minInFlight: 32,
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

/** Requests finished per second, over the last quarter seconds (smoothed). */
class Throughput {
  private count = 0;
  private since = performance.now();
  private rate = 0;

  finished(): void {
    this.count++;
  }

  perS(): number {
    const now = performance.now();
    if (now - this.since >= 250) {
      this.rate = 0.5 * this.rate + (0.5 * this.count * 1000) / (now - this.since);
      this.count = 0;
      this.since = now;
    }
    return this.rate;
  }
}

/** Seconds to come back after: spread over a few, so that the refused do not all return at the same moment. */
const retryAfterS = (delayMs: number) => Math.ceil(delayMs / 1000) + 1 + Math.floor(Math.random() * 3);

export function shedLoad(limits: OverloadLimits, laneOf: (req: Request) => Lane): RequestHandler {
  loop ??= new LoopDelay();
  const delay = loop;
  const inFlight: Record<Lane, number> = { public: 0, staff: 0, 'sign-in': 0, always: 0 };
  const publicDone = new Throughput();
  const budget = (lane: Exclude<Lane, 'always'>) =>
    lane === 'public' ? Math.min(limits.maxInFlight.public, Math.max(limits.minInFlight, (publicDone.perS() * limits.targetMs) / 1000)) : limits.maxInFlight[lane];
  return (req, res, next) => {
    const lane = laneOf(req);
    if (lane !== 'always') {
      const late = lane === 'public' ? delay.ms : 0;
      if (late > limits.maxDelayMs || inFlight[lane] >= budget(lane)) return next(new BusyError(retryAfterS(late)));
    }
    inFlight[lane]++;
    res.once('close', () => {
      inFlight[lane]--;
      if (lane === 'public') publicDone.finished();
    });
    next();
  };
}
