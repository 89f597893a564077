// The road network's data model: per layer (drive, walk) a graphology graph for rich queries and compact
// typed arrays (CSR) for fast search, plus the edge state that closures and sealed zones change in place.
import type { MultiDirectedGraph } from 'graphology';
import type KDBush from 'kdbush';
import type { LocalProjection } from './geo.ts';
import type { LayerName, Mode } from './profiles.ts';

export interface RoadNodeAttributes {
  lat: number;
  lon: number;
  /** Index of the node in the layer's typed arrays. */
  index: number;
}

export interface RoadEdgeAttributes {
  /** Index of the arc in the layer's typed arrays (also the edge key, as a string). */
  arc: number;
  /** The road segment (junction to junction) this arc runs along; closures act on segments. */
  segment: number;
  wayId: number;
  lengthM: number;
  highway: string;
  /** Posted limit in km/h, null when untagged. */
  maxspeed: number | null;
  oneway: boolean;
  /** [lon, lat] positions in the direction of travel. */
  geometry: [number, number][];
}

export type RoadGraph = MultiDirectedGraph<RoadNodeAttributes, RoadEdgeAttributes>;

export interface RoadNodes {
  count: number;
  lat: Float64Array;
  lon: Float64Array;
  osmId: Float64Array;
}

/** Road pieces between junctions, in drawing order (one-ways drawn against traffic are reversed on import). */
export interface RoadSegments {
  count: number;
  from: Int32Array;
  to: Int32Array;
  wayId: Float64Array;
  highway: string[];
  maxspeedKmh: Float64Array;
  /** 1 when vehicles may only go from → to; walkers ignore it. */
  oneway: Uint8Array;
  lengthM: Float64Array;
  /** Vertices of segment s are vertexStart[s] .. vertexStart[s+1]-1 in lat/lon/cumulativeM. */
  vertexStart: Int32Array;
  lat: Float64Array;
  lon: Float64Array;
  /** Distance from the segment's start to each vertex, in metres. */
  cumulativeM: Float64Array;
  forwardArc: Int32Array;
  /** -1 when the segment is one-way. */
  backwardArc: Int32Array;
}

/** Directed arcs in compressed sparse row order: arcs leaving node v are offsets[v] .. offsets[v+1]-1. */
export interface RoadArcs {
  count: number;
  offsets: Int32Array;
  tail: Int32Array;
  head: Int32Array;
  segment: Int32Array;
  /** 1 when the arc runs in the segment's drawing direction. */
  forward: Uint8Array;
  lengthM: Float64Array;
}

/**
 * What closures and sealed zones do to each segment. A segment is usable where it is open: from its start
 * up to `openTo` and from `openFrom` to its end (openTo = 1 means fully open). This lets a vehicle drive up
 * to a zone boundary or a gate on a road that continues inside.
 */
export interface LayerState {
  factor: Float64Array;
  openTo: Float64Array;
  openFrom: Float64Array;
  /** Labels of the restrictions (e.g. "closure #12") acting on each segment. */
  restrictedBy: Map<number, Set<string>>;
  /** Travel time per arc and mode with the restrictions applied; Infinity where the arc cannot be crossed. */
  timeS: Partial<Record<Mode, Float64Array>>;
  /** Names the current `timeS`, so that what is derived from it (the customized hierarchy) knows when to redo. */
  version: number;
  /**
   * The last version given out. A tried restriction puts `version` back when it is lifted (the times are as
   * they were), but a version given out during the try is never given again: a hierarchy customized under it
   * would otherwise be taken for a later, different change's.
   */
  lastVersion: number;
}

export interface SnapIndex {
  tree: KDBush;
  /** Segment of each indexed sample point. */
  sampleSegment: Int32Array;
  /** Samples are at most this far apart along every segment. */
  spacingM: number;
}

export interface NetworkLayer {
  name: LayerName;
  /** The layer as a graphology graph (node keys: OSM ids; edge keys: arc indices), built on first access. */
  readonly graph: RoadGraph;
  nodes: RoadNodes;
  segments: RoadSegments;
  arcs: RoadArcs;
  /** Unrestricted travel time per arc, for each mode that uses this layer (Infinity where the mode may not go). */
  baseTimeS: Partial<Record<Mode, Float64Array>>;
  /** Fastest speed of each mode anywhere on the layer, for an admissible A* heuristic. */
  maxSpeedMps: Partial<Record<Mode, number>>;
  state: LayerState;
  index: SnapIndex;
}

export interface LayerStats {
  nodes: number;
  segments: number;
  arcs: number;
  lengthKm: number;
  /** What the import dropped outside the largest strongly connected component. */
  dropped: { nodes: number; segments: number; lengthKm: number; components: number };
}

export type RestrictionEffect =
  | { kind: 'closed' }
  | { kind: 'slowed'; factor: number }
  /** Sealed-zone cut, in the segment's drawing direction. */
  | { kind: 'partial'; openTo: number; openFrom: number };

export interface Restriction {
  /** "closure #12" or "sealed zone #3": unique among the network's restrictions. */
  label: string;
  /** What an unreachable trip blocked by it is told, e.g. "closed: closure #12". */
  reason: string;
  effects: Map<LayerName, Map<number, RestrictionEffect>>;
}

export interface RoadNetwork {
  layers: Record<LayerName, NetworkLayer>;
  projection: LocalProjection;
  stats: Record<LayerName, LayerStats>;
  restrictions: Map<string, Restriction>;
}
