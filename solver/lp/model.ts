// A linear programme built once as plain arrays (bounded variables, sparse rows, linear objective),
// so that every backend in solver/lp/ reads the same model and results can be cross-checked.

export type Sense = 'min' | 'max';

export interface LpModel {
  sense: Sense;
  /** Objective coefficient per variable. */
  cost: number[];
  varLower: number[];
  /** `Infinity` for no upper bound. */
  varUpper: number[];
  /** Rows in compressed sparse row form: row r holds entries rowStart[r] .. rowStart[r+1]-1. */
  rowStart: number[];
  rowIndex: number[];
  rowValue: number[];
  /** `-Infinity` for no lower bound. */
  rowLower: number[];
  /** `Infinity` for no upper bound. */
  rowUpper: number[];
}

/** Grows an `LpModel` one variable and one row at a time; `model()` hands out the arrays. */
export class LpBuilder {
  private readonly lp: LpModel;

  constructor(sense: Sense = 'min') {
    this.lp = {
      sense,
      cost: [],
      varLower: [],
      varUpper: [],
      rowStart: [0],
      rowIndex: [],
      rowValue: [],
      rowLower: [],
      rowUpper: [],
    };
  }

  get variableCount(): number {
    return this.lp.cost.length;
  }

  get rowCount(): number {
    return this.lp.rowLower.length;
  }

  /** Adds a variable `lower ≤ x ≤ upper` with objective coefficient `cost`; returns its index. */
  addVariable(lower: number, upper: number, cost = 0): number {
    this.lp.varLower.push(lower);
    this.lp.varUpper.push(upper);
    this.lp.cost.push(cost);
    return this.lp.cost.length - 1;
  }

  /** Adds `lower ≤ Σ values[k]·x[indices[k]] ≤ upper` (each index at most once); returns its index. */
  addRow(indices: readonly number[], values: readonly number[], lower: number, upper: number): number {
    for (let k = 0; k < indices.length; k++) {
      this.lp.rowIndex.push(indices[k]!);
      this.lp.rowValue.push(values[k]!);
    }
    this.lp.rowStart.push(this.lp.rowIndex.length);
    this.lp.rowLower.push(lower);
    this.lp.rowUpper.push(upper);
    return this.lp.rowLower.length - 1;
  }

  setVariableBounds(j: number, lower: number, upper: number): void {
    this.lp.varLower[j] = lower;
    this.lp.varUpper[j] = upper;
  }

  setRowBounds(r: number, lower: number, upper: number): void {
    this.lp.rowLower[r] = lower;
    this.lp.rowUpper[r] = upper;
  }

  setObjective(sense: Sense, cost: readonly number[]): void {
    this.lp.sense = sense;
    this.lp.cost = Array.from({ length: this.variableCount }, (_, j) => cost[j] ?? 0);
  }

  /** A copy of the model so far: later additions do not change it. */
  model(): LpModel {
    const lp = this.lp;
    return {
      sense: lp.sense,
      cost: lp.cost.slice(),
      varLower: lp.varLower.slice(),
      varUpper: lp.varUpper.slice(),
      rowStart: lp.rowStart.slice(),
      rowIndex: lp.rowIndex.slice(),
      rowValue: lp.rowValue.slice(),
      rowLower: lp.rowLower.slice(),
      rowUpper: lp.rowUpper.slice(),
    };
  }

  /** A new builder starting from the same variables and rows, for the next stage of a solve. */
  clone(): LpBuilder {
    const copy = new LpBuilder(this.lp.sense);
    Object.assign(copy.lp, this.model());
    return copy;
  }
}

export function objectiveValue(model: LpModel, x: ArrayLike<number>): number {
  let sum = 0;
  for (let j = 0; j < model.cost.length; j++) sum += model.cost[j]! * x[j]!;
  return sum;
}

/** The largest violation of any bound or row by `x` (0 when feasible). */
export function maxViolation(model: LpModel, x: ArrayLike<number>): number {
  let worst = 0;
  for (let j = 0; j < model.cost.length; j++) {
    worst = Math.max(worst, model.varLower[j]! - x[j]!, x[j]! - model.varUpper[j]!);
  }
  for (let r = 0; r < model.rowLower.length; r++) {
    let activity = 0;
    for (let k = model.rowStart[r]!; k < model.rowStart[r + 1]!; k++) activity += model.rowValue[k]! * x[model.rowIndex[k]!]!;
    worst = Math.max(worst, model.rowLower[r]! - activity, activity - model.rowUpper[r]!);
  }
  return worst;
}
