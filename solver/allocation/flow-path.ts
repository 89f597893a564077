// The fast path: when no warehouse capacity can bind and nothing is pinned, commodities do not
// interact, and each one is a transportation problem on a flow network. Stage (1) is a parametric
// maximum flow (Newton steps on the minimum cut), stages (2)+(3) one lexicographic min-cost flow
// by network simplex.
import type { Instance } from './instance.ts';
import { FLOW_EPS, maxFlow, reachableFrom } from './flow/max-flow.ts';
import { NetworkSimplex } from './flow/network-simplex.ts';
import { FlowNetwork } from './flow/network.ts';
import { FLOOR_SLACK, floorQuantities, stageValues, type StagedSolution } from './stages.ts';

const SOURCE = 0;
const SINK = 1;
/** Newton steps per tier and commodity; it converges in a handful, this only bounds round-off loops. */
const MAX_NEWTON_STEPS = 60;

/** One commodity's network: source → lot (FEFO chain) → need → sink. */
interface CommodityNetwork {
  net: FlowNetwork;
  /** Instance need indices in this commodity. */
  needs: number[];
  /** Per entry of `needs`: the need → sink edge, whose capacity is the floor being tested. */
  sinkEdge: number[];
  /** Instance arc index → lot → need edge, for the arcs of this commodity. */
  arcEdge: Map<number, number>;
}

export function canUseFlowPath(inst: Instance): boolean {
  return !inst.capacityMayBind && inst.arcs.every((a) => a.pinned === 0);
}

export function solveByFlow(inst: Instance, withPriceOfFairness: boolean): StagedSolution {
  const networks = inst.commodities.map((_, c) => buildNetwork(inst, c)).filter((cn) => cn.needs.length > 0);
  const tierFloors: { tier: number; floor: number }[] = [];
  for (const tier of inst.tiers) {
    const floor = maxTierFloor(inst, networks, tierFloors, tier);
    if (floor !== undefined) tierFloors.push({ tier, floor });
  }
  const floors = floorQuantities(inst, tierFloors);
  const x = new Float64Array(inst.arcs.length);
  let weightedWithoutFairness = 0;
  for (const cn of networks) {
    const { simplex, arcOf, floorArcs } = lexicographicFlow(inst, cn, floors);
    for (const [a, e] of arcOf) x[a] = simplex.flow(e);
    if (!withPriceOfFairness) continue;
    // Stage (2) without floors: floor units stop paying level 0, then re-optimise from this basis.
    simplex.resolveWithCosts(floorArcs.map(({ arc, weight }) => ({ arc, cost: [0, -weight, 0] })));
    for (const [a, e] of arcOf) weightedWithoutFairness += inst.needs[inst.arcs[a]!.need]!.weight * simplex.flow(e);
  }
  const values = stageValues(inst, x);
  return {
    x,
    tierFloors,
    ...values,
    ...(withPriceOfFairness ? { weightedWithoutFairness } : {}),
    backend: 'flow',
    variables: inst.arcs.length,
  };
}

function buildNetwork(inst: Instance, commodity: number): CommodityNetwork {
  const needs = inst.needs.flatMap((n, i) => (n.commodity === commodity && inst.arcStart[i + 1]! > inst.arcStart[i]! ? [i] : []));
  const depotLotNode = new Map<number, number>();
  let nodes = 2;
  inst.depots.forEach((d, k) => {
    if (d.commodity !== commodity) return;
    depotLotNode.set(k, nodes);
    nodes += d.lots.length;
  });
  const needNode = nodes;
  const net = new FlowNetwork(nodes + needs.length, 4 * (needs.length + nodes));
  for (const [k, base] of depotLotNode) {
    const depot = inst.depots[k]!;
    depot.lots.forEach((lot, j) => {
      net.addEdge(SOURCE, base + j, lot.quantity);
      // Stock of a later-expiring lot may serve anyone an earlier lot may serve. (Finite capacities
      // only: flow is read back as capacity − residual.)
      if (j > 0) net.addEdge(base + j, base + j - 1, depot.usableFrom[0]!);
    });
  }
  const arcEdge = new Map<number, number>();
  const sinkEdge: number[] = [];
  needs.forEach((i, position) => {
    const info = inst.needs[i]!;
    for (let a = inst.arcStart[i]!; a < inst.arcStart[i + 1]!; a++) {
      const arc = inst.arcs[a]!;
      arcEdge.set(a, net.addEdge(depotLotNode.get(arc.depot)! + arc.firstLot, needNode + position, info.asked));
    }
    sinkEdge.push(net.addEdge(needNode + position, SINK, 0));
  });
  return { net, needs, sinkEdge, arcEdge };
}

function setRequirements(cn: CommodityNetwork, required: (i: number) => number): void {
  cn.needs.forEach((i, position) => cn.net.setCapacity(cn.sinkEdge[position]!, required(i)));
  cn.net.reset();
}

/**
 * Stage (1) for one tier: the largest t such that every need of the tier can get t × its attainable
 * quantity while earlier tiers keep their floors; the smallest over commodities. Undefined when no
 * need of the tier can be reached at all.
 */
