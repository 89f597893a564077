// Maximum flow by Dinic's algorithm (BFS levels, then blocking flows by DFS); used to test how large
// a fairness floor the stock can carry and to find the bottleneck set when it cannot.
import type { FlowNetwork } from './network.ts';

/** Residual capacities at or below this count as zero (quantities are floats). */
export const FLOW_EPS = 1e-9;

/** Pushes a maximum flow from s to t on top of the current flow; returns the amount added. */
export function maxFlow(net: FlowNetwork, s: number, t: number): number {
  const level = new Int32Array(net.nodeCount);
  const cursor = new Int32Array(net.nodeCount);
  const queue = new Int32Array(net.nodeCount);
  let total = 0;
  while (buildLevels(net, s, t, level, queue)) {
    cursor.set(net.first);
    for (;;) {
      const pushed = blockingPush(net, s, t, Infinity, level, cursor);
      if (pushed <= FLOW_EPS) break;
      total += pushed;
    }
  }
  return total;
}

/** Nodes reachable from s through edges with residual capacity (the source side of a minimum cut). */
export function reachableFrom(net: FlowNetwork, s: number): Uint8Array {
  const seen = new Uint8Array(net.nodeCount);
  const stack = [s];
  seen[s] = 1;
  while (stack.length > 0) {
    const u = stack.pop()!;
    for (let e = net.first[u]!; e >= 0; e = net.next[e]!) {
      const v = net.to[e]!;
      if (!seen[v] && net.residual[e]! > FLOW_EPS) {
        seen[v] = 1;
        stack.push(v);
      }
    }
  }
  return seen;
}

function buildLevels(net: FlowNetwork, s: number, t: number, level: Int32Array, queue: Int32Array): boolean {
  level.fill(-1);
  level[s] = 0;
  let head = 0;
  let tail = 0;
  queue[tail++] = s;
  while (head < tail) {
    const u = queue[head++]!;
    for (let e = net.first[u]!; e >= 0; e = net.next[e]!) {
      const v = net.to[e]!;
      if (level[v]! < 0 && net.residual[e]! > FLOW_EPS) {
        level[v] = level[u]! + 1;
        queue[tail++] = v;
      }
    }
  }
  return level[t]! >= 0;
}

function blockingPush(net: FlowNetwork, u: number, t: number, limit: number, level: Int32Array, cursor: Int32Array): number {
  if (u === t) return limit;
  for (let e = cursor[u]!; e >= 0; e = cursor[u] = net.next[e]!) {
    const v = net.to[e]!;
    if (level[v] !== level[u]! + 1 || net.residual[e]! <= FLOW_EPS) continue;
    const pushed = blockingPush(net, v, t, Math.min(limit, net.residual[e]!), level, cursor);
    if (pushed > FLOW_EPS) {
      net.residual[e]! -= pushed;
      net.residual[e ^ 1]! += pushed;
      return pushed;
    }
  }
  return 0;
}
