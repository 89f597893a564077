// The HiGHS module that took a large model is not handed out again, so that its memory (which WebAssembly never
// shrinks) goes once that model is disposed; small models keep sharing one module.
import { describe, expect, it } from 'vitest';
import { LARGE_MODEL_NONZEROS, loadHighs } from '../../../solver/lp/highs.ts';
import { LpBuilder } from '../../../solver/lp/solve.ts';
import { openLpSession } from '../../../solver/lp/session.ts';

/** max Σ x_j over pairs x_2k + x_2k+1 ≤ 1 (each row two nonzeros): the optimum is columns / 2. */
function pairs(columns: number): LpBuilder {
  const builder = new LpBuilder('max');
  for (let j = 0; j < columns; j++) builder.addVariable(0, 1, 1);
  for (let j = 0; j + 1 < columns; j += 2) builder.addRow([j, j + 1], [1, 1], -Infinity, 1);
  return builder;
}

describe('the HiGHS module', () => {
  it('is shared by small models', async () => {
    const session = await openLpSession(pairs(10), 'highs', 1);
    expect((await session.solve()).objective).toBeCloseTo(5, 9);
    session.close();
    expect(await loadHighs()).toBe(await loadHighs());
  });

  it('is not handed out again once it took a large model, which still solves on it', async () => {
    const before = await loadHighs();
    const columns = LARGE_MODEL_NONZEROS;
    const session = await openLpSession(pairs(columns), 'highs', 1);
    const after = await loadHighs();
    expect(after).not.toBe(before);
    const result = await session.solve();
    session.close();
    expect(result.status).toBe('optimal');
    expect(result.objective).toBeCloseTo(columns / 2, 6);
    expect(await loadHighs()).toBe(after);
  });
});
