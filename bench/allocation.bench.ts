// Allocation benchmark: 1k, 5k and 20k needs (and 400, where javascript-lp-solver still finishes) ×
// 100 warehouses × 10 commodities, our network-flow path vs HiGHS (and javascript-lp-solver up to
// 1k needs, within a budget) on the same staged model; one child
// process per case so that peak memory is that case's own. Also a case where capacity binds, which
// only the LP path can take. Run: npm run bench -- allocation  [direct: --sizes=1000,5000]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { measure, printRow } from './measure.ts';
import { allocate } from '../solver/allocation/allocate.ts';
import { loadHighs } from '../solver/lp/highs.ts';
import type { Backend, Plan } from '../solver/allocation/problem.ts';
import { randomProblem, type RandomProblemShape } from '../solver/allocation/random-problem.ts';

interface CaseResult {
  backend: string;
  route: string;
  ms: number;
  /** CPU time of the call: steadier than wall time when other work shares the 2 cores. */
  cpuMs: number;
  peakRssMb: number;
  floors: number[];
  weighted: number;
  travel: number;
  withoutFairness: number;
}

const SEED = 2026;
/** javascript-lp-solver is a dense-tableau simplex: give up on a case after this long. */
const JSLP_BUDGET_MS = 120_000;

function shapeOf(needs: number, capacity: 'loose' | 'tight'): RandomProblemShape {
  return { needs, warehouses: 100, commodities: 10, lotsPerStock: 2, capacity, nearestWarehouses: 5 };
}

async function runCase(needs: number, capacity: 'loose' | 'tight', backend: Backend): Promise<CaseResult> {
  const problem = randomProblem(SEED, shapeOf(needs, capacity));
  // The WebAssembly module is compiled once per process, outside the timing (a server keeps it loaded).
  await loadHighs();
  const cpuBefore = process.cpuUsage();
  const run = await measure<Plan>(() => allocate(problem, { seed: 1, backend }));
  const cpu = process.cpuUsage(cpuBefore);
  const plan = run.value;
  return {
    backend: plan.solver.backend,
    route: plan.solver.route,
    ms: run.ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssMb: run.peakRssMb,
    floors: plan.solver.stages.tierFloors.map((f) => f.floor),
    weighted: plan.solver.stages.weightedFulfilment,
    travel: plan.solver.stages.totalTravel,
    withoutFairness: plan.metrics.weightedFulfilmentWithoutFairness ?? NaN,
  };
}

function inChild(needs: number, capacity: string, backend: Backend, timeoutMs: number): CaseResult | string {
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), `--case=${needs}:${capacity}:${backend}`], {
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 1 << 20,
  });
  if (child.error || child.status !== 0) return child.error ? `gave up after ${timeoutMs / 1000} s` : `failed: ${child.stderr.trim().split('\n')[0]}`;
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as CaseResult;
}

/** Largest relative difference over every stage value (floors absolute, being shares in [0, 1]). */
function stageGap(a: CaseResult, b: CaseResult): number {
  const rel = (x: number, y: number) => Math.abs(x - y) / Math.max(1, Math.abs(x), Math.abs(y));
  const floors = a.floors.length === b.floors.length ? a.floors.map((f, k) => Math.abs(f - b.floors[k]!)) : [Infinity];
  return Math.max(...floors, rel(a.weighted, b.weighted), rel(a.travel, b.travel), rel(a.withoutFairness, b.withoutFairness));
}

function row(size: string, result: CaseResult, reference?: CaseResult): void {
  printRow({
    case: size,
    solver: result.backend,
    ms: result.ms,
    cpuMs: result.cpuMs,
    peakMb: result.peakRssMb,
    weighted: result.weighted,
    travel: result.travel,
    gapVsHighs: reference ? stageGap(result, reference).toExponential(1) : undefined,
    speedup: reference ? `${(reference.ms / result.ms).toFixed(1)}x` : undefined,
    cpuSpeedup: reference ? `${(reference.cpuMs / result.cpuMs).toFixed(1)}x` : undefined,
  });
}

async function main(): Promise<void> {
  const caseArg = process.argv.find((a) => a.startsWith('--case='));
  if (caseArg) {
    const [needs, capacity, backend] = caseArg.slice('--case='.length).split(':');
    console.log(JSON.stringify(await runCase(Number(needs), capacity as 'loose' | 'tight', backend as Backend)));
    return;
  }
  const sizesArg = process.argv.find((a) => a.startsWith('--sizes='));
  const sizes = sizesArg ? sizesArg.slice('--sizes='.length).split(',').map(Number) : [400, 1000, 5000, 20000];
  console.log('# our path = allocate(backend auto): network flow when no capacity can bind; same staged model solved by HiGHS / jslp');
  console.log('# ms = wall time, cpuMs = CPU time (steadier when other jobs share the cores), both of the whole allocate() incl. candidate arcs, FEFO, explanations, metrics and the price-of-fairness solve; gapVsHighs = max relative gap over all stage values');
  for (const needs of sizes) {
    const size = `${needs}x100x10`;
    const highs = inChild(needs, 'loose', 'highs', 30 * 60_000);
    const ours = inChild(needs, 'loose', 'auto', 30 * 60_000);
    if (typeof highs === 'string' || typeof ours === 'string') {
      console.log(`case=${size} highs: ${typeof highs === 'string' ? highs : 'ok'}; ours: ${typeof ours === 'string' ? ours : 'ok'}`);
      continue;
    }
    row(size, ours, highs);
    row(size, highs);
    if (needs <= 1000) {
      const jslp = inChild(needs, 'loose', 'jslp', JSLP_BUDGET_MS);
      if (typeof jslp === 'string') console.log(`case=${size} solver=jslp ${jslp}`);
      else row(size, jslp, highs);
    } else {
      console.log(`case=${size} solver=jslp skipped (dense-tableau simplex: already 90-120+ s at 1000 needs)`);
    }
  }
  // With binding warehouse capacity the commodities are coupled: no fast path, HiGHS runs.
  const tight = inChild(1000, 'tight', 'auto', 30 * 60_000);
  if (typeof tight === 'string') console.log(`case=1000x100x10-capacity-binds ${tight}`);
  else row('1000x100x10-capacity-binds', tight);
}

await main();
