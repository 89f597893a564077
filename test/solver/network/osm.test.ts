import { describe, expect, it } from 'vitest';
import { buildRoadNetwork, parseOsmXml, type OsmData } from '../../../solver/network/index.ts';
import { strongComponents } from '../../../solver/network/scc.ts';
import { loadMonaco } from './monaco.ts';

describe('the OSM parsers', () => {
  it('read every node and way of the 2016 PBF extract', async () => {
    const osm = await loadMonaco('pbf');
    expect(osm.nodes).toHaveLength(180_118);
    expect(osm.ways).toHaveLength(27_377);
    expect(osm.ways.filter((w) => w.tags.highway)).toHaveLength(2_927);
  });

  it('read every node and way of the 2012 XML extract', async () => {
    const osm = await loadMonaco('xml');
    expect(osm.nodes).toHaveLength(13_739);
    expect(osm.ways).toHaveLength(1_944);
  });

  it('agree on a node and a street that both years contain', async () => {
    const [pbf, xml] = await Promise.all([loadMonaco('pbf'), loadMonaco('xml')]);
    const node = (osm: OsmData) => osm.nodes.find((n) => n.id === 21911863)!;
    expect(node(pbf).lat).toBeCloseTo(node(xml).lat, 6);
    expect(node(pbf).lon).toBeCloseTo(node(xml).lon, 6);
    const way = (osm: OsmData) => osm.ways.find((w) => w.id === 4097656)!;
    expect(way(pbf).tags).toMatchObject({ highway: 'primary', name: 'Avenue Princesse Alice' });
    expect(way(xml).tags).toMatchObject({ highway: 'primary', name: 'Avenue Princesse Alice' });
  });

  it('reject malformed XML with the reason', () => {
    expect(() => parseOsmXml('<osm><node id="1" lat="1" lon="2"></osm>')).toThrow(/malformed XML/);
  });
});

describe('the road network built from each extract', () => {
  for (const which of ['pbf', 'xml'] as const) {
    it(`keeps one strongly connected part per layer and says what it dropped (${which})`, async () => {
      const network = buildRoadNetwork(await loadMonaco(which));
      for (const layer of Object.values(network.layers)) {
        const { arcs, nodes } = layer;
        expect(strongComponents(nodes.count, arcs.offsets, arcs.head).count).toBe(1);
        const stats = network.stats[layer.name];
        expect(stats.nodes).toBe(nodes.count);
        expect(stats.dropped.lengthKm).toBeLessThan(stats.lengthKm * 0.2);
        expect(layer.graph.order).toBe(nodes.count);
        expect(layer.graph.size).toBe(arcs.count);
      }
      expect(network.stats.drive.dropped.components).toBeGreaterThan(0);
    });
  }

  it('covers the roads of each year at a plausible scale', async () => {
    const [pbf, xml] = await Promise.all([loadMonaco('pbf'), loadMonaco('xml')]);
    const recent = buildRoadNetwork(pbf).stats;
    const old = buildRoadNetwork(xml).stats;
    // The 2016 extract adds the neighbouring French communes; Monaco alone has some 50 km of drivable road.
    expect(old.drive.lengthKm).toBeGreaterThan(40);
    expect(old.drive.lengthKm).toBeLessThan(80);
    expect(recent.drive.lengthKm).toBeGreaterThan(old.drive.lengthKm * 2);
    for (const stats of [recent, old]) expect(stats.walk.lengthKm).toBeGreaterThan(stats.drive.lengthKm);
  });
});

describe('import rules', () => {
  // Four nodes on a line, 100 m apart at the equator, plus a fifth node off to the side.
  const nodes = [0, 1, 2, 3].map((i) => ({ id: i + 1, lat: 0, lon: i * 0.0009 }));
  const osm = (ways: OsmData['ways']): OsmData => ({ nodes: [...nodes, { id: 5, lat: 0.0009, lon: 0.0009 }], ways });
  const build = (ways: OsmData['ways']) => buildRoadNetwork(osm(ways));

  it('gives a two-way street one arc per direction and a one-way street one arc', () => {
    const network = build([
      { id: 1, tags: { highway: 'residential' }, refs: [1, 2, 3] },
      { id: 2, tags: { highway: 'residential', oneway: 'yes' }, refs: [3, 5] },
      { id: 3, tags: { highway: 'residential', oneway: '-1' }, refs: [2, 5] },
    ]);
    const drive = network.layers.drive;
    // 2→3 and 3→5 and 5→2 (the -1 way reversed) form the only cycle with 1 hanging on 2 both ways.
    expect(drive.segments.count).toBe(4);
    expect(drive.arcs.count).toBe(6);
    const oneway = [...Array(drive.segments.count).keys()].filter((s) => drive.segments.oneway[s]);
    expect(oneway.map((s) => [drive.nodes.osmId[drive.segments.from[s]], drive.nodes.osmId[drive.segments.to[s]]])).toEqual(
      expect.arrayContaining([[3, 5], [5, 2]]),
    );
    // Walkers ignore one-ways.
    expect(network.layers.walk.arcs.count).toBe(8);
  });

  it('leaves private and foot-only ways out of the drive layer and motorways out of the walk layer', () => {
    const network = build([
      { id: 1, tags: { highway: 'residential' }, refs: [1, 2] },
      { id: 2, tags: { highway: 'residential', access: 'private' }, refs: [2, 3] },
      { id: 3, tags: { highway: 'footway' }, refs: [2, 4] },
      { id: 4, tags: { highway: 'motorway', oneway: 'no' }, refs: [1, 5] },
    ]);
    const ways = (layer: 'drive' | 'walk') => [...new Set(network.layers[layer].segments.wayId)].sort();
    expect(ways('drive')).toEqual([1, 4]);
    expect(ways('walk')).toEqual([1, 3]);
  });

  it('cuts a closed loop into two segments instead of a self-loop', () => {
    const network = build([{ id: 1, tags: { highway: 'residential' }, refs: [1, 2, 5, 1] }]);
    const { segments } = network.layers.drive;
    expect(segments.count).toBe(2);
    for (let s = 0; s < segments.count; s++) expect(segments.from[s]).not.toBe(segments.to[s]);
  });

  it('refuses an extract without roads', () => {
    expect(() => build([{ id: 1, tags: { building: 'yes' }, refs: [1, 2, 5, 1] }])).toThrow(/no drive roads/);
  });
});
