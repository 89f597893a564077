// A sealed compound behind a gate on the Rock of Monaco, served from Fontvieille: households inside it with a
// box of eggs each (walked to in the order the router chose), a van driver and a gate volunteer, and the plan dispatched through the real API — a vehicle
// route that unloads at the gate and a walking route to the doors. The ground for handover-sheet tests.
import { expect } from 'vitest';
import type { TestApp } from './app.ts';
import { aCommodity, aHousehold, post } from './records.ts';
import { aMember, aPlan, dispatched, type Member, type RouteBody, type TwoWarehouses } from './warehouses.ts';
import { sealedZone } from '../../seeds/places.ts';

export interface GateScene {
  planId: number;
  gateId: number;
  /** The driver whose van carries the goods to the gate, and the gate volunteer who walks them in. */
  driver: Member;
  volunteer: Member & { driverId: number };
  vehicle: RouteBody;
  walk: RouteBody;
}

const shift = { shiftStart: '00:00', shiftEnd: '23:59' };
/** Doors inside the Rock's polygon. */
const doors = [
  { lat: 43.7305, lon: 7.421 },
  { lat: 43.7301, lon: 7.4222 },
  { lat: 43.731, lon: 7.4202 },
  { lat: 43.7298, lon: 7.4215 },
];

let scenes = 0;
export async function gateScene(t: TestApp, s: TwoWarehouses, names: string[] = ['Grimaldi household', 'Moreau household', 'Lambert household']): Promise<GateScene> {
  const n = ++scenes;
  const zone = await post(t, '/api/zones', { ...sealedZone, name: `${sealedZone.name} ${n}` }, 'admin');
  const eggs = (await aCommodity(t, { name: 'Eggs', unit: 'box of 12', weightKg: 1, volumeM3: 0.002 })).id;
  await post(t, '/api/stock/lots', { warehouseId: s.fontvieille, commodityId: eggs, lotCode: `EGGS-${n}`, quantity: 20 }, 'admin');
  for (const [i, name] of names.entries()) {
    const household = aHousehold({ name, address: `${i + 1} Rue Basse, Monaco-Ville`, phone: `+377 93 50 ${n}${i} 0${i}`, ...doors[i % doors.length]!, community: 'Monaco-Ville' });
    await post(t, '/api/needs', { household, commodityId: eggs, quantity: 1 }, 'community');
  }
  const driverMember = await aMember(t, 'driver');
  const driver = await post(t, '/api/drivers', { name: `Van ${n}`, kind: 'driver', vehicleType: 'van', capacityWeightKg: 500, capacityVolumeM3: 3, ...shift, userId: driverMember.id, homeWarehouseId: s.fontvieille }, 'admin');
  const volunteerMember = await aMember(t, 'driver');
  const volunteer = await post(t, '/api/drivers', { name: `Building leader ${n}`, kind: 'gate_volunteer', vehicleType: 'on_foot', capacityWeightKg: 20, capacityVolumeM3: 0.06, ...shift, userId: volunteerMember.id, zoneId: zone.id }, 'admin');
  const plan = await aPlan(t, { commodityIds: [eggs] });
  const routes = await dispatched(t, plan.id);
  const vehicle = routes.find((r) => r.kind === 'vehicle' && r.stops.some((x) => x.kind === 'gate'))!;
  const walk = routes.find((r) => r.kind === 'walking')!;
  expect(walk.stops).toHaveLength(names.length);
  // Whichever van of Fontvieille the router chose: its driver's sign-in.
  const vans = [{ ...driverMember, driverId: driver.id as number }, s.drivers.fontvieille];
  return {
    planId: plan.id,
    gateId: zone.gates[0].id,
    driver: vans.find((v) => v.driverId === vehicle.driverId)!,
    volunteer: { ...volunteerMember, driverId: volunteer.id },
    vehicle,
    walk,
  };
}
