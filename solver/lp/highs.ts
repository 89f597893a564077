// HiGHS backend (WebAssembly): the default engine; the model goes in as sparse arrays, no text format.
import highsModule from 'highs';
import type { LpModel } from './model.ts';
import type { LpOptions, LpResult, LpStatus } from './result.ts';

// The package's types describe its CommonJS shape while Node loads its ES module; accept either.
type HighsLoader = (typeof highsModule)['default'];
type HighsRuntime = Awaited<ReturnType<HighsLoader>>;
const highsLoader = ((highsModule as unknown as { default?: HighsLoader }).default ?? highsModule) as HighsLoader;

let runtime: Promise<HighsRuntime> | undefined;

/** Loads the WebAssembly module once per process; later calls share it (until it takes a large model). */
export function loadHighs(): Promise<HighsRuntime> {
  runtime ??= highsLoader();
  return runtime;
}

/**
 * A model this large (nonzeros) grows the module's memory by hundreds of megabytes, and WebAssembly memory never
 * shrinks: the module that took it is not handed out again, so its memory goes once its models are disposed.
 * A district's plan grew it by ~600 MB, which stayed while the plan's result was built and sent to the server
 * (the day's peak); a fresh module costs ~50 ms to load.
 */
export const LARGE_MODEL_NONZEROS = 500_000;

export type HighsModel = ReturnType<HighsRuntime['createModel']>;

export async function solveWithHighs(model: LpModel, options: LpOptions = {}): Promise<LpResult> {
  const highs = await loadHighs();
  const start = performance.now();
  const handle = createHighsModel(highs, model);
  try {
    handle.options.set({
      output_flag: false,
      random_seed: options.seed ?? 0,
      ...(options.timeLimitMs !== undefined ? { time_limit: options.timeLimitMs / 1000 } : {}),
    });
    handle.run();
    return resultOf(highs, handle, start);
  } finally {
    handle.dispose();
  }
}

/** The model handed to HiGHS as sparse arrays (no text format); the caller disposes of it. */
export function createHighsModel(highs: HighsRuntime, model: LpModel): HighsModel {
  if (model.rowIndex.length >= LARGE_MODEL_NONZEROS) runtime = undefined;
  const infinity = highs.infinity;
  const clamp = (values: number[]) => Float64Array.from(values, (v) => (v === Infinity ? infinity : v === -Infinity ? -infinity : v));
  const numCols = model.cost.length;
  const numRows = model.rowLower.length;
  return highs.createModel({
    numCols,
    numRows,
    sense: model.sense === 'max' ? highs.constants.objectiveSense.maximize : highs.constants.objectiveSense.minimize,
    colCost: Float64Array.from(model.cost),
    colLower: clamp(model.varLower),
    colUpper: clamp(model.varUpper),
    rowLower: clamp(model.rowLower),
    rowUpper: clamp(model.rowUpper),
    matrix: {
      format: 'csr',
      numRows,
      numCols,
      starts: Int32Array.from(model.rowStart),
      indices: Int32Array.from(model.rowIndex),
      values: Float64Array.from(model.rowValue),
    },
  });
}

/** What the last run of a model reached. */
export function resultOf(highs: HighsRuntime, handle: HighsModel, start: number): LpResult {
  const status = statusOf(handle.getModelStatus(), highs.constants.modelStatus);
  const x = status === 'optimal' ? Float64Array.from(handle.getSolution().colValue) : new Float64Array(handle.getDimensions().numCols);
  const objective = status === 'optimal' ? handle.getObjectiveValue() : NaN;
  return { status, objective, x, backend: 'highs', ms: performance.now() - start };
}

function statusOf(code: number, codes: HighsRuntime['constants']['modelStatus']): LpStatus {
  if (code === codes.optimal || code === codes.empty) return 'optimal';
  if (code === codes.infeasible) return 'infeasible';
  if (code === codes.unbounded || code === codes.unboundedOrInfeasible) return 'unbounded';
  if (code === codes.timeLimit || code === codes.iterationLimit) return 'time_limit';
  return 'failed';
}
