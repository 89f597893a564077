// Many-to-many travel times and distances over the layer's customized contraction hierarchy (bucket-based),
// seeded with the partial edges of snapped points. The work is split into a plain, transferable job so that
// a worker pool can compute row ranges in parallel with the same code. One Dijkstra per source remains as
// the reference the hierarchy is tested and benchmarked against.
import { UnsolvableError } from '../errors.ts';
import { explainUnreachable } from './explain.ts';
import type { LatLon } from './geo.ts';
import { HierarchyMatrix, targetBuckets, targetSpaces, type MatrixLegs, type TargetBuckets, type TargetSpaces } from './hierarchy-matrix.ts';
import { customizedHierarchy, type CustomizedHierarchy } from './hierarchy.ts';
import type { RoadNetwork } from './network.ts';
import { LAYER_OF_MODE, checkMode, type Mode } from './profiles.ts';
import { ShortestPathSearch, type Seed } from './search.ts';
import { checkLatLon, snap, type SnappedPoint } from './snap.ts';
import { Traversal, type Leg } from './traversal.ts';

export interface MatrixOptions {
  /** How far from a road a point may be (default 300 m); farther points are unreachable with that reason. */
  maxSnapDistanceM?: number;
  /**
   * Only the first `sources` points are origins (default: all): the matrix has that many rows, to every
   * point. A plan needs warehouses → delivery points, not delivery points → each other.
   */
  sources?: number;
}

/** Everything a matrix computation needs, as typed arrays (structured-clone friendly for worker threads). */
export interface MatrixJob extends MatrixLegs {
  /** Trips along a shared segment, as (from, to, time, length) quadruples. */
  direct: Float64Array;
  /** The mode's hierarchy, customized for the closures in force (workers keep it by its key). */
  hierarchy: CustomizedHierarchy;
  /** The targets' buckets when computed ahead (a pool fills them in parallel); else the first row range does. */
  buckets?: TargetBuckets;
}

export interface MatrixRows {
  fromRow: number;
  /** Row-major, rows fromRow .. fromRow + rows - 1, `size` columns each. */
  timesS: Float64Array;
  distancesM: Float64Array;
}

export interface TravelMatrix {
  size: number;
  /** Rows: the first `rows` points are origins (`size` unless fewer sources were asked for). */
  rows: number;
  mode: Mode;
  /** Row-major: timesS[i * size + j] from point i (< rows) to point j, Infinity when unreachable. */
  timesS: Float64Array;
  distancesM: Float64Array;
  /** Where each point joined the network, or why it could not. */
  snapped: (SnappedPoint | UnsolvableError)[];
  /** Why point `to` cannot be reached from point `from` (undefined when it can). */
  why(from: number, to: number): string | undefined;
}

export function travelMatrix(network: RoadNetwork, points: LatLon[], mode: Mode, options: MatrixOptions = {}): TravelMatrix {
  const { job, snapped } = prepareMatrix(network, points, mode, options);
  const rows = computeMatrixRows(job, 0, sourcesOf(job.size, options));
  return assembleMatrix(network, mode, snapped, [rows], rows.timesS.length / job.size);
}

/** How many of the points are origins. */
export function sourcesOf(size: number, options: MatrixOptions): number {
  return Math.min(size, options.sources ?? size);
}

/** The same matrix by one Dijkstra per source on the plain graph: the reference for tests and benchmarks. */
export function dijkstraTravelMatrix(network: RoadNetwork, points: LatLon[], mode: Mode, options: MatrixOptions = {}): TravelMatrix {
  const { legs, snapped } = prepareLegs(network, points, mode, options);
  const rows = dijkstraRows(network, mode, legs);
  return assembleMatrix(network, mode, snapped, [rows], legs.size);
}

function snapAll(network: RoadNetwork, points: LatLon[], mode: Mode, options: MatrixOptions): (SnappedPoint | UnsolvableError)[] {
  return points.map((point, i) => {
    checkLatLon(point, `points[${i}]`);
    try {
      return snap(network, point, LAYER_OF_MODE[mode], { maxDistanceM: options.maxSnapDistanceM });
    } catch (error) {
      if (error instanceof UnsolvableError) return error;
      throw error;
    }
  });
}

