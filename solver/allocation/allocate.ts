// `allocate(problem, options) → plan`: validate once, build the candidate arcs, solve the
// lexicographic model on the fast flow path or by LP, hand out lots FEFO, explain and measure.
import { UnsolvableError } from '../errors.ts';
import { explainUnmet } from './explain.ts';
import { SimplexStalled } from './flow/network-simplex.ts';
import { fefoAllocations } from './fefo.ts';
import { canUseFlowPath, solveByFlow } from './flow-path.ts';
import { classesOf, spreadOverMembers } from './classes.ts';
import { buildInstance, type Instance } from './instance.ts';
import { solveByLp } from './lp-path.ts';
import { fulfilmentOf, planMetrics } from './metrics.ts';
import type { AllocateOptions, AllocationProblem, Backend, Plan } from './problem.ts';
import type { StagedSolution } from './stages.ts';
import { validateProblem } from './validate.ts';
import { wholeUnits } from './whole-units.ts';

export async function allocate(problem: AllocationProblem, options: AllocateOptions): Promise<Plan> {
  return planOf(problem, await solveAllocation(problem, options), options);
}

/** The optimum found for a problem, per need and arc, before lots are handed out (see planOf). */
export interface SolvedAllocation {
  inst: Instance;
  staged: StagedSolution;
  /** Classes of needs solved as one (needs when not grouped). */
  classes: number;
  /** When solving started (performance.now()), for the plan's time. */
  start: number;
}

/**
 * allocate's first half: the staged optimum. Apart from planOf so that a caller may let the solver's memory go
 * in between (the server's worker does, before a district's plan is built).
 */
export async function solveAllocation(problem: AllocationProblem, options: AllocateOptions): Promise<SolvedAllocation> {
  validateProblem(problem);
  const start = performance.now();
  const inst = buildInstance(problem);
  const classes = options.classes === false ? undefined : classesOf(inst);
  const solved = await solveStages(classes?.instance ?? inst, options);
  const staged = classes ? { ...solved, x: spreadOverMembers(inst, classes, solved.x, solved.tierFloors) } : solved;
  return { inst, staged, classes: classes?.members.length ?? inst.needs.length, start };
}

/** allocate's second half: lots handed out FEFO (in whole units if asked), unmet needs explained, metrics. */
export function planOf(problem: AllocationProblem, { inst, staged, classes, start }: SolvedAllocation, options: AllocateOptions): Plan {
  const fefo = fefoAllocations(inst, staged.x);
  const allocations = options.wholeUnits ? wholeUnits(problem, fefo) : fefo;
  const fulfilment = fulfilmentOf(inst, allocations);
  return {
    allocations,
    fulfilment,
    unmet: explainUnmet(inst, allocations),
    metrics: planMetrics(inst, problem, fulfilment, allocations, staged),
    solver: {
      backend: staged.backend,
      route: routeReason(inst, options.backend ?? 'auto', staged.backend),
      ms: performance.now() - start,
      variables: staged.variables,
      optimal: staged.stopped === undefined,
      ...(staged.stopped ? { stopped: staged.stopped } : {}),
      classes,
      stages: { tierFloors: staged.tierFloors, weightedFulfilment: staged.weightedFulfilment, totalTravel: staged.totalTravel },
    },
  };
}

/** Solves the staged model on the path the options and the instance allow (exported for benchmarks). */
export async function solveStages(inst: Instance, options: AllocateOptions): Promise<StagedSolution> {
  const backend = options.backend ?? 'auto';
  const priceOfFairness = options.priceOfFairness ?? true;
  const flowAllowed = canUseFlowPath(inst);
  if (backend === 'flow' && !flowAllowed) {
    throw new UnsolvableError(`the flow path cannot take this problem: ${routeReason(inst, 'auto')}`, 'backend');
  }
  if (backend === 'flow' || (backend === 'auto' && flowAllowed)) {
    try {
      return solveByFlow(inst, priceOfFairness);
    } catch (error) {
      // Round-off can in principle stall the network simplex; HiGHS then solves the same model.
      if (!(error instanceof SimplexStalled) || backend === 'flow') throw error;
    }
  }
  return solveByLp(inst, {
    backend: backend === 'jslp' ? 'jslp' : 'highs',
    seed: options.seed,
    priceOfFairness,
    shareArcs: options.classes !== false,
    ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}),
  });
}

function routeReason(inst: Instance, backend: Backend, ran?: StagedSolution['backend']): string {
  if (backend === 'highs' || backend === 'jslp') return `${backend} requested`;
  if (ran !== undefined && ran !== 'flow' && canUseFlowPath(inst)) return 'LP: the network simplex stalled, HiGHS solved the same model';
  if (inst.arcs.some((a) => a.pinned > 0)) return 'LP: pinned quantities';
  if (inst.capacityMayBind) return 'LP: a warehouse capacity may bind, which couples the commodities';
  return 'network flow: no capacity can bind and nothing is pinned, so each commodity is a transportation problem';
}
