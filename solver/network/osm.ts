// Plain OpenStreetMap data as the parsers return it: nodes with coordinates and ways with tags and node
// references. Relations (turn restrictions, multipolygons) are not read: the road network does not use them.

export interface OsmNode {
  id: number;
  lat: number;
  lon: number;
}

export interface OsmWay {
  id: number;
  tags: Record<string, string>;
  /** Node ids in drawing order; some may be missing from `nodes` when the extract cuts the way. */
  refs: number[];
}

export interface OsmData {
  nodes: OsmNode[];
  ways: OsmWay[];
}
