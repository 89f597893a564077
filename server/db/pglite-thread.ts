// The main thread's side of the PGlite worker (pglite.worker.ts): numbered requests and their answers,
// errors rebuilt with their PostgreSQL fields, and a worker that stops answered with an error, not a hang.
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../workers/ts-worker.ts';
import type { ErrorData, PgliteAnswer, PgliteRequest, PgliteWorkerData } from './pglite.worker.ts';

type WithoutId<R> = R extends unknown ? Omit<R, 'id'> : never;

/** A request as the caller words it (the thread numbers it). */
export type PgliteCall = WithoutId<PgliteRequest>;

export interface PgliteThread {
  /** The thread itself (a test ends it to play a crash). */
  readonly worker: Worker;
  call<T = unknown>(request: PgliteCall): Promise<T>;
  /** Closes PGlite (its files left whole), then ends the worker. */
  close(): Promise<void>;
}

/** The worker's error as an Error with the same message, name and fields (code = SQLSTATE, constraint…). */
function rebuild({ message, name, ...fields }: ErrorData): Error {
  return Object.assign(new Error(message), fields, { name });
}

interface Waiter {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export function startPgliteThread(dataDir?: string): Promise<PgliteThread> {
  const worker: Worker = startTsWorker(new URL('./pglite.worker.ts', import.meta.url), { workerData: { dataDir } satisfies PgliteWorkerData });
  const pending = new Map<number, Waiter>();
  let lastId = 0;
  let stopped: Error | undefined;

  // The worker keeps the process alive only while it owes an answer, as PGlite on the main thread would.
  worker.unref();
  const settle = (id: number, answer: (waiter: Waiter) => void) => {
    const waiter = pending.get(id);
    if (!waiter) return;
    pending.delete(id);
    if (pending.size === 0) worker.unref();
    answer(waiter);
  };
  const wait = (id: number, waiter: Waiter) => {
    if (pending.size === 0) worker.ref();
    pending.set(id, waiter);
  };
  const send = (request: PgliteCall): Promise<unknown> => {
    if (stopped) return Promise.reject(stopped);
    const id = ++lastId;
    return new Promise((resolve, reject) => {
      wait(id, { resolve, reject });
      try {
        worker.postMessage({ ...request, id } as PgliteRequest);
      } catch (error) {
        // A parameter that cannot cross threads (a function, say) fails this statement only.
        settle(id, (waiter) => waiter.reject(error));
      }
    });
  };
  const stop = (error: Error) => {
    stopped ??= error;
    for (const id of [...pending.keys()]) settle(id, ({ reject }) => reject(stopped!));
  };

  worker.on('message', (answer: PgliteAnswer) => settle(answer.id, ({ resolve, reject }) => (answer.ok ? resolve(answer.value) : reject(rebuild(answer.error)))));
  worker.on('error', (error) => stop(Object.assign(new Error(`the PGlite worker failed: ${error.message}`), { cause: error })));
  worker.on('exit', (code) => stop(new Error(`the PGlite worker stopped (exit code ${code})`)));

  const thread: PgliteThread = {
    worker,
    call: <T>(request: PgliteCall) => send(request) as Promise<T>,
    close: async () => {
      if (stopped) return;
      try {
        await send({ op: 'close' });
      } finally {
        stop(new Error('the database is closed'));
        await worker.terminate();
      }
    },
  };
  // Answer 0 is the start: PGlite ready, or the error it failed with.
  return new Promise((resolve, reject) => {
    wait(0, { resolve: () => resolve(thread), reject: (error) => void worker.terminate().finally(() => reject(error)) });
  });
}
