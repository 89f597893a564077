// The road network as a GeoJSON FeatureCollection for the map: one simplified LineString per road segment,
// with its road class, one-way flag and the restrictions acting on it.
import { simplifyIndices } from './geo.ts';
import type { RoadNetwork } from './network.ts';
import type { LayerName } from './profiles.ts';

export interface NetworkGeoJsonOptions {
  layer: LayerName;
  /** Douglas–Peucker tolerance in metres (default 5; 0 keeps every vertex). */
  simplifyToleranceM?: number;
}

export interface RoadFeature {
  type: 'Feature';
  geometry: { type: 'LineString'; coordinates: [number, number][] };
  properties: {
    segment: number;
    wayId: number;
    highway: string;
    oneway: boolean;
    maxspeed: number | null;
    /** e.g. ["closed: closure #12"]; empty when the road is free. */
    restrictions: string[];
  };
}

export interface RoadFeatureCollection {
  type: 'FeatureCollection';
  features: RoadFeature[];
}

const PRECISION = 1e6;
const round = (degrees: number) => Math.round(degrees * PRECISION) / PRECISION;

export function networkGeoJson(network: RoadNetwork, options: NetworkGeoJsonOptions): RoadFeatureCollection {
  const { segments, state } = network.layers[options.layer];
  const { projection } = network;
  const tolerance = options.simplifyToleranceM ?? 5;
  const features: RoadFeature[] = [];
  for (let s = 0; s < segments.count; s++) {
    const first = segments.vertexStart[s];
    const last = segments.vertexStart[s + 1];
    const xy: number[] = [];
    for (let i = first; i < last; i++) xy.push(projection.x(segments.lon[i]), projection.y(segments.lat[i]));
    const maxspeed = segments.maxspeedKmh[s];
    features.push({
      type: 'Feature',
      geometry: {
        type: 'LineString',
        coordinates: simplifyIndices(xy, tolerance).map((k) => [round(segments.lon[first + k]), round(segments.lat[first + k])]),
      },
      properties: {
        segment: s,
        wayId: segments.wayId[s],
        highway: segments.highway[s],
        oneway: segments.oneway[s] === 1,
        maxspeed: Number.isNaN(maxspeed) ? null : maxspeed,
        restrictions: [...(state.restrictedBy.get(s) ?? [])].map((label) => network.restrictions.get(label)!.reason),
      },
    });
  }
  return { type: 'FeatureCollection', features };
}
