import { describe, expect, it } from 'vitest';
import { Random } from '../../../solver/random.ts';
import { LpBuilder, maxViolation, objectiveValue, solveLp, type LpModel } from '../../../solver/lp/solve.ts';
import { openLpSession } from '../../../solver/lp/session.ts';

/** A random bounded LP that x = 0 satisfies (rows 0 ≤ Ax ≤ b with b ≥ 0, or Ax ≥ -b). */
function randomLp(seed: number): LpModel {
  return randomBuilder(seed).model();
}

function randomBuilder(seed: number): LpBuilder {
  const random = new Random(seed);
  const n = 2 + random.int(7);
  const rows = 1 + random.int(6);
  const builder = new LpBuilder(random.next() < 0.5 ? 'max' : 'min');
  for (let j = 0; j < n; j++) {
    const upper = random.next() < 0.8 ? 1 + random.int(20) : Infinity;
    builder.addVariable(0, upper, random.int(21) - 10);
  }
  for (let r = 0; r < rows; r++) {
    const indices = Array.from({ length: n }, (_, j) => j).filter(() => random.next() < 0.6);
    if (indices.length === 0) indices.push(random.int(n));
    const values = indices.map(() => 1 + random.int(9));
    builder.addRow(indices, values, random.next() < 0.3 ? -Infinity : 0, 5 + random.int(40));
  }
  // Keep every objective bounded: a budget row over all variables.
  builder.addRow(Array.from({ length: n }, (_, j) => j), new Array<number>(n).fill(1), -Infinity, 30);
  return builder;
}

describe('the LP layer', () => {
  it('gives the same optimum with HiGHS and javascript-lp-solver on many random LPs', async () => {
    for (let seed = 1; seed <= 60; seed++) {
      const model = randomLp(seed);
      const [highs, jslp] = await Promise.all([solveLp(model, 'highs'), solveLp(model, 'jslp')]);
      expect(highs.status, `seed ${seed}`).toBe('optimal');
      expect(jslp.status, `seed ${seed}`).toBe('optimal');
      expect(Math.abs(highs.objective - jslp.objective) / Math.max(1, Math.abs(highs.objective)), `seed ${seed}`).toBeLessThan(1e-6);
      expect(maxViolation(model, highs.x)).toBeLessThan(1e-6);
      expect(maxViolation(model, jslp.x)).toBeLessThan(1e-6);
      expect(objectiveValue(model, jslp.x)).toBeCloseTo(jslp.objective, 6);
    }
  });

  it('reports an infeasible model as infeasible on both backends', async () => {
    const builder = new LpBuilder('max');
    const x = builder.addVariable(0, 10, 1);
    builder.addRow([x], [1], 12, Infinity);
    for (const backend of ['highs', 'jslp'] as const) {
      expect((await solveLp(builder.model(), backend)).status).toBe('infeasible');
    }
  });

  it('honours non-zero lower bounds and free variables on both backends', async () => {
    const builder = new LpBuilder('min');
    const x = builder.addVariable(2, 5, 1);
    const y = builder.addVariable(-Infinity, Infinity, 1);
    builder.addRow([x, y], [1, 1], -1, Infinity);
    for (const backend of ['highs', 'jslp'] as const) {
      const result = await solveLp(builder.model(), backend);
      expect(result.status).toBe('optimal');
      expect(result.objective).toBeCloseTo(-1, 9);
      expect(result.x[x]).toBeCloseTo(2, 9);
    }
  });

  it('solves a session afresh without presolve when asked, and as usual after', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const builder = randomBuilder(seed);
      const model = builder.model();
      const session = await openLpSession(builder, 'highs', 0);
      try {
        const usual = (await solveLp(model, 'highs')).objective;
        const without = await session.solve(undefined, { presolve: false });
        expect(without.status, `seed ${seed}`).toBe('optimal');
        expect(without.objective, `seed ${seed}`).toBeCloseTo(usual, 6);
        session.setVariableBounds(0, 0, 0);
        const after = await session.solve();
        builder.setVariableBounds(0, 0, 0);
        expect(after.objective, `seed ${seed}`).toBeCloseTo((await solveLp(builder.model(), 'jslp')).objective, 6);
      } finally {
        session.close();
      }
    }
  });

  it('leaves a model unchanged when its builder grows further', () => {
    const builder = new LpBuilder();
    builder.addVariable(0, 1, 1);
    const before = builder.model();
    builder.clone().addVariable(0, 1, 1);
    builder.addRow([0], [1], 0, 1);
    expect(before.cost).toHaveLength(1);
    expect(before.rowLower).toHaveLength(0);
  });
});
