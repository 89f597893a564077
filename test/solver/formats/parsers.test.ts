import { describe, expect, it } from 'vitest';
import { InvalidProblemError } from '../../../solver/errors.ts';
import { parseCordeau } from '../../../solver/formats/cordeau.ts';
import { parseInstance } from '../../../solver/formats/index.ts';
import { parseSolomon } from '../../../solver/formats/solomon.ts';
import { parseVrplib } from '../../../solver/formats/vrplib.ts';

import { readFixture as read } from '../../support/fixtures.ts';

describe('the CVRPLIB reader', () => {
  it('reads A-n32-k5 with node ids as written, the depot apart and rounded distances', () => {
    const { problem, convention, format } = parseVrplib(read('cvrplib/A-n32-k5.vrp'));
    expect(format).toBe('cvrplib');
    expect(convention).toBe('rounded');
    expect(problem.depots).toEqual([{ id: '1', location: 0 }]);
    expect(problem.customers).toHaveLength(31);
    expect(problem.customers[0]).toMatchObject({ id: '2', location: 1, demand: [19] });
    expect(problem.vehicles[0]!.capacity).toEqual([100]);
    // Nodes 1 (82,76) and 2 (96,44): √(14² + 32²) = 34.93 → 35.
    expect(problem.distances[0]![1]).toBe(35);
    // Their positions too, by location, for the search's polar sectors.
    expect(problem.coordinates!.slice(0, 2)).toEqual([
      [82, 76],
      [96, 44],
    ]);
  });

  it('keeps CMT distances unrounded', () => {
    const { problem, convention } = parseVrplib(read('cvrplib/CMT1.vrp'));
    expect(convention).toBe('unrounded');
    expect(problem.distances[0]![1]).toBeCloseTo(Math.hypot(7, 12), 12);
  });

  it('reads the VRPLIB time-window form with its global service time and truncated distances', () => {
    const { problem, convention, format } = parseVrplib(read('vrplib-time-windows/R1_10_1.vrp'));
    expect(format).toBe('vrplib-tw');
    expect(convention).toBe('truncated-1dp');
    expect(problem.customers).toHaveLength(1000);
    expect(problem.depots[0]!.timeWindow).toEqual([0, 1925]);
    expect(problem.customers[0]).toMatchObject({ id: '2', timeWindow: [1153, 1163], serviceTime: 10, demand: [21] });
    expect(problem.vehicles[0]!.count).toBe(250);
  });

  it('names the section that is short of rows', () => {
    const text = read('cvrplib/A-n32-k5.vrp').replace(/\n2 19 *\n/, '\n');
    expect(() => parseVrplib(text)).toThrow(InvalidProblemError);
    expect(() => parseVrplib(text)).toThrow(/DEMAND_SECTION/);
  });
});

describe('the Solomon reader', () => {
  it('reads C101: 25 vehicles of 200, windows, service times, customer numbers as ids', () => {
    const { problem, convention } = parseSolomon(read('solomon/C101.txt'));
    expect(convention).toBe('truncated-1dp');
    expect(problem.vehicles).toEqual([{ id: 'vehicle', count: 25, startDepot: '0', capacity: [200] }]);
    expect(problem.depots[0]).toEqual({ id: '0', location: 0, timeWindow: [0, 1236] });
    expect(problem.customers[0]).toEqual({ id: '1', location: 1, demand: [10], timeWindow: [912, 967], serviceTime: 90 });
    // (40,50) to (45,68): 18.68… truncated to 18.6.
    expect(problem.distances[0]![1]).toBe(18.6);
  });
});

describe('the Cordeau reader', () => {
  it('reads p08: two depots with 14 vehicles each, capacity 500 and duration limit 310', () => {
    const { problem } = parseCordeau(read('cordeau/p08.txt'));
    expect(problem.customers).toHaveLength(249);
    expect(problem.depots.map((d) => d.id)).toEqual(['250', '251']);
    expect(problem.vehicles[1]).toEqual({ id: 'vehicle@251', count: 14, startDepot: '251', capacity: [500], maxDuration: 310 });
  });

  it('rejects a file that is not a multi-depot problem', () => {
    expect(() => parseCordeau('1 4 50 4\n')).toThrow(InvalidProblemError);
  });
});

describe('format detection', () => {
  it('picks the reader from the content', () => {
    expect(parseInstance('x/C101.txt', read('solomon/C101.txt')).format).toBe('solomon');
    expect(parseInstance('p01.txt', read('cordeau/p01.txt')).format).toBe('cordeau');
    expect(parseInstance('A-n32-k5.vrp', read('cvrplib/A-n32-k5.vrp')).name).toBe('A-n32-k5');
  });
});
