// Runs the vehicle router off the request thread: a routing problem (or a re-plan of routes under
// way) in, a solution out.
import { parentPort } from 'node:worker_threads';
import { solveRouting, type RoutingSolution, type SolveOptions } from '../../solver/routing/solve.ts';
import { replanRoutes, type CurrentPlan, type ReplanEvent, type ReplanResult } from '../../solver/routing/replan.ts';
import type { RoutingProblem } from '../../solver/routing/problem.ts';
import type { WorkerMessage } from '../workers/ts-worker.ts';

export type RouterJob =
  | { op: 'solve'; problem: RoutingProblem; options: SolveOptions }
  | { op: 'replan'; current: CurrentPlan; event: ReplanEvent; options: SolveOptions };

parentPort!.once('message', async (job: RouterJob) => {
  let answer: WorkerMessage<RoutingSolution | ReplanResult>;
  try {
    const value = job.op === 'solve' ? await solveRouting(job.problem, job.options) : await replanRoutes(job.current, job.event, job.options);
    answer = { kind: 'result', value };
  } catch (error) {
    const e = error as Error & { field?: string; reason?: string };
    answer = { kind: 'error', name: e.name, message: e.message, field: e.field, reason: e.reason };
  }
  parentPort!.postMessage(answer);
});
