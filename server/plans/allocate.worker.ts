// Runs the allocation optimizer off the request thread: one problem in, one plan out.
import { parentPort } from 'node:worker_threads';
import { allocate } from '../../solver/allocation/allocate.ts';
import type { AllocateOptions, AllocationProblem, Plan } from '../../solver/allocation/problem.ts';
import type { WorkerMessage } from '../workers/ts-worker.ts';

parentPort!.once('message', async ({ problem, options }: { problem: AllocationProblem; options: AllocateOptions }) => {
  let answer: WorkerMessage<Plan>;
  try {
    answer = { kind: 'result', value: await allocate(problem, options) };
  } catch (error) {
    const e = error as Error & { field?: string; reason?: string };
    answer = { kind: 'error', name: e.name, message: e.message, field: e.field, reason: e.reason };
  }
  parentPort!.postMessage(answer);
});
