// Writes OSM data as OpenStreetMap XML (API 0.6), the format `LIFELINE_MAP` reads (.osm, or gzipped .osm.gz):
// how a generated district's road graph is handed to the server.
import type { OsmData } from '../../solver/network/osm.ts';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

export function osmXml(data: OsmData): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="lifeline seed --district">'];
  for (const n of data.nodes) lines.push(`  <node id="${n.id}" lat="${n.lat.toFixed(7)}" lon="${n.lon.toFixed(7)}"/>`);
  for (const w of data.ways) {
    lines.push(`  <way id="${w.id}">`);
    for (const ref of w.refs) lines.push(`    <nd ref="${ref}"/>`);
    for (const [k, v] of Object.entries(w.tags)) lines.push(`    <tag k="${escape(k)}" v="${escape(v)}"/>`);
    lines.push('  </way>');
  }
  lines.push('</osm>', '');
  return lines.join('\n');
}
