// CVRPLIB / VRPLIB `.vrp` files: capacitated (A, B, P, X, CMT sets) and with time windows (Homberger
// in VRPLIB form, with TIME_WINDOW_SECTION and a global or per-node SERVICE_TIME).
import { InvalidProblemError } from '../errors.ts';
import type { Customer } from '../routing/problem.ts';
import { euclideanMatrix, numbers, type BenchmarkInstance, type DistanceConvention, type Point } from './instance.ts';

const SECTIONS = ['NODE_COORD_SECTION', 'DEMAND_SECTION', 'DEPOT_SECTION', 'TIME_WINDOW_SECTION', 'SERVICE_TIME_SECTION'];

export function parseVrplib(text: string, fallbackName = 'instance'): BenchmarkInstance {
  const header = new Map<string, string>();
  const sections = new Map<string, number[][]>();
  let section: string | null = null;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line === 'EOF') return;
    const name = line.split(/\s+/)[0]!;
    if (SECTIONS.includes(name)) {
      section = name;
      sections.set(name, []);
      return;
    }
    const colon = line.indexOf(':');
    if (colon > 0 && /^[A-Z_]+\s*$/.test(line.slice(0, colon))) {
      section = null;
      header.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      return;
    }
    if (section === null) throw new InvalidProblemError(`line ${i + 1}`, `unexpected "${line}"`);
    sections.get(section)!.push(numbers(line, i + 1));
  });

  const name = header.get('NAME') ?? fallbackName;
  const size = Number(header.get('DIMENSION'));
  const capacity = Number(header.get('CAPACITY'));
  if (!Number.isInteger(size) || size < 2) throw new InvalidProblemError('DIMENSION', 'missing or not a count of nodes');
  if (!(capacity > 0)) throw new InvalidProblemError('CAPACITY', 'missing or not positive');
  const weightType = header.get('EDGE_WEIGHT_TYPE');
  if (weightType !== 'EUC_2D') throw new InvalidProblemError('EDGE_WEIGHT_TYPE', `only EUC_2D is supported, not ${weightType}`);

  const coords = byNode(sections.get('NODE_COORD_SECTION'), size, 'NODE_COORD_SECTION', 2);
  const demands = byNode(sections.get('DEMAND_SECTION'), size, 'DEMAND_SECTION', 1);
  const windows = sections.has('TIME_WINDOW_SECTION') ? byNode(sections.get('TIME_WINDOW_SECTION'), size, 'TIME_WINDOW_SECTION', 2) : null;
  const services = sections.has('SERVICE_TIME_SECTION') ? byNode(sections.get('SERVICE_TIME_SECTION'), size, 'SERVICE_TIME_SECTION', 1) : null;
  const globalService = Number(header.get('SERVICE_TIME') ?? 0);
  const depotIds = (sections.get('DEPOT_SECTION') ?? []).map((row) => row[0]!).filter((id) => id > 0);
  if (depotIds.length === 0) throw new InvalidProblemError('DEPOT_SECTION', 'no depot listed');

  const ids = [...coords.keys()];
  const points: Point[] = ids.map((id) => ({ x: coords.get(id)![0]!, y: coords.get(id)![1]! }));
  const location = new Map(ids.map((id, i) => [id, i]));
  const convention: DistanceConvention = windows ? 'truncated-1dp' : /^CMT/i.test(name) ? 'unrounded' : 'rounded';
  const distances = euclideanMatrix(points, convention);
  const isDepot = new Set(depotIds);
  const customers: Customer[] = ids
    .filter((id) => !isDepot.has(id))
    .map((id) => {
      const window = windows?.get(id);
      return {
        id: String(id),
        location: location.get(id)!,
        demand: [demands.get(id)![0]!],
        ...(window ? { timeWindow: [window[0]!, window[1]!] as [number, number] } : {}),
        serviceTime: services ? services.get(id)![0]! : globalService,
      };
    });
  const depots = depotIds.map((id) => {
    const window = windows?.get(id);
    return {
      id: String(id),
      location: location.get(id) ?? failMissing(id),
      ...(window ? { timeWindow: [window[0]!, window[1]!] as [number, number] } : {}),
    };
  });
  const fleet = Number(header.get('VEHICLES') ?? customers.length);
  return {
    name,
    format: windows ? 'vrplib-tw' : 'cvrplib',
    convention,
    problem: {
      depots,
      customers,
      vehicles: depots.map((d) => ({ id: `vehicle@${d.id}`, count: fleet, startDepot: d.id, capacity: [capacity] })),
      distances,
      coordinates: points.map((p) => [p.x, p.y]),
    },
    // Solution files number the customers 1..n in file order, skipping the depot.
    customerIdOfSolutionNumber: (k) => customers[k - 1]?.id ?? failMissing(k),
  };
}

/** Rows of a section keyed by node id, each with `width` values after the id. */
function byNode(rows: number[][] | undefined, size: number, field: string, width: number): Map<number, number[]> {
  if (!rows) throw new InvalidProblemError(field, 'missing');
  if (rows.length !== size) throw new InvalidProblemError(field, `has ${rows.length} rows, DIMENSION says ${size}`);
  const out = new Map<number, number[]>();
  rows.forEach((row, i) => {
    if (row.length < width + 1) throw new InvalidProblemError(`${field}[${i}]`, `needs ${width + 1} numbers`);
    out.set(row[0]!, row.slice(1));
  });
  return out;
}

function failMissing(id: number): never {
  throw new InvalidProblemError('node', `no node ${id}`);
}
