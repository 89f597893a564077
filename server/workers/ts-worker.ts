// Worker threads that run TypeScript modules: Node 20 workers do not inherit the `--import tsx`
// loader hooks (nor vitest's transforms), so each worker registers tsx itself, then imports its module.
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startTsWorker(module: URL, options: WorkerOptions = {}): Worker {
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
    .then(({ register }) => { register(); return import(${JSON.stringify(module.href)}); })`;
  return new Worker(boot, { ...options, eval: true });
}

export type WorkerMessage<R> = { kind: 'result'; value: R } | { kind: 'error'; name: string; message: string; field?: string; reason?: string };

/** Runs one job in a fresh worker and resolves with its result; the worker ends with the job. */
export function runInWorker<I, R>(module: URL, input: I): Promise<R> {
  return new Promise((resolve, reject) => {
    const worker = startTsWorker(module);
    worker.once('message', (message: WorkerMessage<R>) => {
      void worker.terminate();
      if (message.kind === 'result') resolve(message.value);
      else reject(Object.assign(new Error(message.message), message));
    });
    worker.once('error', reject);
    worker.postMessage(input);
  });
}
