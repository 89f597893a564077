// Small builders for integration tests: create the records a test needs through the real API.
import { expect } from 'vitest';
import { bearer, type TestApp } from './app.ts';

export async function post(t: TestApp, path: string, body: unknown, role: keyof TestApp['tokens'] = 'coordinator') {
  const res = await t.api.post(path).set(bearer(t.tokens[role])).send(body as object);
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body;
}

export const aWarehouse = (t: TestApp, name = 'Depot') =>
  post(t, '/api/warehouses', { name, address: '1 Quai', lat: 43.735, lon: 7.423, capacityWeightKg: 1000, capacityVolumeM3: 10 });

let codes = 0;
export const aCommodity = (t: TestApp, overrides: Record<string, unknown> = {}) =>
  post(t, '/api/commodities', { code: `C${++codes}`, name: 'Rice', unit: '5 kg bag', weightKg: 5, volumeM3: 0.006, category: 'food', ...overrides });

export const aLot = (t: TestApp, warehouseId: number, commodityId: number, quantity: number, lotCode = `L${++codes}`) =>
  post(t, '/api/stock/lots', { warehouseId, commodityId, lotCode, quantity });

export const aHousehold = (overrides: Record<string, unknown> = {}) => ({
  name: 'Rossi household',
  address: '12 Boulevard des Moulins',
  phone: '+377 93 15 20 00',
  lat: 43.7405,
  lon: 7.4275,
  people: 3,
  community: 'Monte-Carlo',
  ...overrides,
});
