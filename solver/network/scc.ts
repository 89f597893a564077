// Strongly connected components of a CSR digraph (iterative Tarjan), to keep the part of a road layer
// where every place can reach every other.

/** Component number of each node and the number of components. */
export function strongComponents(
  nodeCount: number,
  offsets: Int32Array,
  heads: Int32Array,
): { component: Int32Array; count: number } {
  const index = new Int32Array(nodeCount).fill(-1);
  const low = new Int32Array(nodeCount);
  const component = new Int32Array(nodeCount).fill(-1);
  const onStack = new Uint8Array(nodeCount);
  const stack = new Int32Array(nodeCount);
  const callNode = new Int32Array(nodeCount);
  const callArc = new Int32Array(nodeCount);
  let stackTop = 0;
  let counter = 0;
  let count = 0;
  for (let root = 0; root < nodeCount; root++) {
    if (index[root] !== -1) continue;
    let depth = 0;
    callNode[0] = root;
    callArc[0] = offsets[root]!;
    index[root] = low[root] = counter++;
    stack[stackTop++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const v = callNode[depth]!;
      const arc = callArc[depth]!;
      if (arc < offsets[v + 1]!) {
        callArc[depth] = arc + 1;
        const w = heads[arc]!;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack[stackTop++] = w;
          onStack[w] = 1;
          depth++;
          callNode[depth] = w;
          callArc[depth] = offsets[w]!;
        } else if (onStack[w]) {
          low[v] = Math.min(low[v]!, index[w]!);
        }
        continue;
      }
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack[--stackTop]!;
          onStack[w] = 0;
          component[w] = count;
        } while (w !== v);
        count++;
      }
      depth--;
      if (depth >= 0) {
        const parent = callNode[depth]!;
        low[parent] = Math.min(low[parent]!, low[v]!);
      }
    }
  }
  return { component, count };
}

/** CSR offsets for arcs given by their tails, and the order that sorts the arcs by tail. */
export function csrOrder(nodeCount: number, tails: ArrayLike<number>): { offsets: Int32Array; order: Int32Array } {
  const offsets = new Int32Array(nodeCount + 1);
  for (let i = 0; i < tails.length; i++) offsets[tails[i] + 1]++;
  for (let v = 0; v < nodeCount; v++) offsets[v + 1] += offsets[v];
  const next = offsets.slice(0, nodeCount);
  const order = new Int32Array(tails.length);
  for (let i = 0; i < tails.length; i++) order[next[tails[i]]++] = i;
  return { offsets, order };
}
