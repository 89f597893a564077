import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MatrixPool } from '../../../server/network/matrix-pool.ts';
import { addClosure, liftClosure, snap, travelMatrix, type RoadNetwork } from '../../../solver/network/index.ts';
import { Random } from '../../../solver/random.ts';
import { monacoNetwork } from '../../solver/network/monaco.ts';

describe('the worker-thread matrix pool', () => {
  let network: RoadNetwork;
  const pool = new MatrixPool(2);
  beforeAll(async () => {
    network = await monacoNetwork('xml');
  });
  afterAll(() => pool.close());

  it('gives the same matrix and reasons as the single-threaded solver', async () => {
    const random = new Random(4);
    const points = Array.from({ length: 40 }, () => ({ lat: 43.728 + random.next() * 0.014, lon: 7.412 + random.next() * 0.016 }));
    const closure = addClosure(network, { where: { near: snap(network, points[0], 'drive').point, radiusM: 30 } });
    try {
      const [pooled, alone] = await Promise.all([pool.travelMatrix(network, points, 'car'), travelMatrix(network, points, 'car')]);
      expect(pooled.timesS).toEqual(alone.timesS);
      expect(pooled.distancesM).toEqual(alone.distancesM);
      expect(pooled.why(0, 1)).toBe(alone.why(0, 1));
      const again = await pool.travelMatrix(network, points.slice(0, 7), 'foot');
      expect(again.timesS).toEqual(travelMatrix(network, points.slice(0, 7), 'foot').timesS);
    } finally {
      liftClosure(network, closure.id);
    }
  });

  it('computes only the rows of the first points when asked for fewer sources (a plan: warehouses to delivery points)', async () => {
    const random = new Random(7);
    const points = Array.from({ length: 25 }, () => ({ lat: 43.728 + random.next() * 0.014, lon: 7.412 + random.next() * 0.016 }));
    const all = travelMatrix(network, points, 'car');
    const fromThree = await pool.travelMatrix(network, points, 'car', { sources: 3 });
    expect(fromThree.rows).toBe(3);
    expect(fromThree.timesS.length).toBe(3 * points.length);
    expect(fromThree.timesS).toEqual(all.timesS.subarray(0, 3 * points.length));
    expect(travelMatrix(network, points, 'car', { sources: 3 }).timesS).toEqual(fromThree.timesS);
  });

  it("gives many small matrices (a district's zones on foot) as the solver gives each alone, closures included", async () => {
    const random = new Random(11);
    const sets = Array.from({ length: 5 }, (_, k) => Array.from({ length: 3 + 4 * k }, () => ({ lat: 43.728 + random.next() * 0.014, lon: 7.412 + random.next() * 0.016 })));
    const closure = addClosure(network, { layer: 'walk', where: { near: snap(network, sets[4]![0]!, 'walk').point, radiusM: 40 } });
    try {
      const pooled = await pool.travelMatrices(network, sets, 'foot');
      expect(pooled).toHaveLength(sets.length);
      pooled.forEach((matrix, k) => {
        const alone = travelMatrix(network, sets[k]!, 'foot');
        expect(matrix.size).toBe(sets[k]!.length);
        expect(matrix.timesS).toEqual(alone.timesS);
        expect(matrix.distancesM).toEqual(alone.distancesM);
      });
    } finally {
      liftClosure(network, closure.id);
    }
  });

  it('follows closures applied and lifted between calls (the workers get the newly customized hierarchy)', async () => {
    const random = new Random(9);
    const points = Array.from({ length: 30 }, () => ({ lat: 43.728 + random.next() * 0.014, lon: 7.412 + random.next() * 0.016 }));
    const before = await pool.travelMatrix(network, points, 'car');
    expect(before.timesS).toEqual(travelMatrix(network, points, 'car').timesS);
    const closure = addClosure(network, { where: { near: snap(network, points[3], 'drive').point, radiusM: 80 } });
    try {
      const closed = await pool.travelMatrix(network, points, 'car');
      expect(closed.timesS).toEqual(travelMatrix(network, points, 'car').timesS);
      expect(closed.timesS).not.toEqual(before.timesS);
    } finally {
      liftClosure(network, closure.id);
    }
    const lifted = await pool.travelMatrix(network, points, 'car');
    expect(lifted.timesS).toEqual(before.timesS);
    expect(lifted.distancesM).toEqual(before.distancesM);
  });
});
