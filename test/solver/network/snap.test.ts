import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidProblemError, UnsolvableError } from '../../../solver/errors.ts';
import { snap, type RoadNetwork } from '../../../solver/network/index.ts';
import { segmentsInBox } from '../../../solver/network/snap.ts';
import { haversineM } from '../../../solver/network/geo.ts';
import { pointAlong } from '../../../solver/network/traversal.ts';
import { Random } from '../../../solver/random.ts';
import { monacoNetwork } from './monaco.ts';

describe('snapping on the real Monaco extract', () => {
  let network: RoadNetwork;
  beforeAll(async () => {
    network = await monacoNetwork('pbf');
  });

  it('finds every road with a point in a box, as a brute force over every metre of every road does', () => {
    const { segments } = network.layers.drive;
    const { projection } = network;
    const random = new Random(11);
    for (let k = 0; k < 20; k++) {
      const x = projection.x(7.41 + random.next() * 0.02);
      const y = projection.y(43.728 + random.next() * 0.016);
      const box = { minX: x, minY: y, maxX: x + 20 + random.next() * 300, maxY: y + 20 + random.next() * 300 };
      const found = new Set(segmentsInBox(network, 'drive', box));
      for (let s = 0; s < segments.count; s++) {
        const steps = Math.max(1, Math.ceil(segments.lengthM[s]));
        for (let i = 0; i <= steps; i++) {
          const p = pointAlong(segments, s, i / steps);
          const [px, py] = [projection.x(p.lon), projection.y(p.lat)];
          if (px >= box.minX && px <= box.maxX && py >= box.minY && py <= box.maxY) {
            expect(found.has(s), `segment ${s} crosses box ${k}`).toBe(true);
            break;
          }
        }
      }
      // A superset, but of the roads near the box, not the whole network.
      expect(found.size).toBeLessThan(segments.count / 4);
    }
  });

  it('lands on the nearest point of a road, found by brute force over every segment', () => {
    const { segments } = network.layers.drive;
    const random = new Random(5);
    for (let k = 0; k < 50; k++) {
      const at = { lat: 43.728 + random.next() * 0.016, lon: 7.41 + random.next() * 0.02 };
      const snapped = snap(network, at, 'drive', { maxDistanceM: 2000 });
      let nearest = Infinity;
      for (let s = 0; s < segments.count; s++) {
        // Sample each segment every metre: the brute-force answer is within a metre of the truth.
        const steps = Math.max(1, Math.ceil(segments.lengthM[s]));
        for (let i = 0; i <= steps; i++) {
          const p = pointAlong(segments, s, i / steps);
          nearest = Math.min(nearest, haversineM(at.lat, at.lon, p.lat, p.lon));
        }
      }
      expect(snapped.distanceM).toBeLessThanOrEqual(nearest + 0.01);
      expect(snapped.distanceM).toBeGreaterThan(nearest - 1);
      const onRoad = pointAlong(segments, snapped.segment, snapped.fraction);
      expect(haversineM(onRoad.lat, onRoad.lon, snapped.point.lat, snapped.point.lon)).toBeLessThan(0.5);
    }
  });

  it('snaps to the middle of an edge, not only to junctions', () => {
    const { segments } = network.layers.drive;
    const s = segments.lengthM.findIndex((m) => m > 200);
    const middle = pointAlong(segments, s, 0.5);
    const snapped = snap(network, middle, 'drive');
    expect(snapped.segment).toBe(s);
    expect(snapped.fraction).toBeCloseTo(0.5, 3);
    expect(snapped.distanceM).toBeLessThan(0.01);
  });

  it('refuses a point out at sea with the distance in the reason', () => {
    const error = (() => {
      try {
        snap(network, { lat: 43.7, lon: 7.45 }, 'drive', { maxDistanceM: 200 });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UnsolvableError);
    expect((error as UnsolvableError).reason).toMatch(/no drive road within 200 m of \(43\.7, 7\.45\)/);
  });

  it('refuses coordinates that are not coordinates', () => {
    expect(() => snap(network, { lat: 91, lon: 7 }, 'walk')).toThrow(InvalidProblemError);
    expect(() => snap(network, { lat: 43.7, lon: '7' as unknown as number }, 'walk')).toThrow(/point\.lon/);
  });
});
