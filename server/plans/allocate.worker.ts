// Runs the allocation optimizer off the request thread: one problem in, one plan out. Garbage is collected after
// the solve and before the plan is sent, so that the solver's memory is not still held while the plan is built and
// copied to the server (see collectGarbage).
import { parentPort } from 'node:worker_threads';
import { planOf, solveAllocation } from '../../solver/allocation/allocate.ts';
import type { AllocateOptions, AllocationProblem } from '../../solver/allocation/problem.ts';
import { answerOf } from '../workers/ts-worker.ts';
import { collectGarbage } from '../workers/collect-garbage.ts';

parentPort!.once('message', async ({ problem, options }: { problem: AllocationProblem; options: AllocateOptions }) => {
  const answer = await answerOf(async () => {
    const solved = await solveAllocation(problem, options);
    await collectGarbage();
    return planOf(problem, solved, options);
  });
  await collectGarbage();
  parentPort!.postMessage(answer);
});
