// Runs the vehicle router off the request thread: a routing problem (or a re-plan of routes under
// way) in, a solution out, for each job it is sent (a dispatch sends one per warehouse).
import { parentPort } from 'node:worker_threads';
import { solveRouting, type RoutingSolution, type SolveOptions } from '../../solver/routing/solve.ts';
import { replanRoutes, type CurrentPlan, type ReplanEvent, type ReplanResult } from '../../solver/routing/replan.ts';
import type { RoutingProblem } from '../../solver/routing/problem.ts';
import { answerOf } from '../workers/ts-worker.ts';

export type RouterJob =
  | { op: 'solve'; problem: RoutingProblem; options: SolveOptions }
  | { op: 'replan'; current: CurrentPlan; event: ReplanEvent; options: SolveOptions };

parentPort!.on('message', async (job: RouterJob) => {
  parentPort!.postMessage(await answerOf<RoutingSolution | ReplanResult>(() => (job.op === 'solve' ? solveRouting(job.problem, job.options) : replanRoutes(job.current, job.event, job.options))));
});
