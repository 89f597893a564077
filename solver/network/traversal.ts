// How one mode moves over a layer as it stands now (closures applied) or unrestricted: arc times, which
// stretches of a segment are open, and how a snapped point joins the graph (the partial edges at both ends).
import type { LatLon } from './geo.ts';
import type { NetworkLayer, RoadSegments } from './network.ts';
import { LAYER_OF_MODE, type Mode } from './profiles.ts';
import type { SnappedPoint } from './snap.ts';

/** A stretch of one segment travelled from `fromFraction` to `toFraction` (segment frame), ending or starting at a node. */
export interface Leg {
  node: number;
  segment: number;
  fromFraction: number;
  toFraction: number;
  timeS: number;
  lengthM: number;
}

const AT_NODE = 1e-9;

export class Traversal {
  /** Time to cross each whole arc, Infinity where it cannot be crossed. */
  readonly arcTimeS: Float64Array;
  private readonly baseTimeS: Float64Array;

  constructor(
    readonly layer: NetworkLayer,
    readonly mode: Mode,
    /** Ignore closures and sealed zones (to find out which of them makes a trip impossible). */
    readonly unrestricted = false,
  ) {
    if (LAYER_OF_MODE[mode] !== layer.name) throw new Error(`${mode} does not travel on the ${layer.name} layer`);
    this.baseTimeS = layer.baseTimeS[mode]!;
    this.arcTimeS = unrestricted ? this.baseTimeS : layer.state.timeS[mode]!;
  }

  /** Time to travel the whole arc were it open (closures slow it but do not block this figure). */
  private slowedTimeS(arc: number): number {
    const factor = this.unrestricted ? 1 : this.layer.state.factor[this.layer.arcs.segment[arc]];
    return this.baseTimeS[arc] * factor;
  }

  /** Whether the arc may be travelled between positions x ≤ y (fractions in the arc's own direction). */
  openBetween(arc: number, x: number, y: number): boolean {
    const { state, arcs } = this.layer;
    const s = arcs.segment[arc];
    if (this.unrestricted || state.openTo[s] >= 1) return true;
    const openTo = arcs.forward[arc] ? state.openTo[s] : 1 - state.openFrom[s];
    const openFrom = arcs.forward[arc] ? state.openFrom[s] : 1 - state.openTo[s];
    return y <= openTo + AT_NODE || x >= openFrom - AT_NODE;
  }

  /** Whether a leg found without restrictions may be travelled as things stand. */
  allows(leg: Leg): boolean {
    const lo = Math.min(leg.fromFraction, leg.toFraction);
    const hi = Math.max(leg.fromFraction, leg.toFraction);
    const { forwardArc, backwardArc } = this.layer.segments;
    const arc = leg.fromFraction <= leg.toFraction ? forwardArc[leg.segment] : backwardArc[leg.segment];
    const forward = arc === forwardArc[leg.segment];
    return arc >= 0 && this.openBetween(arc, forward ? lo : 1 - hi, forward ? hi : 1 - lo);
  }

  private arcsOf(segment: number): number[] {
    const { forwardArc, backwardArc } = this.layer.segments;
    return backwardArc[segment] >= 0 ? [forwardArc[segment], backwardArc[segment]] : [forwardArc[segment]];
  }

  private leg(arc: number, x: number, y: number, node: number): Leg | undefined {
    if (!this.openBetween(arc, x, y)) return undefined;
    const timeS = (y - x) * this.slowedTimeS(arc);
    if (!Number.isFinite(timeS)) return undefined;
    const forward = this.layer.arcs.forward[arc] === 1;
    const segment = this.layer.arcs.segment[arc];
    return {
      node,
      segment,
      fromFraction: forward ? x : 1 - x,
      toFraction: forward ? y : 1 - y,
      timeS,
      lengthM: (y - x) * this.layer.segments.lengthM[segment],
    };
  }

  /** Ways to leave a point: along each arc of its segment to the arc's head (or at once when it sits on a node). */
  departures(point: SnappedPoint): Leg[] {
    const legs: Leg[] = [];
    for (const arc of this.arcsOf(point.segment)) {
      const x = this.position(arc, point.fraction);
      if (x <= AT_NODE) legs.push(this.stay(arc, x, this.layer.arcs.tail[arc]));
      const leg = this.leg(arc, x, 1, this.layer.arcs.head[arc]);
      if (leg) legs.push(leg);
    }
    return legs;
  }

