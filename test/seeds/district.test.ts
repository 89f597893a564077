import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DISTRICT_COMMODITIES, FLAG_SHARES, generateDistrict, households } from '../../seeds/district/generate.ts';
import { seedDistrict, writeDistrictMap } from '../../seeds/district/load.ts';
import { osmXml } from '../../seeds/district/osm-xml.ts';
import { buildRoadNetwork, parseOsmXml, sealZone, tryRestriction } from '../../solver/network/index.ts';
import { zoneAt } from '../../server/zones/zone-geometry.ts';
import { databaseKinds, openTestDatabase } from '../support/app.ts';

/** A digest of everything the generator decided, households included. */
function digest(district: ReturnType<typeof generateDistrict>): string {
  const hash = createHash('sha256').update(JSON.stringify({ ...district, map: osmXml(district.map) }));
  for (const h of households(district)) hash.update(JSON.stringify(h));
  return hash.digest('hex');
}

describe('a generated district', () => {
  it('is the same for the same seed and differs for another', () => {
    const a = digest(generateDistrict({ households: 3000, seed: 7 }));
    expect(digest(generateDistrict({ households: 3000, seed: 7 }))).toBe(a);
    expect(digest(generateDistrict({ households: 3000, seed: 8 }))).not.toBe(a);
  });

  it('has compounds with two gates each, 40 warehouses, 400 vehicles of mixed types and 2,000 gate volunteers', () => {
    const district = generateDistrict({ households: 20_000, seed: 1 });
    expect(district.compounds).toHaveLength(100);
    expect(district.compounds.every((c) => c.gates.length === 2 && c.buildings.length > 0)).toBe(true);
    expect(district.warehouses).toHaveLength(40);
    const vehicles = district.drivers.filter((d) => d.kind === 'driver');
    expect(vehicles).toHaveLength(400);
    expect(new Set(vehicles.map((v) => v.vehicleType))).toEqual(new Set(['van', 'car', 'cargo_bike']));
    expect(district.drivers.filter((d) => d.kind === 'gate_volunteer')).toHaveLength(2000);
    expect(district.users).toHaveLength(4 + 2400);
    expect(district.map.nodes.length).toBeGreaterThan(3000);
    // Each warehouse's crew has morning and afternoon drivers: a crew all on the late shift could never
    // bring critical medicine by noon.
    for (let w = 0; w < 40; w++) {
      const crew = vehicles.filter((v) => v.warehouse === w);
      expect(new Set(crew.map((v) => v.shiftStart))).toEqual(new Set(['07:00', '12:00']));
    }
  });

  it('gives vulnerability flags in realistic shares and every household at least one need', () => {
    const district = generateDistrict({ households: 20_000, seed: 3 });
    const counts = { elderlyAlone: 0, chronicIllness: 0, disabled: 0, pregnant: 0, infant: 0 };
    let withoutNeeds = 0;
    for (const h of households(district)) {
      for (const flag of Object.keys(counts) as (keyof typeof counts)[]) if (h[flag]) counts[flag]++;
      if (h.needs.length === 0) withoutNeeds++;
      if (h.elderlyAlone) expect(h).toMatchObject({ people: 1, pregnant: false, infant: false });
    }
    for (const [flag, share] of Object.entries(FLAG_SHARES)) {
      const measured = counts[flag as keyof typeof counts] / 20_000;
      expect(measured, flag).toBeGreaterThan(share * 0.8);
      expect(measured, flag).toBeLessThan(share * 1.2);
    }
    expect(withoutNeeds).toBe(0);
  });

  it('holds less stock than asked for some commodities, and less dispatch capacity than the weight asked', () => {
    const district = generateDistrict({ households: 20_000, seed: 1 });
    const asked = new Map<string, number>();
    let askedKg = 0;
    const weight = new Map(DISTRICT_COMMODITIES.map((c) => [c.code, c.weightKg]));
    for (const h of households(district)) {
      for (const n of h.needs) {
        asked.set(n.commodity, (asked.get(n.commodity) ?? 0) + n.quantity);
        askedKg += n.quantity * weight.get(n.commodity)!;
      }
    }
    const held = new Map<string, number>();
    for (const lot of district.lots) held.set(lot.commodity, (held.get(lot.commodity) ?? 0) + lot.quantity);
    const short = [...asked].filter(([code, quantity]) => (held.get(code) ?? 0) < quantity).map(([code]) => code);
    expect(short).toEqual(expect.arrayContaining(['RICE-5KG', 'VEG-BOX', 'FLOUR-5KG']));
    expect([...asked].some(([code, quantity]) => (held.get(code) ?? 0) > quantity)).toBe(true);
    expect(district.warehouses.reduce((s, w) => s + w.capacityWeightKg, 0)).toBeLessThan(askedKg);
  });

  it('has a road map the network builds from, on which every compound can be sealed at its gates', () => {
    const district = generateDistrict({ households: 2000, seed: 5 });
    const dir = mkdtempSync(join(tmpdir(), 'district-'));
    writeDistrictMap(district, join(dir, 'map.osm.gz'));
    const network = buildRoadNetwork(parseOsmXml(gunzipSync(readFileSync(join(dir, 'map.osm.gz'))).toString('utf8')));
    for (const [i, c] of district.compounds.entries()) {
      const sealed = tryRestriction(network, (n) => sealZone(n, { id: i + 1, polygon: c.polygon, gates: c.gates }));
      expect(sealed.segments, c.name).toBeGreaterThan(0);
    }
  });
});