function maxTierFloor(inst: Instance, networks: CommodityNetwork[], fixed: readonly { tier: number; floor: number }[], tier: number): number | undefined {
  const floors = floorQuantities(inst, fixed);
  let best: number | undefined;
  for (const cn of networks) {
    if (!cn.needs.some((i) => inst.needs[i]!.tier === tier && inst.needs[i]!.attainable > 0)) continue;
    best = newtonFloor(inst, cn, floors, tier, best ?? 1);
  }
  return best;
}

/** Newton's method on the minimum cut: each infeasible t yields a bottleneck set whose ratio is the next t. */
function newtonFloor(inst: Instance, cn: CommodityNetwork, floors: Float64Array, tier: number, start: number): number {
  const share = (i: number) => (inst.needs[i]!.tier === tier ? inst.needs[i]!.attainable : 0);
  let t = start;
  for (let step = 0; step < MAX_NEWTON_STEPS; step++) {
    setRequirements(cn, (i) => floors[i]! + t * share(i));
    maxFlow(cn.net, SOURCE, SINK);
    let required = 0;
    let short = 0;
    cn.needs.forEach((_, position) => {
      required += cn.net.capacity[cn.sinkEdge[position]!]!;
      short += cn.net.residual[cn.sinkEdge[position]!]!;
    });
    if (short <= FLOW_EPS * (1 + required)) return t;
    const next = bottleneckRatio(cn, floors, share);
    if (!(next < t)) return t;
    t = Math.max(0, next);
  }
  return t;
}

/** Needs cut off from the source share the stock they already got; their ratio bounds t from above. */
function bottleneckRatio(cn: CommodityNetwork, floors: Float64Array, share: (i: number) => number): number {
  const reached = reachableFrom(cn.net, SOURCE);
  const needNode = cn.net.nodeCount - cn.needs.length;
  let delivered = 0;
  let fixedPart = 0;
  let sharePart = 0;
  cn.needs.forEach((i, position) => {
    if (reached[needNode + position]) return;
    delivered += cn.net.flow(cn.sinkEdge[position]!);
    fixedPart += floors[i]!;
    sharePart += share(i);
  });
  return sharePart > 0 ? (delivered - fixedPart) / sharePart : 0;
}

/**
 * Stages (2)+(3) for one commodity as one min-cost circulation with lexicographic costs: level 0
 * pays −1 per unit of fairness floor (all floors are met, stage 1 proved it), level 1 −weight per
 * unit delivered, level 2 travel seconds per unit. The sink returns flow to the source for free.
 */
function lexicographicFlow(
  inst: Instance,
  cn: CommodityNetwork,
  floors: Float64Array,
): { simplex: NetworkSimplex; arcOf: Map<number, number>; floorArcs: { arc: number; weight: number }[] } {
  const net = cn.net;
  const simplex = new NetworkSimplex(net.nodeCount);
  let totalStock = 0;
  let maxWeight = 0;
  let maxTravel = 0;
  for (let e = net.first[SOURCE]!; e >= 0; e = net.next[e]!) totalStock += net.capacity[e]!;
  // Copy the commodity's stock and arc edges (source → lot, lot chain, lot → need) as they are.
  const arcOf = new Map<number, number>();
  const edgeArc = new Map<number, number>();
  for (const [a, e] of cn.arcEdge) edgeArc.set(e, a);
  for (let u = 0; u < net.nodeCount; u++) {
    for (let e = net.first[u]!; e >= 0; e = net.next[e]!) {
      if (e % 2 === 1 || net.to[e] === SINK) continue;
      const a = edgeArc.get(e);
      const travel = a === undefined ? 0 : inst.arcs[a]!.travelS;
      const arc = simplex.addArc(u, net.to[e]!, net.capacity[e]!, 0, 0, travel);
      if (a !== undefined) arcOf.set(a, arc);
      maxTravel = Math.max(maxTravel, travel);
    }
  }
  const needNode = net.nodeCount - cn.needs.length;
  // Warm start: every need hangs from the sink by its upper need → sink arc, the sink from the source.
  const start: number[] = [];
  const floorArcs: { arc: number; weight: number }[] = [];
  cn.needs.forEach((i, position) => {
    const need = inst.needs[i]!;
    const floor = floors[i]!;
    maxWeight = Math.max(maxWeight, need.weight);
    if (floor > 0) floorArcs.push({ arc: simplex.addArc(needNode + position, SINK, floor, -1, -need.weight, 0), weight: need.weight });
    start.push(simplex.addArc(needNode + position, SINK, need.asked - floor, 0, -need.weight, 0));
  });
  start.push(simplex.addArc(SINK, SOURCE, totalStock, 0, 0, 0));
  simplex.solve({ levels: [FLOOR_SLACK / 10, 1e-9 * (1 + maxWeight), 1e-9 * (1 + maxTravel)] }, start);
  return { simplex, arcOf, floorArcs };
}
