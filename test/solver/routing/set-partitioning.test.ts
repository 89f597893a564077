import { describe, expect, it } from 'vitest';
import { solveSetPartitioning } from '../../../solver/routing/set-partitioning.ts';

describe('solveSetPartitioning', () => {
  // Customers 0..3. Cheapest cover by cost alone would overlap; a partition must use each customer once.
  const routes = [
    { vehicleClass: 0, nodes: [0, 1], cost: 10 },
    { vehicleClass: 0, nodes: [1, 2], cost: 4 },
    { vehicleClass: 0, nodes: [2, 3], cost: 10 },
    { vehicleClass: 0, nodes: [0], cost: 3 },
    { vehicleClass: 0, nodes: [3], cost: 3 },
    { vehicleClass: 1, nodes: [0, 3], cost: 5 },
  ];

  it('picks the cheapest set of pooled routes serving each customer exactly once', async () => {
    const chosen = await solveSetPartitioning({ routes, customers: [0, 1, 2, 3], classCounts: [5, 1], timeLimitSeconds: 10 });
    // [1,2] + [0,3] = 9 beats [1,2] + [0] + [3] = 10 and [0,1] + [2,3] = 20.
    expect(chosen?.sort()).toEqual([1, 5]);
  });

  it('respects how many vehicles of each kind there are', async () => {
    const chosen = await solveSetPartitioning({ routes, customers: [0, 1, 2, 3], classCounts: [1, 0], timeLimitSeconds: 10 });
    expect(chosen).toBeNull();
    const two = await solveSetPartitioning({ routes, customers: [0, 1, 2, 3], classCounts: [2, 0], timeLimitSeconds: 10 });
    expect(two?.sort()).toEqual([0, 2]);
  });
});