describe.each(databaseKinds)('lifeline seed --district on %s', (kind) => {
  /** Counts of each table and a digest of the rows that do not depend on when they were written. */
  async function seededState(households: number, seed: number) {
    const db = await openTestDatabase(kind);
    try {
      const summary = await seedDistrict(db, generateDistrict({ households, seed, vehicles: 40, gateVolunteers: 100 }), 'district-password');
      const [state] = await db.query<Record<string, unknown>>(
        `SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM drivers) AS drivers, (SELECT count(*) FROM zones WHERE status = 'sealed') AS zones,
                (SELECT count(*) FROM gates) AS gates, (SELECT sum(on_hand) FROM lots) AS stock, (SELECT count(*) FROM households) AS households,
                (SELECT count(*) FROM needs) AS needs, (SELECT count(*) FROM household_field_history) AS history,
                (SELECT md5(string_agg(concat_ws('|', id, name, address, phone, lat, lon, people, community, zone_id, elderly_alone, chronic_illness, disabled, pregnant, infant), ',' ORDER BY id)) FROM households) AS households_digest,
                (SELECT md5(string_agg(concat_ws('|', id, household_id, commodity_id, quantity, urgency, deadline - CURRENT_DATE, sources), ',' ORDER BY id)) FROM needs) AS needs_digest`,
      );
      const zones = (await db.query<{ id: number; polygon: { coordinates: [number, number][][] } }>('SELECT id, polygon FROM zones')).map((z) => ({ ...z, polygon: z.polygon }));
      const placed = await db.query<{ lat: number; lon: number; zone_id: number }>('SELECT lat, lon, zone_id FROM households ORDER BY id');
      const history = await db.query<{ field: string }>(`SELECT DISTINCT field FROM household_field_history`);
      return { summary, state, outsideTheirZone: placed.filter((h) => zoneAt(zones, h.lat, h.lon)?.id !== h.zone_id).length, historyFields: history.map((h) => h.field) };
    } finally {
      await db.drop();
    }
  }

  it('writes the same district for the same seed, every household in its compound and its creation in its history', async () => {
    const first = await seededState(600, 11);
    const second = await seededState(600, 11);
    expect(second.state).toEqual(first.state);
    const generated = generateDistrict({ households: 600, seed: 11 });
    expect(first.state).toMatchObject({
      users: 4 + 140,
      drivers: 140,
      zones: 3,
      gates: 6,
      households: 600,
      needs: first.summary.needs,
      history: 600,
      stock: generated.lots.reduce((s, l) => s + l.quantity, 0),
    });
    expect(first.outsideTheirZone).toBe(0);
    expect(first.historyFields).toEqual(['*']);
  }, 300_000);
});
