// Allocation benchmark: 1k, 5k and 20k needs (and 400, where javascript-lp-solver still finishes) ×
// 100 warehouses × 10 commodities, our network-flow path vs HiGHS (and javascript-lp-solver up to
// 1k needs, within a budget) on the same staged model; one child
// process per case so that peak memory is that case's own. Also a case where capacity binds, which
// only the LP path can take, and generated districts (`--district`: 40 warehouses, 20 commodities,
// dispatch capacity binding, households behind their compound's gate) against HiGHS on the full staged
// model (one column per need and arc, no classes), given up to 10 minutes.
// Run: npm run bench -- allocation  [direct: --sizes=1000,5000]  [--district, sizes in needs: --sizes=20000,200000]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { measure, printRow } from './measure.ts';
import { allocate } from '../solver/allocation/allocate.ts';
import { loadHighs } from '../solver/lp/highs.ts';
import type { AllocationProblem, Backend, Plan } from '../solver/allocation/problem.ts';
import { randomProblem, type RandomProblemShape } from '../solver/allocation/random-problem.ts';
import { generateDistrict } from '../seeds/district/generate.ts';
import { districtProblem } from '../seeds/district/problem.ts';

type Shape = 'loose' | 'tight' | 'district';

interface CaseResult {
  backend: string;
  route: string;
  ms: number;
  /** CPU time of the call: steadier than wall time when other work shares the 2 cores. */
  cpuMs: number;
  peakRssMb: number;
  needs: number;
  classes: number;
  optimal: boolean;
  stopped?: string;
  floors: number[];
  weighted: number;
  travel: number;
  withoutFairness: number;
}

const SEED = 2026;
/** javascript-lp-solver is a dense-tableau simplex: give up on a case after this long. */
const JSLP_BUDGET_MS = 120_000;
/** HiGHS on a district's full model: the issue's "wherever HiGHS finishes within 10 minutes". */
const FULL_MODEL_LIMIT_MS = 600_000;
/** Needs per household in the generated district (2.24 at 20,000 households): households generated for N needs. */
const NEEDS_PER_HOUSEHOLD = 2.2;

function shapeOf(needs: number, capacity: 'loose' | 'tight'): RandomProblemShape {
  return { needs, warehouses: 100, commodities: 10, lotsPerStock: 2, capacity, nearestWarehouses: 5 };
}

/** The first `needs` needs of a district generated with enough households for them (40 warehouses, 20 commodities). */
function districtOf(needs: number): AllocationProblem {
  const problem = districtProblem(generateDistrict({ households: Math.ceil(needs / NEEDS_PER_HOUSEHOLD), seed: 1 }));
  return { ...problem, needs: problem.needs.slice(0, needs) };
}

async function runCase(needs: number, shape: Shape, backend: Backend, full: boolean): Promise<CaseResult> {
  const problem = shape === 'district' ? districtOf(needs) : randomProblem(SEED, shapeOf(needs, shape));
  // The WebAssembly module is compiled once per process, outside the timing (a server keeps it loaded).
  await loadHighs();
  const cpuBefore = process.cpuUsage();
  const run = await measure<Plan>(() => allocate(problem, { seed: 1, backend, ...(full ? { classes: false, timeLimitMs: FULL_MODEL_LIMIT_MS } : {}) }));
  const cpu = process.cpuUsage(cpuBefore);
  const { solver, metrics } = run.value;
  return {
    backend: solver.backend,
    route: solver.route,
    ms: run.ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssMb: run.peakRssMb,
    needs: problem.needs.length,
    classes: solver.classes,
    optimal: solver.optimal,
    ...(solver.stopped ? { stopped: `${solver.stopped.stage}${solver.stopped.tier ? ` ${solver.stopped.tier}` : ''}${solver.stopped.because ? ` (${solver.stopped.because})` : ''}` } : {}),
    floors: solver.stages.tierFloors.map((f) => f.floor),
    weighted: solver.stages.weightedFulfilment,
    travel: solver.stages.totalTravel,
    withoutFairness: metrics.weightedFulfilmentWithoutFairness ?? NaN,
  };
}

