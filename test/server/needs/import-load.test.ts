import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../../support/app.ts';
import { aCommodity } from '../../support/records.ts';

const ROWS = 3000;
/** Generous for a loaded two-core machine; an import written in one go holds every other request for its whole length. */
// The import of these rows in one go held the other user for about 45 s here; in slices the slowest waited 0.7 s.
const OTHERS_MAX_MS = 3000;

describe('a CSV import on PGlite', () => {
  let t: TestApp;
  let rice: { code: string };
  beforeAll(async () => {
    t = await startTestApp('pglite');
    rice = await aCommodity(t, { code: 'RICE' });
  });
  afterAll(() => t.close());

  it(`of ${ROWS} rows lets another user's requests answer within ${OTHERS_MAX_MS} ms`, async () => {
    const csv = ['name,address,phone,lat,lon,people,community,commodity,quantity'];
    for (let i = 0; i < ROWS; i++) csv.push(`Household ${i},${i} Rue Grimaldi,,43.73,7.42,2,Condamine,${rice.code},1`);
    let done = false;
    const importing = t.api.post('/api/needs/import').set(bearer(t.tokens.community)).set('content-type', 'text/csv').send(csv.join('\n')).then((res) => {
      done = true;
      return res;
    });
    const waits: number[] = [];
    while (!done) {
      const start = performance.now();
      await t.api.get('/api/auth/me').set(bearer(t.tokens.coordinator)).expect(200);
      waits.push(performance.now() - start);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const res = await importing;
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(ROWS);
    expect(waits.length).toBeGreaterThan(3);
    console.log(`import ${ROWS} rows: other requests ${waits.length}, slowest ${waits.sort((a, b) => b - a).slice(0, 5).map(Math.round).join(", ")} ms`);
    expect(Math.max(...waits)).toBeLessThanOrEqual(OTHERS_MAX_MS);
  }, 300_000);
});