export function prepareMatrix(
  network: RoadNetwork,
  points: LatLon[],
  mode: Mode,
  options: MatrixOptions = {},
): { job: MatrixJob; snapped: (SnappedPoint | UnsolvableError)[] } {
  const { legs, snapped } = prepareLegs(network, points, mode, options);
  return { snapped, job: { ...legs, hierarchy: customizedHierarchy(network, mode) } };
}

/** Snaps the points and lists how each leaves and joins the graph, and the trips along a shared segment. */
function prepareLegs(
  network: RoadNetwork,
  points: LatLon[],
  mode: Mode,
  options: MatrixOptions,
): { legs: MatrixLegs & { direct: Float64Array }; snapped: (SnappedPoint | UnsolvableError)[] } {
  checkMode(mode);
  const layer = network.layers[LAYER_OF_MODE[mode]];
  const traversal = new Traversal(layer, mode);
  const snapped = snapAll(network, points, mode, options);
  const departures = snapped.map((p) => (p instanceof UnsolvableError ? [] : traversal.departures(p)));
  const arrivals = snapped.map((p) => (p instanceof UnsolvableError ? [] : traversal.arrivals(p)));
  const direct: number[] = [];
  const bySegment = new Map<number, number[]>();
  snapped.forEach((p, i) => {
    if (p instanceof UnsolvableError) return;
    let shared = bySegment.get(p.segment);
    if (!shared) bySegment.set(p.segment, (shared = []));
    for (const j of shared) {
      const there = traversal.direct(p, snapped[j] as SnappedPoint);
      const back = traversal.direct(snapped[j] as SnappedPoint, p);
      if (there) direct.push(i, j, there.timeS, there.lengthM);
      if (back) direct.push(j, i, back.timeS, back.lengthM);
    }
    shared.push(i);
  });
  const departure = flattenLegs(departures);
  const arrival = flattenLegs(arrivals);
  return {
    snapped,
    legs: {
      size: points.length,
      departureStart: departure.start,
      departureNode: departure.node,
      departureTimeS: departure.timeS,
      departureLengthM: departure.lengthM,
      arrivalStart: arrival.start,
      arrivalNode: arrival.node,
      arrivalTimeS: arrival.timeS,
      arrivalLengthM: arrival.lengthM,
      direct: Float64Array.from(direct),
    },
  };
}

function flattenLegs(legsPerPoint: Leg[][]) {
  const start = new Int32Array(legsPerPoint.length + 1);
  const all = legsPerPoint.flat();
  legsPerPoint.forEach((legs, i) => (start[i + 1] = start[i] + legs.length));
  return {
    start,
    node: Int32Array.from(all, (leg) => leg.node),
    timeS: Float64Array.from(all, (leg) => leg.timeS),
    lengthM: Float64Array.from(all, (leg) => leg.lengthM),
  };
}

/** The search buffers and target buckets of a job, made on its first row range and kept for the others. */
const engines = new WeakMap<MatrixJob, HierarchyMatrix>();

/** Rows fromRow .. toRow-1 of the matrix: one upward search per source, meeting the targets' buckets. */
export function computeMatrixRows(job: MatrixJob, fromRow: number, toRow: number): MatrixRows {
  let engine = engines.get(job);
  if (!engine) {
    const buckets = job.buckets ?? targetBuckets(job.hierarchy, [computeTargetSpaces(job, 0, job.size)]);
    engines.set(job, (engine = new HierarchyMatrix(job.hierarchy, job, buckets)));
  }
  const timesS = new Float64Array((toRow - fromRow) * job.size);
  const distancesM = new Float64Array((toRow - fromRow) * job.size);
  engine.rows(fromRow, toRow, timesS, distancesM);
  const rows = { fromRow, timesS, distancesM };
  applyDirect(job, rows, toRow);
  return rows;
}

