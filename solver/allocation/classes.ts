// Needs that no stage of the model can tell apart — same candidate arcs (warehouse, first usable lot,
// travel time), same tier and same weight, the same limited handover point if any, nothing pinned — are
// solved as one class: a district's households behind one gate asking for rice become one row instead of
// hundreds. The class optimum is
// the full model's optimum (any split of a class total that keeps each member between its floor and its
// ask is feasible and scores the same), and it is handed back to the members fairly and deterministically.
import type { Arc, Instance, NeedInfo } from './instance.ts';
import { floorQuantities } from './stages.ts';

export interface NeedClasses {
  /** The instance whose needs are the classes (arcs: one per class and candidate). */
  instance: Instance;
  /** Full-instance need indices of each class, in need order. */
  members: number[][];
}

export function classesOf(inst: Instance): NeedClasses {
  const byKey = new Map<string, number>();
  const members: number[][] = [];
  inst.needs.forEach((info, i) => {
    const arcs = inst.arcs.slice(inst.arcStart[i]!, inst.arcStart[i + 1]!);
    const key = arcs.some((a) => a.pinned > 0) ? `need ${i}` : classKey(info, arcs);
    let c = byKey.get(key);
    if (c === undefined) byKey.set(key, (c = members.push([]) - 1));
    members[c]!.push(i);
  });
  const needs: NeedInfo[] = [];
  const arcs: Arc[] = [];
  const arcStart = [0];
  members.forEach((group, c) => {
    const first = group[0]!;
    const info = inst.needs[first]!;
    let asked = 0;
    let attainable = 0;
    for (const i of group) {
      asked += inst.needs[i]!.asked;
      attainable += inst.needs[i]!.attainable;
    }
    needs.push({ ...info, asked, attainable });
    for (let a = inst.arcStart[first]!; a < inst.arcStart[first + 1]!; a++) arcs.push({ ...inst.arcs[a]!, need: c });
    arcStart.push(arcs.length);
  });
  return { instance: { ...inst, needs, arcs, arcStart }, members };
}

function classKey(info: NeedInfo, arcs: readonly Arc[]): string {
  return `${info.tier}|${info.weight}|${info.point ?? ''}|${arcs.map((a) => `${a.depot}:${a.firstLot}:${a.travelS}`).join(',')}`;
}

/**
 * The quantity on every arc of the full instance from the class solution. Each class total goes to its
 * members by water-filling: every member gets the same share of its ask, except that none falls below its
 * fairness floor. Each member's quantity is then drawn from the class's arcs in order (nearest first,
 * members in need order), so most households are served from one warehouse.
 */
export function spreadOverMembers(inst: Instance, classes: NeedClasses, x: Float64Array, tierFloors: readonly { tier: number; floor: number }[]): Float64Array {
  const floors = floorQuantities(inst, tierFloors);
  const full = new Float64Array(inst.arcs.length);
  const { instance } = classes;
  classes.members.forEach((group, c) => {
    const from = instance.arcStart[c]!;
    const to = instance.arcStart[c + 1]!;
    if (group.length === 1) {
      const base = inst.arcStart[group[0]!]!;
      for (let a = from; a < to; a++) full[base + a - from] = x[a]!;
      return;
    }
    let total = 0;
    for (let a = from; a < to; a++) total += x[a]!;
    const shares = waterFill(group.map((i) => inst.needs[i]!.asked), group.map((i) => floors[i]!), total);
    drawInOrder(x.subarray(from, to), shares, (m, a, q) => (full[inst.arcStart[group[m]!]! + a]! += q));
  });
  return full;
}

/**
 * Hands members sharing the same arcs their shares of the arcs' flows: each member's share is drawn
 * from the arcs in order (nearest first, members in order), so most members are served by one arc.
 */
export function drawInOrder(flows: Float64Array, shares: readonly number[], put: (member: number, arc: number, quantity: number) => void): void {
  let arc = 0;
  let left = flows.length > 0 ? flows[0]! : 0;
  shares.forEach((share, m) => {
    let want = share;
    while (want > 0 && arc < flows.length) {
      const take = Math.min(want, left);
      if (take > 0) put(m, arc, take);
      want -= take;
      left -= take;
      if (left <= 0 && ++arc < flows.length) left = flows[arc]!;
    }
  });
}

/**
 * Shares of `total` with floor_i ≤ share_i ≤ ask_i: share_i = max(floor_i, λ·ask_i), λ chosen so that the
 * shares add up to the total (clamped to what the bounds allow, which only round-off can exceed).
 */
export function waterFill(asks: readonly number[], floors: readonly number[], total: number): number[] {
  const floorSum = floors.reduce((s, f) => s + f, 0);
  if (total <= floorSum) return floors.map((f) => (floorSum > 0 ? (f * Math.max(0, total)) / floorSum : 0));
  const askSum = asks.reduce((s, q) => s + q, 0);
  if (total >= askSum) return asks.slice();
  // Members in the order λ reaches their floor share; below that point they stay at their floor.
  const order = asks.map((_, m) => m).sort((p, q) => floors[p]! / asks[p]! - floors[q]! / asks[q]! || p - q);
  let raisedAsk = 0;
  let fixedFloors = floorSum;
  let lambda = 1;
  for (let k = 0; k <= order.length; k++) {
    // λ between the k-th and (k+1)-th breakpoints: the first k members are at λ·ask, the rest at their floor.
    const candidate = raisedAsk > 0 ? (total - fixedFloors) / raisedAsk : 0;
    const next = k < order.length ? floors[order[k]!]! / asks[order[k]!]! : 1;
    if (raisedAsk > 0 && candidate <= next) {
      lambda = candidate;
      break;
    }
    if (k === order.length) break;
    raisedAsk += asks[order[k]!]!;
    fixedFloors -= floors[order[k]!]!;
  }
  return asks.map((q, m) => Math.min(q, Math.max(floors[m]!, lambda * q)));
}
