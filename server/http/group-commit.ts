// Group commit with admission control: requests wait in a bounded queue, a few milliseconds at most, and
// are written together by one call (one transaction); each is answered once that call has resolved, that
// is once its batch has committed. A newcomer who fits in the next batch is always taken (joining a batch
// costs little); one who would wait behind full batches longer than a bound is refused at once (503 with
// Retry-After), so a burst meets backpressure before the server degrades; one queued behind full batches
// that has waited longer than the bound all the same (the batches ahead were slower than expected) is
// refused when its turn comes, rather than served late.
import { BusyError } from '../http/errors.ts';

export interface GroupCommitLimits {
  /** Requests written by one call at most. */
  maxBatch: number;
  /** How long the first request of an idle queue waits for company, in ms. */
  lingerMs: number;
  /** Requests queued at most (memory stays bounded whatever arrives). */
  maxQueued: number;
  /** Refuse a newcomer who would wait longer than this behind full batches (their count × recent batch time), in ms. */
  maxWaitMs: number;
  /** Batches written at once (1 on PGlite, which has one connection). */
  concurrency: number;
}

interface Waiting<Q, A> {
  request: Q;
  resolve: (answer: A) => void;
  reject: (error: unknown) => void;
  /** When it queued (performance.now()), if it queued behind full batches (else it is always served). */
  behindSince?: number;
}

export class GroupCommit<Q, A> {
  private queue: Waiting<Q, A>[] = [];
  private writing = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Recent time to write one batch, in ms (moving average), for the expected wait. */
  private msPerBatch = 0;
  /** Requests refused as busy since start. */
  refused = 0;

  constructor(
    private readonly write: (requests: Q[]) => Promise<A[]>,
    private readonly limits: GroupCommitLimits,
  ) {}

  get queued(): number {
    return this.queue.length;
  }

  submit(request: Q): Promise<A> {
    const fullBatchesAhead = Math.floor(this.queue.length / (this.limits.maxBatch * this.limits.concurrency));
    const expectedWaitMs = fullBatchesAhead * this.msPerBatch;
    if (this.queue.length >= this.limits.maxQueued || expectedWaitMs > this.limits.maxWaitMs) {
      this.refused++;
      return Promise.reject(new BusyError(Math.max(1, Math.ceil(expectedWaitMs / 1000))));
    }
    return new Promise<A>((resolve, reject) => {
      this.queue.push({ request, resolve, reject, behindSince: fullBatchesAhead > 0 ? performance.now() : undefined });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.writing >= this.limits.concurrency || this.timer) return;
    if (this.queue.length >= this.limits.maxBatch) return void this.flush();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.limits.lingerMs);
  }

  /**
   * Whoever queued behind full batches and has waited longer than maxWaitMs (the batches ahead were slower
   * than expected) is refused now (503, Retry-After) rather than served late: the wait stays bounded.
   */
  private refuseLate(): void {
    const now = performance.now();
    const late = (w: Waiting<Q, A>) => w.behindSince !== undefined && now - w.behindSince > this.limits.maxWaitMs;
    if (!this.queue.some(late)) return;
    const retryS = Math.max(1, Math.ceil(this.limits.maxWaitMs / 1000));
    this.queue = this.queue.filter((w) => {
      if (!late(w)) return true;
      this.refused++;
      w.reject(new BusyError(retryS));
      return false;
    });
  }

  private async flush(): Promise<void> {
    if (this.writing >= this.limits.concurrency) return;
    this.refuseLate();
    if (this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.limits.maxBatch);
    this.writing++;
    const start = performance.now();
    try {
      const answers = await this.write(batch.map((w) => w.request));
      batch.forEach((w, i) => w.resolve(answers[i]!));
    } catch (error) {
      for (const w of batch) w.reject(error);
    } finally {
      this.writing--;
      this.msPerBatch = 0.8 * this.msPerBatch + 0.2 * (performance.now() - start);
      // Whoever queued meanwhile has waited a whole batch already: no linger for them.
      if (this.queue.length > 0) void this.flush();
    }
  }
}
