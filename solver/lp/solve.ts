// One entry point for linear programmes: `solveLp(model, backend)` picks HiGHS or javascript-lp-solver.
import { solveWithHighs } from './highs.ts';
import { solveWithJslp } from './jslp.ts';
import type { LpModel } from './model.ts';
import type { LpBackendName, LpOptions, LpResult } from './result.ts';

export type { LpModel } from './model.ts';
export { LpBuilder, objectiveValue, maxViolation } from './model.ts';
export type { LpBackendName, LpOptions, LpResult, LpStatus } from './result.ts';

export function solveLp(model: LpModel, backend: LpBackendName = 'highs', options: LpOptions = {}): Promise<LpResult> {
  return backend === 'highs' ? solveWithHighs(model, options) : solveWithJslp(model, options);
}
