// Solves as durable jobs: plans, dispatches and re-plans are queued in the database (pg-boss, over the
// same `Db` as everything else, PGlite or a PostgreSQL server) and run by any process that takes jobs —
// a server node, or `lifeline worker` on another machine sharing the database. A job whose process died
// is retried, not failed: on PGlite (one process) every job left active at start; on a server every
// active job whose runner's advisory lock is free. A job's writes carry the audit context of the request
// that started it. A request may wait for its job's answer; past the wait it answers 202 with the job.
import { EventEmitter } from 'node:events';
import PgBoss from 'pg-boss';
import { atFirstCommit, transactionSettings, type Db, type Queryable, type Tx } from '../db/database.ts';
import { HttpError, NotFoundError, toHttpError } from '../http/errors.ts';
import { Reply } from '../http/reply.ts';
import type { SignedInUser } from '../auth/roles.ts';
import { activeJobs, holdJobLock, jobLockIsFree, queueOfJob } from './jobs.repo.ts';
import type { JobError, JobKind, JobState, JobView } from './jobs.schema.ts';
import { jobKinds } from './jobs.schema.ts';

export interface JobOptions {
  /** Whether this process runs jobs (a server may leave them to `lifeline worker` processes). */
  process: boolean;
  /** Jobs of each kind this process runs at once. */
  concurrency: number;
  /** How long a request waits for its job's answer before answering 202 with the job. */
  waitMs: number;
  /** How often an idle runner looks for jobs queued by another process. */
  pollMs: number;
  /** The schema pg-boss keeps its tables in. */
  schema: string;
}

export const defaultJobOptions: JobOptions = { process: true, concurrency: 2, waitMs: 60_000, pollMs: 1000, schema: 'pgboss' };

/** What a job carries: its plan, its input, who started it and the audit context of that request. */
interface JobData {
  planId: number;
  input: unknown;
  by: number;
  settings?: Record<string, string>;
}

/** A job's stored output: the handler's value, or the refusal a client can act on (not retried). */
type Output = { value: unknown } | { error: JobError };

export interface JobRun {
  id: string;
  planId: number;
  /** Whether an earlier run of this job was cut short (its process stopped): the work may be done already. */
  retried: boolean;
}

export type JobHandler = (input: any, run: JobRun) => Promise<unknown>;

/** How long a started job may stay active before pg-boss itself gives it up (the lock check finds dead ones much sooner). */
const EXPIRE_S = 2 * 3600;
/** A job must have been active this long before another process may judge its runner dead (it takes its lock at once). */
const GRACE_S = 10;
const SUPERVISE_MS = 15_000;
const RETRIES = 3;

export class JobQueue {
  private readonly boss: PgBoss;
  private readonly handlers = new Map<JobKind, JobHandler>();
  private readonly running = new Set<string>();
  private readonly finished = new EventEmitter().setMaxListeners(0);
  private readonly sleepers = new Map<JobKind, Set<() => void>>();
  private starting: Promise<void> | undefined;
  private loops: Promise<void>[] = [];
  private supervisor: NodeJS.Timeout | undefined;
  private stopping = false;
  readonly options: JobOptions;

  constructor(
    readonly db: Db,
    options: Partial<JobOptions> = {},
  ) {
    this.options = { ...defaultJobOptions, ...options };
    this.boss = new PgBoss({ db: adapter(db), schema: this.options.schema, schedule: false, supervise: true });
    this.boss.on('error', (error: Error) => console.error('jobs:', error.message));
  }

