// Granular neighbour lists: for each customer, the few customers most worth placing next to it, by
// distance plus the waiting or lateness their time windows would force (HGS-TW's correlation measure).
import type { Instance } from './problem.ts';

const WAIT_WEIGHT = 0.2;
const LATE_WEIGHT = 1;

export function nearestNeighbours(inst: Instance, count: number): Int32Array[] {
  const n = inst.customerCount;
  const N = inst.nodeCount;
  const time = inst.time[0]!;
  const k = Math.min(count, n - 1);
  if (k <= 0) return Array.from({ length: n }, () => new Int32Array(0));
  const lists: Int32Array[] = [];
  const best = new Int32Array(k);
  const bestScore = new Float64Array(k);
  // Breaks sit wherever the vehicle is, and reloads at its depot: they have no neighbours and are nobody's.
  const fixed = new Uint8Array(n);
  for (let i = 0; i < n; i++) fixed[i] = (inst.isBreak?.[i] ?? 0) | (inst.isReload?.[i] ?? 0);
  for (let i = 0; i < n; i++) {
    // Keep the k best seen so far, sorted (ties to the lower index): a short insertion, rarely needed.
    let size = 0;
    for (let j = 0; j < n; j++) {
      if (j === i || fixed[i] === 1 || fixed[j] === 1) continue;
      const score = Math.min(proximity(inst, i, j, N, time), proximity(inst, j, i, N, time));
      if (size === k && score >= bestScore[k - 1]!) continue;
      let p = size === k ? k - 1 : size++;
      while (p > 0 && bestScore[p - 1]! > score) {
        bestScore[p] = bestScore[p - 1]!;
        best[p] = best[p - 1]!;
        p--;
      }
      bestScore[p] = score;
      best[p] = j;
    }
    lists.push(best.slice(0, size));
  }
  return lists;
}

/** How well j fits right after i: the distance, plus forced waiting and lateness weighted. */
function proximity(inst: Instance, i: number, j: number, N: number, time: Float64Array): number {
  const t = time[i * N + j]!;
  const wait = Math.max(inst.ready[j]! - t - inst.service[i]! - inst.due[i]!, 0);
  const late = Math.max(inst.ready[i]! + inst.service[i]! + t - inst.due[j]!, 0);
  return inst.dist[i * N + j]! + WAIT_WEIGHT * wait + LATE_WEIGHT * late;
}
