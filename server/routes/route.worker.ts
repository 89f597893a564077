// Runs the vehicle router off the request thread: one routing problem in, one solution out.
import { parentPort } from 'node:worker_threads';
import { solveRouting, type RoutingSolution, type SolveOptions } from '../../solver/routing/solve.ts';
import type { RoutingProblem } from '../../solver/routing/problem.ts';
import type { WorkerMessage } from '../workers/ts-worker.ts';

parentPort!.once('message', async ({ problem, options }: { problem: RoutingProblem; options: SolveOptions }) => {
  let answer: WorkerMessage<RoutingSolution>;
  try {
    answer = { kind: 'result', value: await solveRouting(problem, options) };
  } catch (error) {
    const e = error as Error & { field?: string; reason?: string };
    answer = { kind: 'error', name: e.name, message: e.message, field: e.field, reason: e.reason };
  }
  parentPort!.postMessage(answer);
});