  /** Who runs jobs of a kind, in the processes that run jobs. */
  handle(kind: JobKind, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  /**
   * The queue's tables and queues, then (in a process that runs jobs) jobs left by a stopped process retried
   * and the runners started. Started outside any request, so no runner inherits one's audit context.
   */
  ready(): Promise<void> {
    this.starting ??= transactionSettings.exit(() => atFirstCommit.exit(() => this.launch()));
    return this.starting;
  }

  private async launch(): Promise<void> {
    await this.boss.start();
    for (const kind of jobKinds) {
      await this.boss.createQueue(kind, { name: kind, policy: 'standard', retryLimit: RETRIES, expireInSeconds: EXPIRE_S }).catch(async (error: Error) => {
        // Two processes starting at once both try; one wins.
        if (!(await this.boss.getQueue(kind))) throw error;
      });
    }
    if (!this.options.process) return;
    await this.retryOrphans(this.db.kind === 'pglite' ? 0 : GRACE_S);
    for (const kind of jobKinds) for (let i = 0; i < this.options.concurrency; i++) this.loops.push(this.runLoop(kind));
    this.supervisor = setInterval(() => void this.retryOrphans(GRACE_S).catch((e: Error) => console.error('jobs: supervising failed:', e.message)), SUPERVISE_MS);
    this.supervisor.unref();
  }

  /** Queues a job inside the caller's transaction (so it exists exactly when the change does); `wake` it after commit. */
  async send(kind: JobKind, planId: number, input: unknown, by: number, tx: Tx): Promise<string> {
    if (!this.starting) throw new Error('jobs: call ready() before opening the transaction that queues a job');
    const data: JobData = { planId, input, by, settings: transactionSettings.getStore() };
    const id = await this.boss.send(kind, data as unknown as object, { db: adapter(tx) });
    if (!id) throw new Error(`jobs: the ${kind} job was not queued`);
    return id;
  }

  /** Tells this process's idle runners of a kind that a job is waiting (others find it by polling). */
  wake(kind: JobKind): void {
    for (const wake of this.sleepers.get(kind) ?? []) wake();
  }

  /**
   * Queues a job in a transaction of its own and waits for its answer up to the configured time: the value,
   * the refusal it ended with (thrown as the same HTTP error), or 202 with the job to follow.
   */
  async startAndWait(kind: JobKind, planId: number, input: unknown, user: SignedInUser): Promise<unknown> {
    await this.ready();
    const id = await this.db.transaction((tx) => this.send(kind, planId, input, user.id, tx));
    this.wake(kind);
    const job = await this.settled(id, this.options.waitMs);
    if (job.state === 'queued' || job.state === 'running') return new Reply(202, { job, url: `/api/jobs/${id}` });
    return valueOf(job);
  }

  /** The job once it has settled (done or failed), or as it stands after `waitMs`. */
  async settled(id: string, waitMs = Infinity): Promise<JobView> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const job = await this.find(id);
      if (!job) throw new NotFoundError('job', id);
      if (job.state === 'done' || job.state === 'failed' || Date.now() >= deadline) return job;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.finished.off(id, done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(this.options.pollMs, Math.max(0, deadline - Date.now())));
        this.finished.on(id, done);
      });
    }
  }

  /** A job as its starter (or an admin) sees it; anyone else is told it does not exist. */
  async viewFor(id: string, user: SignedInUser): Promise<JobView> {
    await this.ready();
    const job = await this.find(id);
    if (!job || (job.startedBy !== user.id && user.role !== 'admin')) throw new NotFoundError('job', id);
    return job;
  }

  private async find(id: string): Promise<JobView | undefined> {
    const kind = (await queueOfJob(this.db, this.options.schema, id)) as JobKind | undefined;
    const job = kind && (await this.boss.getJobById<JobData>(kind, id, { includeArchive: true }));
    return job ? viewOf(kind, job) : undefined;
  }

  /** Stops taking jobs; jobs still running here are handed back at once, to be retried by whoever takes jobs next. */
  async stop(): Promise<void> {
    if (!this.starting) return;
    await this.starting.catch(() => undefined);
    this.stopping = true;
    clearInterval(this.supervisor);
    for (const sleepers of this.sleepers.values()) for (const wake of sleepers) wake();
    for (const id of this.running) {
      const kind = (await queueOfJob(this.db, this.options.schema, id).catch(() => undefined)) as JobKind | undefined;
      if (kind) await this.boss.fail(kind, id, { message: 'the process running it stopped' }).catch(() => undefined);
    }
    await this.boss.stop({ graceful: false, close: false });
  }

  /** Resolves when every runner loop has ended (after stop). */
  async drained(): Promise<void> {
    await Promise.all(this.loops);
  }

  private async runLoop(kind: JobKind): Promise<void> {
    while (!this.stopping) {
      const [job] = await this.boss.fetch<JobData>(kind, { batchSize: 1, includeMetadata: true }).catch((error: Error) => {
        console.error(`jobs: fetching a ${kind} job failed:`, error.message);
        return [];
      });
      if (job) await this.run(kind, job);
      else await this.sleep(kind);
    }
  }

  private sleep(kind: JobKind): Promise<void> {
    const sleepers = this.sleepers.get(kind) ?? new Set();
    this.sleepers.set(kind, sleepers);
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, this.options.pollMs);
      sleepers.add(wake);
    });
  }

  private async run(kind: JobKind, job: PgBoss.JobWithMetadata<JobData>): Promise<void> {
    this.running.add(job.id);
    const handler = this.handlers.get(kind);
    let output: Output;
    let crashed: Error | undefined;
    const release = await holdJobLock(this.db, job.id);
    try {
      if (!handler) throw new Error(`no handler for ${kind} jobs in this process`);
      const { planId, input, settings } = job.data;
      const work = () => handler(input, { id: job.id, planId, retried: job.retryCount > 0 });
      output = { value: (await (settings ? transactionSettings.run(settings, work) : work())) ?? null };
    } catch (error) {
      const known = toHttpError(error);
      if (known && known.status < 500) output = { error: { status: known.status, code: known.code, title: known.title, detail: known.message, extra: known.extra } };
      else crashed = error as Error;
    } finally {
      await release();
      this.running.delete(job.id);
    }
    try {
      // A crash is retried (up to RETRIES); a refusal is the job's answer.
      if (crashed) await this.boss.fail(kind, job.id, { message: crashed.message });
      else await this.boss.complete(kind, job.id, output! as object);
    } catch (error) {
      if (!this.stopping) console.error(`jobs: recording the end of ${kind} job ${job.id} failed:`, (error as Error).message);
    }
    if (crashed) console.error(`jobs: ${kind} job ${job.id} failed (retried while attempts remain):`, crashed);
    this.finished.emit(job.id);
  }

  /** Jobs left active by a process that stopped, handed back to be retried. */
  private async retryOrphans(graceS: number): Promise<void> {
    for (const job of await activeJobs(this.db, this.options.schema, [...jobKinds], graceS)) {
      if (this.running.has(job.id) || !(await jobLockIsFree(this.db, job.id))) continue;
      await this.boss.fail(job.name, job.id, { message: 'the process running it stopped; retried' });
      this.wake(job.name as JobKind);
    }
  }
}

