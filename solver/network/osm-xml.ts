// OpenStreetMap XML (.osm, API 0.6) reader: nodes and ways with their tags, streamed through saxes.
// Gunzipping an .osm.gz is the caller's job.
import { SaxesParser } from 'saxes';
import { InvalidProblemError } from '../errors.ts';
import type { OsmData, OsmWay } from './osm.ts';

export function parseOsmXml(text: string): OsmData {
  const data: OsmData = { nodes: [], ways: [] };
  const parser = new SaxesParser();
  // Tags and node references belong to the way being read; tags of nodes and relations are not kept.
  let way: OsmWay | undefined;
  parser.on('opentag', (tag) => {
    const a = tag.attributes as Record<string, string>;
    switch (tag.name) {
      case 'node':
        data.nodes.push({ id: Number(a.id), lat: Number(a.lat), lon: Number(a.lon) });
        break;
      case 'way':
        way = { id: Number(a.id), tags: {}, refs: [] };
        break;
      case 'nd':
        way?.refs.push(Number(a.ref));
        break;
      case 'tag':
        if (way && a.k !== undefined && a.v !== undefined) way.tags[a.k] = a.v;
        break;
    }
  });
  parser.on('closetag', (tag) => {
    if (tag.name === 'way' && way) {
      data.ways.push(way);
      way = undefined;
    }
  });
  parser.on('error', (error) => {
    throw new InvalidProblemError('osm', `malformed XML: ${error.message}`);
  });
  parser.write(text).close();
  return data;
}
