import { describe, expect, it } from 'vitest';
import { maxFlow, reachableFrom } from '../../../../solver/allocation/flow/max-flow.ts';
import { FlowNetwork } from '../../../../solver/allocation/flow/network.ts';
import { NetworkSimplex } from '../../../../solver/allocation/flow/network-simplex.ts';
import { LpBuilder, solveLp } from '../../../../solver/lp/solve.ts';
import { Random } from '../../../../solver/random.ts';

const TOL = { levels: [1e-9, 1e-9, 1e-9] as [number, number, number] };

describe('maximum flow', () => {
  it('finds the classic max flow and its minimum cut', () => {
    const net = new FlowNetwork(4);
    net.addEdge(0, 1, 3);
    net.addEdge(0, 2, 2);
    net.addEdge(1, 2, 5);
    net.addEdge(1, 3, 2);
    net.addEdge(2, 3, 3);
    expect(maxFlow(net, 0, 3)).toBeCloseTo(5, 12);
    const side = reachableFrom(net, 0);
    expect(side[3]).toBe(0);
  });
});

describe('network simplex', () => {
  it('matches HiGHS on random min-cost circulations with lexicographic costs', async () => {
    for (let seed = 1; seed <= 25; seed++) {
      const random = new Random(seed);
      const n = 4 + random.int(8);
      const simplex = new NetworkSimplex(n);
      const arcs: [number, number, number, number, number, number][] = [];
      for (let k = 0; k < n * 3; k++) {
        const u = random.int(n);
        const v = random.int(n);
        if (u === v) continue;
        const arc: [number, number, number, number, number, number] = [u, v, 1 + random.int(9), random.int(3) - 1, random.int(11) - 5, random.int(11) - 3];
        arcs.push(arc);
        simplex.addArc(...arc);
      }
      simplex.solve(TOL);
      const value = (level: number) => arcs.reduce((s, a, k) => s + a[3 + level]! * simplex.flow(k), 0);
      // The same circulation as LPs, one level at a time, each optimum fixed (lexicographic).
      const builder = new LpBuilder('min');
      arcs.forEach((a) => builder.addVariable(0, a[2]));
      for (let v = 0; v < n; v++) {
        const indices: number[] = [];
        const coef: number[] = [];
        arcs.forEach((a, k) => {
          if (a[0] === v) (indices.push(k), coef.push(1));
          if (a[1] === v) (indices.push(k), coef.push(-1));
        });
        if (indices.length > 0) builder.addRow(indices, coef, 0, 0);
      }
      const all = arcs.map((_, k) => k);
      for (let level = 0; level < 3; level++) {
        const costs = arcs.map((a) => a[3 + level]!);
        builder.setObjective('min', costs);
        const lp = await solveLp(builder.model(), 'highs');
        expect(value(level), `seed ${seed} level ${level}`).toBeCloseTo(lp.objective, 6);
        builder.addRow(all, costs, -Infinity, lp.objective + 1e-9);
      }
      // Conservation at every node.
      for (let v = 0; v < n; v++) {
        const net = arcs.reduce((s, a, k) => s + (a[0] === v ? simplex.flow(k) : 0) - (a[1] === v ? simplex.flow(k) : 0), 0);
        expect(net).toBeCloseTo(0, 9);
      }
    }
  });
});
