import { beforeAll, describe, expect, it } from 'vitest';
import { addClosure, liftClosure, networkGeoJson, type RoadNetwork } from '../../../solver/network/index.ts';
import { monacoNetwork } from './monaco.ts';

describe('the network as GeoJSON for the map', () => {
  let network: RoadNetwork;
  beforeAll(async () => {
    network = await monacoNetwork('xml');
  });

  it('has one line per road segment, simplified but with both ends kept', () => {
    const full = networkGeoJson(network, { layer: 'walk', simplifyToleranceM: 0 });
    const simple = networkGeoJson(network, { layer: 'walk', simplifyToleranceM: 10 });
    expect(full.features).toHaveLength(network.layers.walk.segments.count);
    const count = (fc: typeof full) => fc.features.reduce((sum, f) => sum + f.geometry.coordinates.length, 0);
    expect(count(simple)).toBeLessThan(count(full) * 0.8);
    simple.features.forEach((feature, i) => {
      expect(feature.geometry.coordinates[0]).toEqual(full.features[i].geometry.coordinates[0]);
      expect(feature.geometry.coordinates.at(-1)).toEqual(full.features[i].geometry.coordinates.at(-1));
    });
  });

  it('shows the restrictions acting on each road', () => {
    const closure = addClosure(network, { where: { wayId: network.layers.drive.segments.wayId[0] } });
    const map = networkGeoJson(network, { layer: 'drive' });
    expect(map.features[0].properties.restrictions).toEqual([`closed: ${closure.label}`]);
    liftClosure(network, closure.id);
    expect(networkGeoJson(network, { layer: 'drive' }).features[0].properties.restrictions).toEqual([]);
  });
});
