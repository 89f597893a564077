// Readers for reference solutions: CVRPLIB `.sol` ("Route #k: …" lines and "Cost X") and Cordeau `.res`
// (cost on line 1, then `depot vehicle length load 0 c1 … 0` per route).
import { InvalidProblemError } from '../errors.ts';
import { numbers } from './instance.ts';

export interface ReferenceSolution {
  cost: number;
  /** Customers by the file's numbering; `vehicle` is the 0-based depot/vehicle kind when the file gives it. */
  routes: { vehicle?: number; customers: number[] }[];
}

export function parseSol(text: string): ReferenceSolution {
  const routes: ReferenceSolution['routes'] = [];
  let cost = NaN;
  text.split(/\r?\n/).forEach((line, i) => {
    const route = /^\s*Route\s*#\d+\s*:(.*)$/i.exec(line);
    if (route) routes.push({ customers: numbers(route[1]!, i + 1) });
    const total = /^\s*Cost\s+(\S+)/i.exec(line);
    if (total) cost = Number(total[1]);
  });
  if (!Number.isFinite(cost)) throw new InvalidProblemError('Cost', 'missing or not a number');
  return { cost, routes };
}

export function parseCordeauResult(text: string): ReferenceSolution {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const cost = Number(lines[0]);
  if (!Number.isFinite(cost)) throw new InvalidProblemError('line 1', 'the cost is not a number');
  const routes = lines.slice(1).map((line, i) => {
    const row = numbers(line, i + 2);
    // depot, vehicle, length, load, then the tour enclosed in the depot's 0s.
    return { vehicle: row[0]! - 1, customers: row.slice(5, -1) };
  });
  return { cost, routes };
}
