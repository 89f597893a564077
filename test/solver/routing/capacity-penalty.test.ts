import { describe, expect, it } from 'vitest';
import { parseInstance } from '../../../solver/formats/index.ts';
import { CapacityPenalty } from '../../../solver/routing/capacity-penalty.ts';
import { compileProblem } from '../../../solver/routing/problem.ts';
import { SearchState } from '../../../solver/routing/search-state.ts';
import { readFixture } from '../../support/fixtures.ts';

const state = () => new SearchState(compileProblem(parseInstance('cvrplib/A-n32-k5.vrp', readFixture('cvrplib/A-n32-k5.vrp')).problem));

describe('CapacityPenalty', () => {
  it('adapts the cost of overload once per period of outcomes: lower when more than the target fit, higher when fewer', () => {
    const s = state();
    const penalty = new CapacityPenalty(s, 0.2, 50);
    const start = s.capacityPenalty;
    for (let k = 1; k < 50; k++) expect(penalty.record(true)).toBe(false);
    expect(s.capacityPenalty).toBe(start);
    expect(penalty.record(true)).toBe(true);
    expect(s.capacityPenalty).toBeCloseTo(start * 0.85, 9);
    for (let k = 0; k < 50; k++) penalty.record(false);
    expect(s.capacityPenalty).toBeCloseTo(start * 0.85 * 1.2, 9);
  });

  it('keeps the cost while the share that fits is within 5 points of the target', () => {
    const s = state();
    const penalty = new CapacityPenalty(s, 0.2, 50);
    const start = s.capacityPenalty;
    for (let k = 0; k < 50; k++) expect(penalty.record(k < 12)).toBe(false);
    expect(s.capacityPenalty).toBe(start);
  });
});
