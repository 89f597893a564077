// Solomon / Homberger VRPTW `.txt` files: a VEHICLE block (number, capacity), then one row per node
// (CUST NO., X, Y, DEMAND, READY TIME, DUE DATE, SERVICE TIME); node 0 is the depot.
import { InvalidProblemError } from '../errors.ts';
import { euclideanMatrix, numbers, type BenchmarkInstance } from './instance.ts';

export function parseSolomon(text: string): BenchmarkInstance {
  const lines = text.split(/\r?\n/);
  const name = lines.find((l) => l.trim() !== '')?.trim() ?? 'instance';
  const vehicleAt = lines.findIndex((l) => /^\s*NUMBER\s+CAPACITY/i.test(l));
  if (vehicleAt < 0) throw new InvalidProblemError('VEHICLE', 'missing the NUMBER CAPACITY block');
  const [fleet, capacity] = numbers(lines[vehicleAt + 1] ?? '', vehicleAt + 2, 'VEHICLE line');
  if (!(fleet! >= 1) || !(capacity! > 0)) throw new InvalidProblemError('VEHICLE', 'needs a fleet size and a capacity');
  const headerAt = lines.findIndex((l) => /CUST\s+NO\./i.test(l));
  if (headerAt < 0) throw new InvalidProblemError('CUSTOMER', 'missing the CUST NO. header');
  const rows = lines
    .slice(headerAt + 1)
    .map((l, i) => ({ l, n: headerAt + 2 + i }))
    .filter(({ l }) => l.trim() !== '')
    .map(({ l, n }) => {
      const row = numbers(l, n);
      if (row.length < 7) throw new InvalidProblemError(`line ${n}`, 'needs 7 numbers');
      return row;
    });
  if (rows.length < 2) throw new InvalidProblemError('CUSTOMER', 'needs a depot and at least one customer');
  const distances = euclideanMatrix(rows.map((r) => ({ x: r[1]!, y: r[2]! })), 'truncated-1dp');
  const [depotRow, ...customerRows] = rows;
  const depotId = String(depotRow![0]);
  return {
    name,
    format: 'solomon',
    convention: 'truncated-1dp',
    problem: {
      depots: [{ id: depotId, location: 0, timeWindow: [depotRow![4]!, depotRow![5]!] }],
      customers: customerRows.map((r, i) => ({
        id: String(r[0]),
        location: i + 1,
        demand: [r[3]!],
        timeWindow: [r[4]!, r[5]!],
        serviceTime: r[6]!,
      })),
      vehicles: [{ id: 'vehicle', count: fleet!, startDepot: depotId, capacity: [capacity!] }],
      distances,
    },
    // Solution files use the CUST NO. column.
    customerIdOfSolutionNumber: (k) => String(k),
  };
}
