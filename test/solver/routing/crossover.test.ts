import { describe, expect, it } from 'vitest';
import { Random } from '../../../solver/random.ts';
import { orderCrossover, orderCrossoverAt } from '../../../solver/routing/crossover.ts';

describe('orderCrossover', () => {
  it("keeps the first parent's slice in place and fills the rest in the second parent's order", () => {
    const first = [0, 1, 2, 3, 4, 5, 6, 7];
    const second = [7, 6, 5, 4, 3, 2, 1, 0];
    // Slice 2..4 from the first; after position 4, the second parent's order from there (2 1 0 7 6 5 4 3) without 2, 3, 4.
    expect(orderCrossoverAt(first, second, 2, 4)).toEqual([6, 5, 2, 3, 4, 1, 0, 7]);
    // A slice that wraps around the end.
    expect(orderCrossoverAt(first, second, 6, 1)).toEqual([0, 1, 5, 4, 3, 2, 6, 7]);
  });

  it('makes a permutation of the same customers that holds a slice of the first parent', () => {
    const random = new Random(5);
    for (let trial = 0; trial < 200; trial++) {
      const n = 2 + random.int(30);
      const first = random.shuffle(Array.from({ length: n }, (_, i) => 10 * i));
      const second = random.shuffle(first.slice());
      const child = orderCrossover(first, second, random);
      expect(child.slice().sort((a, b) => a - b)).toEqual(first.slice().sort((a, b) => a - b));
      const kept = child.filter((c, k) => c === first[k]).length;
      expect(kept).toBeGreaterThanOrEqual(2);
    }
  });
});
