import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../support/app.ts';
import type { Db } from '../../server/db/database.ts';
import { seedIfEmpty } from '../../seeds/load.ts';

describe('the demo scenario', () => {
  let db: Db & { drop(): Promise<void> };
  let logins: { email: string; role: string }[] | undefined;
  beforeAll(async () => {
    db = await openTestDatabase('pglite');
    logins = await seedIfEmpty(db, 'lifeline-demo');
  });
  afterAll(() => db.drop());

  const count = async (sql: string) => (await db.query<{ n: number }>(sql))[0]!.n;

  it('has a sign-in for every role with the documented emails', () => {
    const emails = logins!.map((l) => l.email);
    for (const email of ['coordinator@lifeline.local', 'charity@lifeline.local', 'community@lifeline.local', 'admin@lifeline.local', 'driver1@lifeline.local']) {
      expect(emails).toContain(email);
    }
  });

  it('has warehouses with stock, a catalogue, zones, households, drivers and gate volunteers of the promised size', async () => {
    expect(await count('SELECT count(*) AS n FROM warehouses')).toBeGreaterThanOrEqual(3);
    expect(await count('SELECT count(*) AS n FROM commodities')).toBeGreaterThanOrEqual(10);
    expect(await count('SELECT count(DISTINCT warehouse_id) AS n FROM lots WHERE on_hand > 0')).toBeGreaterThanOrEqual(3);
    expect(await count('SELECT count(*) AS n FROM households')).toBeGreaterThanOrEqual(300);
    expect(await count(`SELECT count(*) AS n FROM drivers WHERE kind = 'driver'`)).toBe(8);
    expect(await count(`SELECT count(*) AS n FROM drivers WHERE kind = 'gate_volunteer'`)).toBe(4);
    expect(await count(`SELECT count(*) AS n FROM zones WHERE status = 'sealed'`)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM zones WHERE status = 'controlled'`)).toBe(1);
  });

  it('puts households on the real map, some inside the sealed zone, with realistic vulnerability flags', async () => {
    const [box] = await db.query<{ minlat: number; maxlat: number; minlon: number; maxlon: number }>(
      'SELECT min(lat) AS minlat, max(lat) AS maxlat, min(lon) AS minlon, max(lon) AS maxlon FROM households',
    );
    expect(box!.minlat).toBeGreaterThan(43.72);
    expect(box!.maxlat).toBeLessThan(43.76);
    expect(box!.minlon).toBeGreaterThan(7.4);
    expect(box!.maxlon).toBeLessThan(7.45);
    expect(await count(`SELECT count(*) AS n FROM households h JOIN zones z ON z.id = h.zone_id WHERE z.status = 'sealed'`)).toBeGreaterThan(5);
    const elderly = await count('SELECT count(*) AS n FROM households WHERE elderly_alone');
    expect(elderly).toBeGreaterThan(20);
    expect(elderly).toBeLessThan(100);
    expect(await count(`SELECT count(*) AS n FROM needs WHERE urgency = 'critical'`)).toBeGreaterThan(0);
  });

  it('links donated lots to their donations', async () => {
    expect(await count(`SELECT count(*) AS n FROM lots WHERE donation_id IS NOT NULL AND on_hand > 0`)).toBeGreaterThan(0);
  });

  it('is loaded only into an empty database', async () => {
    expect(await seedIfEmpty(db, 'lifeline-demo')).toBeUndefined();
  });
});