/** pg-boss's database adapter over ours: its locked scripts (BEGIN; …; COMMIT) run whole, everything else as one statement. */
function adapter(db: Queryable & Partial<Pick<Db, 'exec'>>): PgBoss.Db {
  return {
    async executeSql(text: string, values?: unknown[]) {
      if (db.exec && /^\s*BEGIN\s*;/i.test(text)) {
        await db.exec(text);
        return { rows: [] };
      }
      return { rows: await db.query(text, values) };
    },
  };
}

const states: Record<string, JobState> = { created: 'queued', retry: 'queued', active: 'running', completed: 'done', cancelled: 'failed', failed: 'failed' };

function viewOf(kind: JobKind, job: PgBoss.JobWithMetadata<JobData>): JobView {
  const output = job.output as Output | { message?: string } | null;
  const refused = output && 'error' in output ? output.error : undefined;
  const crashed = job.state === 'failed' || job.state === 'cancelled';
  return {
    id: job.id,
    kind,
    planId: job.data.planId,
    state: refused ? 'failed' : states[job.state]!,
    attempts: job.retryCount + (job.startedOn ? 1 : 0),
    createdAt: new Date(job.createdOn).toISOString(),
    startedAt: job.startedOn ? new Date(job.startedOn).toISOString() : null,
    finishedAt: job.completedOn ? new Date(job.completedOn).toISOString() : null,
    startedBy: job.data.by,
    result: output && 'value' in output && job.state === 'completed' ? output.value : null,
    error: refused
      ? refused
      : crashed
        ? { status: 500, code: 'internal', title: 'Internal error', detail: 'the job failed on every attempt; start it again', extra: {} }
        : null,
  };
}

/** A settled job's value, or its refusal thrown again as the HTTP error it was. */
function valueOf(job: JobView): unknown {
  if (!job.error) return job.result;
  throw new HttpError(job.error.status, job.error.code, job.error.title, job.error.detail, job.error.extra);
}
