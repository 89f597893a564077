// A linear programme solved several times as it changes (a staged objective): bounds, rows and the
// objective are changed in place and each solve starts from the last one's basis in HiGHS, so a stage
// costs a few pivots instead of a solve from scratch (unless asked to solve each afresh, with presolve).
// javascript-lp-solver has no warm start and solves the changed model anew, which keeps it the
// independent second opinion.
import { createHighsModel, loadHighs, resultOf, type HighsModel } from './highs.ts';
import { solveWithJslp } from './jslp.ts';
import { LpBuilder, type LpModel, type Sense } from './model.ts';
import type { LpBackendName, LpResult } from './result.ts';

/** HiGHS takes only finite limits; this is its default in effect. */
const NO_TIME_LIMIT_S = 1e30;

export interface LpSession {
  setObjective(sense: Sense, cost: readonly number[]): void;
  setVariableBounds(j: number, lower: number, upper: number): void;
  /** The bounds of many variables at once (`columns` ascending). */
  setVariablesBounds(columns: readonly number[], lower: readonly number[], upper: readonly number[]): void;
  setRowBounds(r: number, lower: number, upper: number): void;
  /** Adds a row; returns its index. */
  addRow(indices: readonly number[], values: readonly number[], lower: number, upper: number): number;
  /** Solves the model as it stands, within `timeLimitMs` when given, as the session's options say unless `how` says otherwise. */
  solve(timeLimitMs?: number, how?: SolveOptions): Promise<LpResult>;
  close(): void;
}

/** How one solve departs from its session's options (HiGHS; javascript-lp-solver always solves anew). */
export interface SolveOptions {
  /** Start from the last solve's basis even in a session that solves each afresh, where the caller knows it is still a good start. */
  fromLastBasis?: boolean;
  /** Afresh and without HiGHS' presolve (false), which can call a model infeasible that the simplex solves. */
  presolve?: false;
}

export interface LpSessionOptions {
  /**
   * Start each solve from the last one's basis (default); false solves each afresh, with presolve, which is
   * faster when a stage changes the bounds of much of the model.
   */
  warmStart?: boolean;
}

/** A session on the model built so far (the builder itself is left as it is). */
export async function openLpSession(builder: LpBuilder, backend: LpBackendName, seed: number, options: LpSessionOptions = {}): Promise<LpSession> {
  return backend === 'highs' ? new HighsSession(await loadHighs(), builder.model(), seed, options) : new JslpSession(builder.clone());
}

class HighsSession implements LpSession {
  private readonly handle: HighsModel;
  private rows: number;

  constructor(
    private readonly highs: Awaited<ReturnType<typeof loadHighs>>,
    model: LpModel,
    seed: number,
    private readonly options: LpSessionOptions,
  ) {
    this.handle = createHighsModel(highs, model);
    this.handle.options.set({ output_flag: false, random_seed: seed });
    this.rows = model.rowLower.length;
  }

  private bound = (v: number) => (v === Infinity ? this.highs.infinity : v === -Infinity ? -this.highs.infinity : v);

  setObjective(sense: Sense, cost: readonly number[]): void {
    const { maximize, minimize } = this.highs.constants.objectiveSense;
    this.handle.changeObjectiveSense(sense === 'max' ? maximize : minimize);
    this.handle.changeColsCost({ kind: 'range', from: 0, to: cost.length - 1 }, Float64Array.from(cost));
  }

  setVariableBounds(j: number, lower: number, upper: number): void {
    this.handle.changeColBounds(j, this.bound(lower), this.bound(upper));
  }

  setVariablesBounds(columns: readonly number[], lower: readonly number[], upper: readonly number[]): void {
    if (columns.length === 0) return;
    this.handle.changeColsBounds({ kind: 'set', indices: Int32Array.from(columns) }, Float64Array.from(lower, this.bound), Float64Array.from(upper, this.bound));
  }

  setRowBounds(r: number, lower: number, upper: number): void {
    this.handle.changeRowBounds(r, this.bound(lower), this.bound(upper));
  }

  addRow(indices: readonly number[], values: readonly number[], lower: number, upper: number): number {
    this.handle.addRow(this.bound(lower), this.bound(upper), { indices: Int32Array.from(indices), values: Float64Array.from(values) });
    return this.rows++;
  }

  solve(timeLimitMs?: number, how: SolveOptions = {}): Promise<LpResult> {
    const start = performance.now();
    this.handle.options.set({ time_limit: timeLimitMs === undefined ? NO_TIME_LIMIT_S : Math.max(0.001, timeLimitMs / 1000) });
    this.handle.zeroAllClocks();
    const withoutPresolve = how.presolve === false;
    if ((this.options.warmStart === false && !how.fromLastBasis) || withoutPresolve) this.handle.clearSolver();
    if (withoutPresolve) this.handle.options.set({ presolve: 'off' });
    try {
      this.handle.run();
    } finally {
      if (withoutPresolve) this.handle.options.set({ presolve: 'choose' });
    }
    return Promise.resolve(resultOf(this.highs, this.handle, start));
  }

  close(): void {
    this.handle.dispose();
  }
}

class JslpSession implements LpSession {
  constructor(private readonly builder: LpBuilder) {}

  setObjective(sense: Sense, cost: readonly number[]): void {
    this.builder.setObjective(sense, cost);
  }

  setVariableBounds(j: number, lower: number, upper: number): void {
    this.builder.setVariableBounds(j, lower, upper);
  }

  setVariablesBounds(columns: readonly number[], lower: readonly number[], upper: readonly number[]): void {
    columns.forEach((j, k) => this.builder.setVariableBounds(j, lower[k]!, upper[k]!));
  }

  setRowBounds(r: number, lower: number, upper: number): void {
    this.builder.setRowBounds(r, lower, upper);
  }

  addRow(indices: readonly number[], values: readonly number[], lower: number, upper: number): number {
    return this.builder.addRow(indices, values, lower, upper);
  }

  solve(timeLimitMs?: number): Promise<LpResult> {
    return solveWithJslp(this.builder.model(), timeLimitMs === undefined ? {} : { timeLimitMs });
  }

  close(): void {}
}
