// Reads an OpenStreetMap extract from disk (.osm.pbf, .osm or .osm.gz) and parses it with the pure parsers;
// used by the server, seeds, tests and benchmarks.
import { readFile } from 'node:fs/promises';
import { gunzipSync, inflateSync } from 'node:zlib';
import { parseOsmPbf, parseOsmXml, type OsmData } from '../../solver/network/index.ts';

export async function loadOsmFile(path: string): Promise<OsmData> {
  const bytes = await readFile(path);
  if (path.endsWith('.pbf')) return parseOsmPbf(bytes, (compressed) => inflateSync(compressed));
  if (path.endsWith('.gz')) return parseOsmXml(gunzipSync(bytes).toString('utf8'));
  if (path.endsWith('.osm')) return parseOsmXml(bytes.toString('utf8'));
  throw new Error(`unknown OSM file type: ${path} (expected .osm.pbf, .osm or .osm.gz)`);
}
