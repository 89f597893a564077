import { describe, expect, it } from 'vitest';
import { giniOfGroups } from '../../../server/dashboard/dashboard.service.ts';
import { gini } from '../../../solver/allocation/metrics.ts';

describe('the dashboard Gini over counted groups', () => {
  it('equals the Gini of the values written out, in any group order', () => {
    const groups = [
      { value: 1, count: 3 },
      { value: 0, count: 5 },
      { value: 0.5, count: 2 },
      { value: 0.25, count: 1 },
      { value: 1, count: 4 },
    ];
    const values = groups.flatMap((g) => Array<number>(g.count).fill(g.value));
    expect(giniOfGroups(groups)).toBeCloseTo(gini(values), 12);
    expect(giniOfGroups([...groups].reverse())).toBeCloseTo(gini(values), 12);
  });

  it('is 0 for no needs, nothing delivered, or everyone alike', () => {
    expect(giniOfGroups([])).toBe(0);
    expect(giniOfGroups([{ value: 0, count: 9 }])).toBe(0);
    expect(giniOfGroups([{ value: 0.5, count: 9 }])).toBeCloseTo(0, 12);
  });
});
