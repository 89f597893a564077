// What every LP backend returns, so that callers and cross-checks never depend on one engine's shapes.

export type LpStatus = 'optimal' | 'infeasible' | 'unbounded' | 'time_limit' | 'failed';
export type LpBackendName = 'highs' | 'jslp';

export interface LpResult {
  status: LpStatus;
  /** Objective value of `x` (meaningful when status is 'optimal'). */
  objective: number;
  /** Value per variable, in model order. */
  x: Float64Array;
  backend: LpBackendName;
  ms: number;
}

export interface LpOptions {
  /** Stopping rule: wall-clock limit for one solve. */
  timeLimitMs?: number;
  /** Seeds the engine's own randomised choices (HiGHS); the pure-JS backend is deterministic. */
  seed?: number;
}
