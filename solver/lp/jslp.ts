// javascript-lp-solver backend: small pure-JS simplex, the second opinion that cross-checks HiGHS.
// Its JSON format has no variable bounds, so non-trivial bounds become one-variable rows.
import jslpModule from 'javascript-lp-solver';
import type { Model, SolverAPI } from 'javascript-lp-solver';
import type { LpModel } from './model.ts';
import type { LpOptions, LpResult } from './result.ts';

const OBJECTIVE = '_objective';
// The package's types describe its CommonJS shape while Node loads its ES module; accept either.
const jslp = ((jslpModule as unknown as { default?: SolverAPI }).default ?? jslpModule) as SolverAPI;

export function solveWithJslp(model: LpModel, options: LpOptions = {}): Promise<LpResult> {
  const start = performance.now();
  const json = toJslpModel(model, options);
  const answer = jslp.Solve(json) as Record<string, number | boolean | undefined>;
  const n = model.cost.length;
  const x = new Float64Array(n);
  for (let j = 0; j < n; j++) x[j] = (answer[`x${j}`] as number | undefined) ?? 0;
  const timedOut = options.timeLimitMs !== undefined && performance.now() - start >= options.timeLimitMs;
  const status = !answer.feasible ? (timedOut ? 'time_limit' : 'infeasible') : answer.bounded === false ? 'unbounded' : 'optimal';
  let objective = 0;
  for (let j = 0; j < n; j++) objective += model.cost[j]! * x[j]!;
  return Promise.resolve({ status, objective, x, backend: 'jslp', ms: performance.now() - start });
}

function toJslpModel(model: LpModel, options: LpOptions): Model {
  const constraints: Model['constraints'] = {};
  const variables: Model['variables'] = {};
  const unrestricted: Record<string, boolean> = {};
  for (let j = 0; j < model.cost.length; j++) {
    variables[`x${j}`] = { [OBJECTIVE]: model.cost[j]! };
    const lower = model.varLower[j]!;
    const upper = model.varUpper[j]!;
    if (lower !== 0) {
      // jslp variables are ≥ 0 unless declared unrestricted; any other lower bound is a row.
      unrestricted[`x${j}`] = true;
      if (lower !== -Infinity) constraints[`lo${j}`] = { min: lower };
    }
    if (upper !== Infinity) constraints[`up${j}`] = { max: upper };
    if (lower !== 0 && lower !== -Infinity) variables[`x${j}`]![`lo${j}`] = 1;
    if (upper !== Infinity) variables[`x${j}`]![`up${j}`] = 1;
  }
  for (let r = 0; r < model.rowLower.length; r++) {
    const bound: { min?: number; max?: number } = {};
    if (model.rowLower[r] !== -Infinity) bound.min = model.rowLower[r]!;
    if (model.rowUpper[r] !== Infinity) bound.max = model.rowUpper[r]!;
    constraints[`r${r}`] = bound;
    for (let k = model.rowStart[r]!; k < model.rowStart[r + 1]!; k++) {
      variables[`x${model.rowIndex[k]!}`]![`r${r}`] = model.rowValue[k]!;
    }
  }
  return {
    optimize: OBJECTIVE,
    opType: model.sense,
    constraints,
    variables,
    unrestricted,
    ...(options.timeLimitMs !== undefined ? { options: { timeout: options.timeLimitMs } } : {}),
  };
}
