// Many-to-many travel times and distances: one Dijkstra per source over the CSR arrays (not one search per
// pair), seeded with the partial edges of snapped points. The work is split into a plain, transferable job
// so that a worker pool can compute row ranges in parallel with the same code.
import { UnsolvableError } from '../errors.ts';
import { explainUnreachable } from './explain.ts';
import type { LatLon } from './geo.ts';
import type { RoadNetwork } from './network.ts';
import { LAYER_OF_MODE, checkMode, type Mode } from './profiles.ts';
import { ShortestPathSearch, type Seed } from './search.ts';
import { checkLatLon, snap, type SnappedPoint } from './snap.ts';
import { Traversal, type Leg } from './traversal.ts';

export interface MatrixOptions {
  /** How far from a road a point may be (default 300 m); farther points are unreachable with that reason. */
  maxSnapDistanceM?: number;
}

/** Everything a matrix computation needs, as typed arrays (structured-clone friendly for worker threads). */
export interface MatrixJob {
  size: number;
  offsets: Int32Array;
  head: Int32Array;
  arcLengthM: Float64Array;
  arcTimeS: Float64Array;
  /** Legs leaving point i are departureStart[i] .. departureStart[i+1]-1 of the departure arrays. */
  departureStart: Int32Array;
  departureNode: Int32Array;
  departureTimeS: Float64Array;
  departureLengthM: Float64Array;
  arrivalStart: Int32Array;
  arrivalNode: Int32Array;
  arrivalTimeS: Float64Array;
  arrivalLengthM: Float64Array;
  /** Trips along a shared segment, as (from, to, time, length) quadruples. */
  direct: Float64Array;
}

export interface MatrixRows {
  fromRow: number;
  /** Row-major, rows fromRow .. fromRow + rows - 1, `size` columns each. */
  timesS: Float64Array;
  distancesM: Float64Array;
}

export interface TravelMatrix {
  size: number;
  mode: Mode;
  /** Row-major: timesS[i * size + j] from point i to point j, Infinity when unreachable. */
  timesS: Float64Array;
  distancesM: Float64Array;
  /** Where each point joined the network, or why it could not. */
  snapped: (SnappedPoint | UnsolvableError)[];
  /** Why point `to` cannot be reached from point `from` (undefined when it can). */
  why(from: number, to: number): string | undefined;
}

export function travelMatrix(network: RoadNetwork, points: LatLon[], mode: Mode, options: MatrixOptions = {}): TravelMatrix {
  const { job, snapped } = prepareMatrix(network, points, mode, options);
  const rows = computeMatrixRows(job, 0, job.size);
  return assembleMatrix(network, mode, snapped, [rows]);
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
    job: {
      size: points.length,
      offsets: layer.arcs.offsets,
      head: layer.arcs.head,
      arcLengthM: layer.arcs.lengthM,
      arcTimeS: traversal.arcTimeS,
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

/** Rows fromRow .. toRow-1 of the matrix: one search per source, stopped once every arrival node is settled. */
export function computeMatrixRows(job: MatrixJob, fromRow: number, toRow: number): MatrixRows {
  const { size } = job;
  const search = new ShortestPathSearch(job.offsets, job.head, job.arcLengthM, job.arcTimeS);
  const targets = job.arrivalNode;
  const timesS = new Float64Array((toRow - fromRow) * size).fill(Infinity);
  const distancesM = new Float64Array((toRow - fromRow) * size).fill(Infinity);
  for (let i = fromRow; i < toRow; i++) {
    const seeds: Seed[] = [];
    for (let k = job.departureStart[i]; k < job.departureStart[i + 1]; k++) {
      seeds.push({ node: job.departureNode[k], timeS: job.departureTimeS[k], lengthM: job.departureLengthM[k] });
    }
    if (seeds.length === 0) continue;
    search.run(seeds, targets);
    const row = (i - fromRow) * size;
    for (let j = 0; j < size; j++) {
      let best = Infinity;
      let bestLength = Infinity;
      for (let k = job.arrivalStart[j]; k < job.arrivalStart[j + 1]; k++) {
        const node = job.arrivalNode[k];
        const t = search.timeS[node] + job.arrivalTimeS[k];
        if (t < best) {
          best = t;
          bestLength = search.lengthM[node] + job.arrivalLengthM[k];
        }
      }
      timesS[row + j] = best;
      distancesM[row + j] = bestLength;
    }
  }
  const { direct } = job;
  for (let k = 0; k < direct.length; k += 4) {
    const i = direct[k];
    if (i < fromRow || i >= toRow) continue;
    const cell = (i - fromRow) * size + direct[k + 1];
    if (direct[k + 2] < timesS[cell]) {
      timesS[cell] = direct[k + 2];
      distancesM[cell] = direct[k + 3];
    }
  }
  return { fromRow, timesS, distancesM };
}

/** The whole matrix from computed row ranges (in any order), with the reasons for unreachable pairs. */
export function assembleMatrix(
  network: RoadNetwork,
  mode: Mode,
  snapped: (SnappedPoint | UnsolvableError)[],
  parts: MatrixRows[],
): TravelMatrix {
  const size = snapped.length;
  let timesS: Float64Array;
  let distancesM: Float64Array;
  if (parts.length === 1 && parts[0].timesS.length === size * size) {
    ({ timesS, distancesM } = parts[0]);
  } else {
    timesS = new Float64Array(size * size);
    distancesM = new Float64Array(size * size);
    for (const part of parts) {
      timesS.set(part.timesS, part.fromRow * size);
      distancesM.set(part.distancesM, part.fromRow * size);
    }
  }
  snapped.forEach((point, i) => {
    if (point instanceof UnsolvableError) return;
    timesS[i * size + i] = 0;
    distancesM[i * size + i] = 0;
  });
  return {
    size,
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
