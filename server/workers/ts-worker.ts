// Worker threads that run TypeScript modules: Node 20 workers do not inherit the `--import tsx`
// loader hooks (nor vitest's transforms), so each worker registers tsx itself, then imports its module.
// A job's error crosses the thread as plain data; the solver's typed errors are rebuilt on this side so
// that they still answer 400 or 422 (http/errors.ts), not 500.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { InvalidProblemError, UnsolvableError } from '../../solver/errors.ts';

export function startTsWorker(module: URL, options: WorkerOptions = {}): Worker {
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
    .then(({ register }) => { register(); return import(${JSON.stringify(module.href)}); })`;
  return new Worker(boot, { ...options, eval: true });
}

type ThrownError = { kind: 'error'; name: string; message: string; field?: string; reason?: string };

export type WorkerMessage<R> = { kind: 'result'; value: R } | ThrownError;

/** Inside a worker: runs the job and answers with its result, or with what it threw as plain data. */
export async function answerOf<R>(job: () => Promise<R>): Promise<WorkerMessage<R>> {
  try {
    return { kind: 'result', value: await job() };
  } catch (error) {
    const e = error as Error & { field?: string; reason?: string };
    return { kind: 'error', name: e.name, message: e.message, field: e.field, reason: e.reason };
  }
}

/** The error a worker threw, as its own class when it is one of the solver's typed errors. */
function rebuild({ name, message, field, reason }: ThrownError): Error {
  if (name === 'InvalidProblemError') return new InvalidProblemError(field ?? 'problem', reason ?? message);
  if (name === 'UnsolvableError') return new UnsolvableError(reason ?? message, field);
  return Object.assign(new Error(message), { name });
}

/**
 * Runs many jobs of one module (which answers every message it gets) on up to `threads` workers started
 * for them, each taking the next job as it finishes one: give the longest first. Resolves with the results
 * in the jobs' order once all are done, or rejects with the first error; the workers end either way.
 */
export async function runAllInWorkers<I, R>(module: URL, inputs: I[], threads: number): Promise<R[]> {
  const results = new Array<R>(inputs.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(threads, inputs.length)) }, () => startTsWorker(module));
  const drain = async (worker: Worker) => {
    for (let i = next++; i < inputs.length; i = next++) {
      results[i] = await new Promise<R>((resolve, reject) => {
        const settle = (message: WorkerMessage<R>) => {
          worker.off('error', reject);
          if (message.kind === 'result') resolve(message.value);
          else reject(rebuild(message));
        };
        worker.once('message', settle);
        worker.once('error', reject);
        worker.postMessage(inputs[i]);
      });
    }
  };
  try {
    await Promise.all(workers.map(drain));
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return results;
}

/**
 * Runs one job in a fresh worker and resolves with its result; the worker ends with the job. The input is sent
 * (copied) before this returns and not kept: no closure waiting for the answer holds it.
 */
export function runInWorker<I, R>(module: URL, input: I): Promise<R> {
  const worker = startTsWorker(module);
  const answer = new Promise<R>((resolve, reject) => {
    worker.once('message', (message: WorkerMessage<R>) => {
      void worker.terminate();
      if (message.kind === 'result') resolve(message.value);
      else reject(rebuild(message));
    });
    worker.once('error', reject);
  });
  worker.postMessage(input);
  return answer;
}