function inChild(needs: number, shape: Shape, backend: Backend, timeoutMs: number, full = false): CaseResult | string {
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), `--case=${needs}:${shape}:${backend}:${full ? 'full' : 'grouped'}`], {
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 1 << 20,
  });
  // The error's own line (a WebAssembly abort prints the module's source first).
  const error = child.stderr.split('\n').find((line) => /^\w*Error\b/.test(line)) ?? child.stderr.trim().split('\n')[0];
  if (child.error || child.status !== 0) return child.error ? `gave up after ${timeoutMs / 1000} s` : `failed: ${error}`;
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as CaseResult;
}

/**
 * Largest relative difference over every stage value (floors absolute, being shares in [0, 1]); against a
 * reference a time limit stopped, over the floors it found.
 */
function stageGap(a: CaseResult, b: CaseResult): number {
  const rel = (x: number, y: number) => Math.abs(x - y) / Math.max(1, Math.abs(x), Math.abs(y));
  if (!b.optimal) return Math.max(...b.floors.map((f, k) => Math.abs(f - (a.floors[k] ?? Infinity))));
  const floors = a.floors.length === b.floors.length ? a.floors.map((f, k) => Math.abs(f - b.floors[k]!)) : [Infinity];
  return Math.max(...floors, rel(a.weighted, b.weighted), rel(a.travel, b.travel), rel(a.withoutFairness, b.withoutFairness));
}

function row(size: string, result: CaseResult, reference?: CaseResult, extra: Record<string, string | number | undefined> = {}): void {
  printRow({
    case: size,
    solver: result.backend,
    ...extra,
    ms: result.ms,
    cpuMs: result.cpuMs,
    peakMb: result.peakRssMb,
    weighted: result.weighted,
    travel: result.travel,
    gapVsHighs: reference ? `${stageGap(result, reference).toExponential(1)}${reference.optimal ? '' : `(its ${reference.floors.length} floors)`}` : undefined,
    speedup: reference ? `${(reference.ms / result.ms).toFixed(1)}x` : undefined,
    cpuSpeedup: reference ? `${(reference.cpuMs / result.cpuMs).toFixed(1)}x` : undefined,
  });
}

/** A district of `needs` needs: our path (classes, shared arcs) and HiGHS on the full staged model. */
function districtCase(needs: number): void {
  const size = `district-${needs}x40x20`;
  const ours = inChild(needs, 'district', 'auto', 30 * 60_000);
  if (typeof ours === 'string') {
    console.log(`case=${size} ours: ${ours}`);
    return;
  }
  const full = inChild(needs, 'district', 'highs', FULL_MODEL_LIMIT_MS + 5 * 60_000, true);
  // A reference stopped by its time limit still has the floors it found before.
  const reference = typeof full !== 'string' && full.floors.length > 0 ? full : undefined;
  const stages = (r: CaseResult) => ({ floors: r.floors.map((f) => f.toPrecision(10)).join('/'), withoutFairness: r.withoutFairness, optimal: String(r.optimal) });
  row(size, ours, reference, { model: 'grouped', needs: ours.needs, classes: ours.classes, ...stages(ours) });
  if (typeof full === 'string') console.log(`case=${size} solver=highs model=full ${full}`);
  else row(size, full, undefined, { model: 'full', needs: full.needs, classes: full.classes, ...stages(full), stopped: full.stopped });
}

async function main(): Promise<void> {
  const caseArg = process.argv.find((a) => a.startsWith('--case='));
  if (caseArg) {
    const [needs, shape, backend, model] = caseArg.slice('--case='.length).split(':');
    console.log(JSON.stringify(await runCase(Number(needs), shape as Shape, backend as Backend, model === 'full')));
    return;
  }
  const sizesArg = process.argv.find((a) => a.startsWith('--sizes='));
  const district = process.argv.includes('--district');
  const sizes = sizesArg ? sizesArg.slice('--sizes='.length).split(',').map(Number) : district ? [20_000, 200_000] : [400, 1000, 5000, 20000];
  if (district) {
    console.log('# ours = allocate(backend auto) on a generated district (capacity binds: HiGHS on needs in classes sharing arc columns); full = HiGHS on the full staged model (no classes), up to 10 min');
    console.log('# ms = wall time, cpuMs = CPU time, both of the whole allocate(); floors per tier; gapVsHighs = max relative gap over all stage values against the full model');
    for (const needs of sizes) districtCase(needs);
    return;
  }
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
