import { describe, expect, it } from 'vitest';
import { Random } from '../../../solver/random.ts';
import { brokenPairsDistance, individual, Population } from '../../../solver/routing/population.ts';

const customers = [0, 1, 2, 3, 4, 5];
const of = (routes: number[][], distance = 100, excess = 0) => individual(routes, customers.length, distance, excess);

describe('brokenPairsDistance', () => {
  it('is 0 between a solution and itself with its routes reversed or reordered', () => {
    const a = of([[0, 1, 2], [3, 4, 5]]);
    expect(brokenPairsDistance(a, of([[5, 4, 3], [2, 1, 0]]), customers)).toBe(0);
  });

  it('counts the customers whose following edge the other solution lacks', () => {
    const a = of([[0, 1, 2], [3, 4, 5]]);
    const b = of([[0, 1], [2, 3, 4, 5]]);
    // b lacks a's edge 1–2 and the depot edge before 3 (b serves 3 between 2 and 4); 2–depot it has.
    expect(brokenPairsDistance(a, b, customers)).toBeCloseTo(2 / 6, 12);
  });
});

describe('Population', () => {
  const options = { minimum: 3, generation: 2, elite: 1, closest: 1 };

  it('keeps solutions within capacity apart from overloaded ones and knows the best', () => {
    const population = new Population(customers, options, 10);
    expect(population.add(of([[0, 1, 2, 3, 4, 5]], 50, 2))).toBe(false);
    expect(population.add(of([[0, 1, 2], [3, 4, 5]], 120))).toBe(true);
    expect(population.add(of([[0, 2, 1], [3, 5, 4]], 110))).toBe(true);
    expect(population.add(of([[1, 0, 2], [3, 4, 5]], 130))).toBe(false);
    expect(population.feasible.map((i) => i.distance)).toEqual([110, 120, 130]);
    expect(population.infeasible).toHaveLength(1);
    expect(population.best!.distance).toBe(110);
  });

  it('drops clones first, then the worst fitness, down to the minimum, never the best', () => {
    const population = new Population(customers, options, 10);
    population.add(of([[0, 1, 2], [3, 4, 5]], 100));
    population.add(of([[0, 1, 2], [3, 4, 5]], 100));
    population.add(of([[0, 1, 2], [3, 4, 5]], 100));
    population.add(of([[5, 1, 3], [0, 2, 4]], 140));
    population.add(of([[2, 4], [1, 3, 5, 0]], 150));
    expect(population.feasible).toHaveLength(5);
    population.add(of([[0, 2, 1], [3, 4, 5]], 90));
    expect(population.feasible).toHaveLength(3);
    expect(population.feasible.map((i) => i.distance)).toEqual([90, 100, 140]);
  });

  it('picks parents by binary tournament from both groups', () => {
    const population = new Population(customers, options, 10);
    population.add(of([[0, 1, 2], [3, 4, 5]], 100));
    population.add(of([[0, 1, 2, 3, 4, 5]], 80, 1));
    const random = new Random(2);
    const picked = new Set(Array.from({ length: 50 }, () => population.select(random).distance));
    expect(picked).toEqual(new Set([100, 80]));
  });
});