  /** Ways to reach a point: along each arc of its segment from the arc's tail (or at once when it sits on a node). */
  arrivals(point: SnappedPoint): Leg[] {
    const legs: Leg[] = [];
    for (const arc of this.arcsOf(point.segment)) {
      const y = this.position(arc, point.fraction);
      if (y >= 1 - AT_NODE) legs.push(this.stay(arc, y, this.layer.arcs.head[arc]));
      const leg = this.leg(arc, 0, y, this.layer.arcs.tail[arc]);
      if (leg) legs.push(leg);
    }
    return legs;
  }

  /** The trip from one point to another along their common segment, when they share one and it is allowed. */
  direct(from: SnappedPoint, to: SnappedPoint): Leg | undefined {
    if (from.segment !== to.segment) return undefined;
    // Already there, even where the road is closed.
    if (from.fraction === to.fraction) return this.stay(this.layer.segments.forwardArc[from.segment], from.fraction, -1);
    let best: Leg | undefined;
    for (const arc of this.arcsOf(from.segment)) {
      const x = this.position(arc, from.fraction);
      const y = this.position(arc, to.fraction);
      const leg = y >= x ? this.leg(arc, x, y, -1) : undefined;
      if (leg && (!best || leg.timeS < best.timeS)) best = leg;
    }
    return best;
  }

  /** The arc leg that crosses the whole arc. */
  wholeArc(arc: number): Leg {
    const forward = this.layer.arcs.forward[arc] === 1;
    return {
      node: this.layer.arcs.head[arc],
      segment: this.layer.arcs.segment[arc],
      fromFraction: forward ? 0 : 1,
      toFraction: forward ? 1 : 0,
      timeS: this.arcTimeS[arc],
      lengthM: this.layer.arcs.lengthM[arc],
    };
  }

  private position(arc: number, segmentFraction: number): number {
    return this.layer.arcs.forward[arc] ? segmentFraction : 1 - segmentFraction;
  }

  private stay(arc: number, x: number, node: number): Leg {
    const fraction = this.position(arc, x);
    return { node, segment: this.layer.arcs.segment[arc], fromFraction: fraction, toFraction: fraction, timeS: 0, lengthM: 0 };
  }
}

/** The point at a fraction of a segment's length. */
export function pointAlong(segments: RoadSegments, segment: number, fraction: number): LatLon {
  const first = segments.vertexStart[segment];
  const last = segments.vertexStart[segment + 1] - 1;
  const target = fraction * segments.lengthM[segment];
  let i = first;
  while (i + 1 < last && segments.cumulativeM[i + 1] < target) i++;
  const span = segments.cumulativeM[i + 1] - segments.cumulativeM[i];
  const t = span > 0 ? Math.min(1, Math.max(0, (target - segments.cumulativeM[i]) / span)) : 0;
  return {
    lat: segments.lat[i] + t * (segments.lat[i + 1] - segments.lat[i]),
    lon: segments.lon[i] + t * (segments.lon[i + 1] - segments.lon[i]),
  };
}

/** [lon, lat] positions of a leg, in travel direction. */
export function legCoordinates(segments: RoadSegments, leg: Leg): [number, number][] {
  const { segment, fromFraction, toFraction } = leg;
  const lo = Math.min(fromFraction, toFraction);
  const hi = Math.max(fromFraction, toFraction);
  const start = pointAlong(segments, segment, lo);
  const coordinates: [number, number][] = [[start.lon, start.lat]];
  for (let i = segments.vertexStart[segment]; i < segments.vertexStart[segment + 1]; i++) {
    const at = segments.cumulativeM[i] / (segments.lengthM[segment] || 1);
    if (at > lo && at < hi) coordinates.push([segments.lon[i], segments.lat[i]]);
  }
  const end = pointAlong(segments, segment, hi);
  coordinates.push([end.lon, end.lat]);
  return fromFraction <= toFraction ? coordinates : coordinates.reverse();
}
