// Two warehouses in Monaco, each with its own stock, drivers and coordinator, and plans dispatched from
// them through the real API (optimizer and router included): the ground for warehouse-scope and route tests.
import { expect } from 'vitest';
import { bearer, PASSWORD, type TestApp } from './app.ts';
import { aCommodity, aHousehold, post } from './records.ts';
import { solving } from '../../server/plans/plans.service.ts';
import type { Role } from '../../server/auth/roles.ts';

/** A signed-in user made for the test. */
export interface Member {
  id: number;
  token: string;
}

let members = 0;
/** A new user of a role (with its ties, e.g. `warehouseIds`), created by the admin and signed in. */
export async function aMember(t: TestApp, role: Role, ties: Record<string, unknown> = {}): Promise<Member> {
  const email = `${role}-${++members}@test.local`;
  const created = await post(t, '/api/users', { email, name: `${role} ${members}`, role, password: PASSWORD, ...ties }, 'admin');
  const login = await t.api.post('/api/auth/login').send({ email, password: PASSWORD }).expect(200);
  return { id: created.id, token: login.body.token };
}

export interface TwoWarehouses {
  /** Fontvieille holds rice, Monte-Carlo water. */
  fontvieille: number;
  monteCarlo: number;
  rice: number;
  water: number;
  lots: { rice: number; water: number };
  /** Coordinators tied to one warehouse each. */
  coordinators: { fontvieille: Member; monteCarlo: Member };
  /** Drivers based at each warehouse, with their sign-in. */
  drivers: { fontvieille: Member & { driverId: number }; monteCarlo: Member & { driverId: number } };
  /** Rice for a household near each warehouse, water for the one in Monte-Carlo. */
  needs: { riceFontvieille: number; riceMonteCarlo: number; waterMonteCarlo: number };
}

const shift = { shiftStart: '00:00', shiftEnd: '23:59' };

export async function twoWarehouses(t: TestApp): Promise<TwoWarehouses> {
  const depot = (name: string, address: string, lat: number, lon: number) => post(t, '/api/warehouses', { name, address, lat, lon, capacityWeightKg: 10_000, capacityVolumeM3: 100 }, 'admin');
  const fontvieille = (await depot('Fontvieille', 'Rue du Gabian', 43.7282, 7.4148)).id;
  const monteCarlo = (await depot('Monte-Carlo', 'Bd des Moulins', 43.7418, 7.4287)).id;
  const rice = (await aCommodity(t)).id;
  const water = (await aCommodity(t, { name: 'Water', unit: '6 l pack', weightKg: 6 })).id;
  const lots = {
    rice: (await post(t, '/api/stock/lots', { warehouseId: fontvieille, commodityId: rice, lotCode: 'RICE-1', quantity: 10 }, 'admin')).id,
    water: (await post(t, '/api/stock/lots', { warehouseId: monteCarlo, commodityId: water, lotCode: 'WATER-1', quantity: 10 }, 'admin')).id,
  };
  const nearFontvieille = aHousehold({ name: 'Bianchi household', address: '15 Avenue de Fontvieille', lat: 43.7298, lon: 7.4165 });
  const nearMonteCarlo = aHousehold({ name: 'Rossi household', address: '8 Boulevard Princesse Charlotte', lat: 43.7405, lon: 7.4265 });
  const need = async (household: object, commodityId: number) => (await post(t, '/api/needs', { household, commodityId, quantity: 5 }, 'community')).need.id as number;
  const needs = {
    riceFontvieille: await need(nearFontvieille, rice),
    riceMonteCarlo: await need(nearMonteCarlo, rice),
    waterMonteCarlo: await need(nearMonteCarlo, water),
  };
  const driverAt = async (warehouseId: number) => {
    const member = await aMember(t, 'driver');
    const driver = await post(t, '/api/drivers', { name: `Driver ${member.id}`, kind: 'driver', vehicleType: 'van', capacityWeightKg: 500, capacityVolumeM3: 3, ...shift, userId: member.id, homeWarehouseId: warehouseId }, 'admin');
    return { ...member, driverId: driver.id as number };
  };
  return {
    fontvieille,
    monteCarlo,
    rice,
    water,
    lots,
    coordinators: { fontvieille: await aMember(t, 'coordinator', { warehouseIds: [fontvieille] }), monteCarlo: await aMember(t, 'coordinator', { warehouseIds: [monteCarlo] }) },
    drivers: { fontvieille: await driverAt(fontvieille), monteCarlo: await driverAt(monteCarlo) },
    needs,
  };
}

/** A solved plan (made by the unscoped coordinator), as `GET /api/plans/:id` answers. */
export async function aPlan(t: TestApp, body: object): Promise<{ id: number; status: string; warehouseIds: number[]; allocations: { needId: number; lotId: number; warehouseId: number; quantity: number }[] }> {
  const created = await t.api.post('/api/plans').set(bearer(t.tokens.coordinator)).send(body).expect(202);
  await solving.get(created.body.id);
  const plan = (await t.api.get(`/api/plans/${created.body.id}`).set(bearer(t.tokens.coordinator)).expect(200)).body;
  expect(plan.status).toBe('ready');
  return plan;
}

/** The plan that draws only from Fontvieille: its rice for the household near it. */
export const fontvieillePlan = (t: TestApp, s: TwoWarehouses) => aPlan(t, { commodityIds: [s.rice], exclusions: [{ needId: s.needs.riceMonteCarlo, warehouseId: s.fontvieille }] });

export interface RouteBody {
  id: number;
  planId: number;
  driverId: number;
  kind: string;
  status: string;
  warehouseId: number | null;
  warehouseIds: number[];
  version: number;
  stops: { id: number; kind: string; status: string; householdId: number | null; items: { needId: number; lotId: number; quantity: number }[]; recipient?: { name: string; address: string } }[];
}

/** Approves and dispatches a plan as the admin; its routes. */
export async function dispatched(t: TestApp, planId: number): Promise<RouteBody[]> {
  await t.api.post(`/api/plans/${planId}/approve`).set(bearer(t.tokens.admin)).expect(200);
  const res = await t.api.post(`/api/plans/${planId}/dispatch`).set(bearer(t.tokens.admin)).send({ timeLimitMs: 200 }).expect(200);
  expect(res.body.unassigned).toEqual([]);
  return res.body.routes;
}
