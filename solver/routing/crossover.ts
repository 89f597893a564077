// Order crossover (OX) of two giant tours, as HGS-CVRP recombines its parents: the child keeps a slice
// of the first parent in place and takes the other customers in the second parent's order after it.
import type { Random } from '../random.ts';

/** A child of two permutations of the same customers, keeping `first[start..end]` (circular, inclusive). */
export function orderCrossover(first: readonly number[], second: readonly number[], random: Random): number[] {
  const n = first.length;
  if (n < 2) return first.slice();
  const start = random.int(n);
  let end = random.int(n - 1);
  if (end >= start) end++;
  return orderCrossoverAt(first, second, start, end);
}

export function orderCrossoverAt(first: readonly number[], second: readonly number[], start: number, end: number): number[] {
  const n = first.length;
  const child = new Array<number>(n);
  const taken = new Set<number>();
  for (let k = start; ; k = (k + 1) % n) {
    child[k] = first[k]!;
    taken.add(first[k]!);
    if (k === end) break;
  }
  // The rest in the second parent's order, from just after the slice's end, wrapping around.
  let at = (end + 1) % n;
  for (let k = 1; k <= n; k++) {
    const c = second[(end + k) % n]!;
    if (taken.has(c)) continue;
    child[at] = c;
    at = (at + 1) % n;
  }
  return child;
}
