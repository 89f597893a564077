// The road network (issue 3), pure: OSM import, two layers (drive, walk), snapping, closures and sealed
// zones as edge state, A* paths and many-to-many travel matrices. What the rest of Lifeline calls:
//
//   parseOsmPbf(bytes, inflate), parseOsmXml(text)          → OsmData (file reading and gunzip at the caller)
//   buildRoadNetwork(osm, { snapSpacingM? })                → RoadNetwork; network.stats says what was dropped
//   snap(network, { lat, lon }, layer, { maxDistanceM? })   → SnappedPoint; too far throws UnsolvableError
//   addClosure(network, { id?, layer?, where, slowFactor? }), liftClosure(network, id)
//   sealZone(network, { id?, polygon, gates }), liftSealedZone(network, id)
//   tryRestriction(network, (n) => addClosure(n, …))        what it would act on, the network left as it was
//   findPath(network, from, to, mode, { maxSnapDistanceM? })
//                                                           → { reachable: true, timeS, lengthM, geometry, from, to }
//                                                           | { reachable: false, reason, from, to }
//   travelMatrix(network, points, mode, { maxSnapDistanceM? })
//                                                           → { timesS, distancesM (Float64Array, row-major), why(i, j) }
//   prepareMatrix, computeTargetSpaces, targetBuckets, computeMatrixRows, assembleMatrix
//                                                           the same matrix in parts, for worker threads
//   customizedHierarchy(network, mode)                      the matrix's index: built once per layer, customized
//                                                           again only after a closure or sealed zone changed it
//   dijkstraTravelMatrix(network, points, mode)             the matrix by one Dijkstra per source (reference)
//   networkGeoJson(network, { layer, simplifyToleranceM? }) → FeatureCollection for the map
//   gridCity(rows, cols, seed)                              → synthetic OsmData for benchmarks and tests
//
// Modes: car, van and cargo_bike use the drive layer, foot the walk layer (speeds in profiles.ts).
// Bad input (coordinates, mode, polygon) throws InvalidProblemError (HTTP 400). Unreachable answers carry a
// reason: "closed: closure #12", "sealed zone #3", "no road"; in a matrix, also a point's snapping refusal.
export { parseOsmPbf, type Inflate } from './osm-pbf.ts';
export { parseOsmXml } from './osm-xml.ts';
export type { OsmData, OsmNode, OsmWay } from './osm.ts';
export { buildRoadNetwork, type BuildOptions } from './build.ts';
export type { RoadNetwork, NetworkLayer, LayerStats, RoadGraph, RoadEdgeAttributes, RoadNodeAttributes } from './network.ts';
export type { LatLon } from './geo.ts';
export { MODES, LAYER_OF_MODE, type Mode, type LayerName } from './profiles.ts';
export { snap, DEFAULT_MAX_SNAP_M, type SnappedPoint, type SnapOptions } from './snap.ts';
export {
  addClosure,
  liftClosure,
  sealZone,
  liftSealedZone,
  tryRestriction,
  type ClosureInput,
  type ClosurePlace,
  type SealedZoneInput,
  type GeoJsonPolygon,
  type AppliedRestriction,
} from './closures.ts';
export { findPath, type PathResult, type PathOptions, type LineString } from './path.ts';
export {
  travelMatrix,
  dijkstraTravelMatrix,
  prepareMatrix,
  sourcesOf,
  computeMatrixRows,
  computeTargetSpaces,
  assembleMatrix,
  type TravelMatrix,
  type MatrixJob,
  type MatrixRows,
  type MatrixOptions,
} from './matrix.ts';
export { targetBuckets, type TargetBuckets, type TargetSpaces } from './hierarchy-matrix.ts';
export { buildTopology, customizedHierarchy, type CustomizedHierarchy, type HierarchyTopology, type UpwardGraph } from './hierarchy.ts';
export { customize, customizationWorkspace, type CustomizationWorkspace } from './customization.ts';
export { explainUnreachable, NO_ROAD } from './explain.ts';
export { networkGeoJson, type NetworkGeoJsonOptions, type RoadFeatureCollection } from './geojson.ts';
export { gridCity, type GridCityOptions } from './grid-city.ts';
