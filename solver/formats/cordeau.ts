// Cordeau et al. (1997) multi-depot files: `type m n t`, then t lines `D Q` (max route duration, 0 for
// none; capacity), n customer rows `i x y d q …`, then t depot rows `i x y …`.
import { InvalidProblemError } from '../errors.ts';
import { euclideanMatrix, numbers, type BenchmarkInstance } from './instance.ts';

export function parseCordeau(text: string, name = 'instance'): BenchmarkInstance {
  const lines = text
    .split(/\r?\n/)
    .map((l, i) => ({ row: l.trim() === '' ? [] : numbers(l, i + 1), n: i + 1 }))
    .filter(({ row }) => row.length > 0);
  const [type, perDepot, n, t] = lines[0]?.row ?? [];
  if (type !== 2) throw new InvalidProblemError('line 1', `type ${type} is not a multi-depot VRP (2)`);
  if (!(perDepot! >= 1) || !(n! >= 1) || !(t! >= 1)) throw new InvalidProblemError('line 1', 'needs m, n and t');
  if (lines.length < 1 + t! + n! + t!) throw new InvalidProblemError('file', `expected ${1 + t! + n! + t!} lines, found ${lines.length}`);
  const limits = lines.slice(1, 1 + t!).map(({ row }) => ({ maxDuration: row[0]!, capacity: row[1]! }));
  const customerRows = lines.slice(1 + t!, 1 + t! + n!).map(({ row, n: line }) => {
    if (row.length < 5) throw new InvalidProblemError(`line ${line}`, 'a customer needs i x y d q');
    return row;
  });
  const depotRows = lines.slice(1 + t! + n!, 1 + t! + n! + t!).map(({ row }) => row);
  const distances = euclideanMatrix([...customerRows, ...depotRows].map((r) => ({ x: r[1]!, y: r[2]! })), 'unrounded');
  const depots = depotRows.map((r, j) => ({ id: String(r[0]), location: n! + j }));
  return {
    name,
    format: 'cordeau',
    convention: 'unrounded',
    problem: {
      depots,
      customers: customerRows.map((r, i) => ({ id: String(r[0]), location: i, demand: [r[4]!], serviceTime: r[3]! })),
      vehicles: depots.map((d, j) => ({
        id: `vehicle@${d.id}`,
        count: perDepot!,
        startDepot: d.id,
        capacity: [limits[j]!.capacity],
        ...(limits[j]!.maxDuration > 0 ? { maxDuration: limits[j]!.maxDuration } : {}),
      })),
      distances,
    },
    customerIdOfSolutionNumber: (k) => String(k),
  };
}