/** The backward searches of targets fromTarget .. toTarget-1, to be merged into the job's buckets. */
export function computeTargetSpaces(job: MatrixJob, fromTarget: number, toTarget: number): TargetSpaces {
  return targetSpaces(job.hierarchy, job, fromTarget, toTarget);
}

/** All rows by one search per source, stopped once every arrival node is settled. */
function dijkstraRows(network: RoadNetwork, mode: Mode, legs: MatrixLegs & { direct: Float64Array }): MatrixRows {
  const { size } = legs;
  const { arcs, state } = network.layers[LAYER_OF_MODE[mode]];
  const search = new ShortestPathSearch(arcs.offsets, arcs.head, arcs.lengthM, state.timeS[mode]!);
  const targets = legs.arrivalNode;
  const timesS = new Float64Array(size * size).fill(Infinity);
  const distancesM = new Float64Array(size * size).fill(Infinity);
  for (let i = 0; i < size; i++) {
    const seeds: Seed[] = [];
    for (let k = legs.departureStart[i]; k < legs.departureStart[i + 1]; k++) {
      seeds.push({ node: legs.departureNode[k], timeS: legs.departureTimeS[k], lengthM: legs.departureLengthM[k] });
    }
    if (seeds.length === 0) continue;
    search.run(seeds, targets);
    for (let j = 0; j < size; j++) {
      let best = Infinity;
      let bestLength = Infinity;
      for (let k = legs.arrivalStart[j]; k < legs.arrivalStart[j + 1]; k++) {
        const node = legs.arrivalNode[k];
        const t = search.timeS[node] + legs.arrivalTimeS[k];
        if (t < best) {
          best = t;
          bestLength = search.lengthM[node] + legs.arrivalLengthM[k];
        }
      }
      timesS[i * size + j] = best;
      distancesM[i * size + j] = bestLength;
    }
  }
  const rows = { fromRow: 0, timesS, distancesM };
  applyDirect(legs, rows, size);
  return rows;
}

/** Trips along a shared segment replace the network's answer where they are faster. */
function applyDirect({ direct, size }: { direct: Float64Array; size: number }, rows: MatrixRows, toRow: number): void {
  const { fromRow, timesS, distancesM } = rows;
  for (let k = 0; k < direct.length; k += 4) {
    const i = direct[k];
    if (i < fromRow || i >= toRow) continue;
    const cell = (i - fromRow) * size + direct[k + 1];
    if (direct[k + 2] < timesS[cell]) {
      timesS[cell] = direct[k + 2];
      distancesM[cell] = direct[k + 3];
    }
  }
}

/** The whole matrix from computed row ranges (in any order), with the reasons for unreachable pairs. */
export function assembleMatrix(
  network: RoadNetwork,
  mode: Mode,
  snapped: (SnappedPoint | UnsolvableError)[],
  parts: MatrixRows[],
  rows = snapped.length,
): TravelMatrix {
  const size = snapped.length;
  let timesS: Float64Array;
  let distancesM: Float64Array;
  if (parts.length === 1 && parts[0].timesS.length === rows * size) {
    ({ timesS, distancesM } = parts[0]);
  } else {
    timesS = new Float64Array(rows * size);
    distancesM = new Float64Array(rows * size);
    for (const part of parts) {
      timesS.set(part.timesS, part.fromRow * size);
      distancesM.set(part.distancesM, part.fromRow * size);
    }
  }
  snapped.forEach((point, i) => {
    if (point instanceof UnsolvableError || i >= rows) return;
    timesS[i * size + i] = 0;
    distancesM[i * size + i] = 0;
  });
  return {
    size,
    rows,
    mode,
    timesS,
    distancesM,
    snapped,
    why(from, to) {
      if (Number.isFinite(timesS[from * size + to])) return undefined;
      const a = snapped[from];
      const b = snapped[to];
      if (a instanceof UnsolvableError) return a.reason;
      if (b instanceof UnsolvableError) return b.reason;
      return explainUnreachable(network, a, b, mode);
    },
  };
}
