// A sealed compound whose one gate volunteer works an hour (60 kg carried in): the plan allocates the zone no
// more than that, the most vulnerable household first, says why the others wait — to the coordinator and on
// the residents' pages — and dispatch then leaves nobody waiting at the gate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';
import { aCommodity, aHousehold, post } from '../../support/records.ts';
import { aMember, aPlan, dispatched, twoWarehouses, type TwoWarehouses } from '../../support/warehouses.ts';
import { sealedZone } from '../../../seeds/places.ts';
import type { ResidentView } from '../../../server/residents/residents.schema.ts';

const doors = [
  { lat: 43.7305, lon: 7.421 },
  { lat: 43.7301, lon: 7.4222 },
  { lat: 43.731, lon: 7.4202 },
  { lat: 43.7298, lon: 7.4215 },
];

describe.each(databaseKinds)("a gate's volunteers limit what a plan sends their zone (%s)", (kind) => {
  let t: TestApp;
  let s: TwoWarehouses;
  let gateName: string;
  /** Need ids inside the zone: the elderly neighbour's first. */
  const inside: number[] = [];
  const codes: string[] = [];
  let flour: number;

  beforeAll(async () => {
    t = await startTestApp(kind);
    s = await twoWarehouses(t);
    const zone = await post(t, '/api/zones', sealedZone, 'admin');
    gateName = zone.gates[0].name;
    flour = (await aCommodity(t, { code: 'FLOUR', name: 'Flour', unit: '10 kg sack', weightKg: 10, volumeM3: 0.02 })).id;
    await post(t, '/api/stock/lots', { warehouseId: s.fontvieille, commodityId: flour, lotCode: 'FLOUR-1', quantity: 100 }, 'admin');
    // Eight households ask a sack each (80 kg); the volunteer carries 60 kg in an hour.
    for (let i = 0; i < 8; i++) {
      const household = aHousehold({ name: `Rock ${i}`, address: `${i + 1} Rue Basse`, phone: `+377 93 50 70 1${i}`, ...doors[i % doors.length]!, community: 'Monaco-Ville', elderlyAlone: i === 0 });
      const created = await post(t, '/api/needs', { household, commodityId: flour, quantity: 1 }, 'community');
      inside.push(created.need.id);
      codes.push((await post(t, `/api/households/${created.household.id}/access`, {})).code);
    }
    const member = await aMember(t, 'driver');
    await post(t, '/api/drivers', { name: 'Gate volunteer', kind: 'gate_volunteer', vehicleType: 'on_foot', capacityWeightKg: 20, capacityVolumeM3: 0.06, shiftStart: '08:00', shiftEnd: '09:00', userId: member.id, zoneId: zone.id }, 'admin');
  }, 120_000);
  afterAll(() => t.close());

  it('allocates the zone what its volunteers carry in, the most vulnerable first, and tells everyone why the rest waits', async () => {
    const plan = await aPlan(t, { commodityIds: [flour] });
    const sacks = (needId: number) => plan.allocations.filter((a) => a.needId === needId).reduce((sum, a) => sum + a.quantity, 0);
    expect(inside.reduce((sum, id) => sum + sacks(id), 0)).toBe(6);
    expect(sacks(inside[0]!)).toBe(1);
    const waiting = (plan as unknown as { result: { unmet: { needId: string; reason: string; explanation: string }[] } }).result.unmet;
    expect(waiting.length).toBeGreaterThan(0);
    for (const u of waiting) {
      expect(inside).toContain(Number(u.needId));
      expect(u.reason).toBe('handover');
      expect(u.explanation).toContain(gateName);
    }

    // Dispatch (the helper checks that nothing is left unassigned) brings the gate no more than 60 kg.
    const routes = await dispatched(t, plan.id);
    const atGate = routes.flatMap((r) => r.stops).filter((x) => x.kind === 'gate');
    expect(atGate.flatMap((x) => x.items).reduce((sum, i) => sum + i.quantity * 10, 0)).toBe(60);
    const short = inside.flatMap((id, k) => (sacks(id) === 0 ? [k] : []));
    expect(short).toHaveLength(2);
    for (const k of short) {
      const page = (await t.api.get(`/api/resident/${codes[k]}?lang=en`).expect(200)).body as ResidentView;
      expect(page.requests[0]!.statusText).toContain('volunteers at your gate');
    }
  });
});
