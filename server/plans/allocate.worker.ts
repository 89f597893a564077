// Runs the allocation optimizer off the request thread: one problem in, one plan out.
import { parentPort } from 'node:worker_threads';
import { allocate } from '../../solver/allocation/allocate.ts';
import type { AllocateOptions, AllocationProblem } from '../../solver/allocation/problem.ts';
import { answerOf } from '../workers/ts-worker.ts';

parentPort!.once('message', async ({ problem, options }: { problem: AllocationProblem; options: AllocateOptions }) => {
  parentPort!.postMessage(await answerOf(() => allocate(problem, options)));
});
