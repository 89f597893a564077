// The real Monaco extracts (seeds/osm/) parsed and built once per test file.
import { loadOsmFile } from '../../../server/network/osm-file.ts';
import { buildRoadNetwork, type OsmData, type RoadNetwork } from '../../../solver/network/index.ts';

const seeds = new URL('../../../seeds/osm/', import.meta.url).pathname;

export const monacoPbfPath = `${seeds}monaco.osm.pbf`;
export const monacoXmlPath = `${seeds}monaco.osm.gz`;

export function loadMonaco(which: 'pbf' | 'xml' = 'pbf'): Promise<OsmData> {
  return loadOsmFile(which === 'pbf' ? monacoPbfPath : monacoXmlPath);
}

export async function monacoNetwork(which: 'pbf' | 'xml' = 'pbf'): Promise<RoadNetwork> {
  return buildRoadNetwork(await loadMonaco(which));
}
