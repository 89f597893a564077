import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, databaseKinds, startTestApp, whileTablesHeld, type TestApp } from '../../support/app.ts';
import { aCommodity, aHousehold, post } from '../../support/records.ts';

describe.each(databaseKinds)('needs on %s', (kind) => {
  let t: TestApp;
  let rice: { id: number; code: string };
  let insulin: { id: number; code: string };
  beforeAll(async () => {
    t = await startTestApp(kind);
    rice = await aCommodity(t, { code: 'RICE' });
    insulin = await aCommodity(t, { code: 'INSULIN', name: 'Insulin', category: 'medicine', perishable: true });
  });
  afterAll(() => t.close());

  const worker = () => bearer(t.tokens.community);

  it('records a need with its household and vulnerability flags', async () => {
    const res = await t.api.post('/api/needs').set(worker()).send({ household: aHousehold({ elderlyAlone: true }), commodityId: rice.id, quantity: 2, urgency: 'high', deadline: '2030-01-02' }).expect(201);
    expect(res.body).toMatchObject({ merged: false, householdCreated: true, need: { quantity: 2, urgency: 'high', status: 'open' } });
    expect(res.body.household).toMatchObject({ elderlyAlone: true, chronicIllness: false, people: 3 });
  });

  it('merges a second report of the same household and need instead of counting it twice', async () => {
    const first = await post(t, '/api/needs', { household: aHousehold({ address: '5 Rue Grimaldi', phone: '93 50 00 01' }), commodityId: rice.id, quantity: 3 }, 'community');
    const second = await post(t, '/api/needs', {
      household: aHousehold({ address: '5, rue  GRIMALDI', phone: '+377 93 50 00 01' }),
      commodityId: rice.id,
      quantity: 2,
      urgency: 'critical',
    }, 'coordinator');
    expect(second.household.id).toBe(first.household.id);
    expect(second.need.id).toBe(first.need.id);
    expect(second).toMatchObject({ merged: true, need: { quantity: 3, urgency: 'critical' } });
    const list = await t.api.get(`/api/needs?householdId=${first.household.id}`).set(worker()).expect(200);
    expect(list.body.total).toBe(1);
  });

  it('derives the zone of a household from the zone polygons, as they stand when it is recorded', async () => {
    // Recorded before the zone is drawn: in none (and the zones' shapes as they were are read).
    const before = await post(t, '/api/needs', { household: aHousehold({ name: 'Early household', address: '2 Place du Palais', lat: 43.7311, lon: 7.4201 }), commodityId: rice.id, quantity: 1 }, 'community');
    expect(before.household.zoneId).toBeNull();
    const zone = await post(t, '/api/zones', {
      name: 'Rock',
      status: 'controlled',
      polygon: { type: 'Polygon', coordinates: [[[7.41, 43.72], [7.43, 43.72], [7.43, 43.735], [7.41, 43.735], [7.41, 43.72]]] },
    });
    const inside = await post(t, '/api/needs', { household: aHousehold({ address: '1 Place du Palais', lat: 43.731, lon: 7.42 }), commodityId: rice.id, quantity: 1 }, 'community');
    expect(inside.household.zoneId).toBe(zone.id);
    const list = await t.api.get(`/api/needs?zoneId=${zone.id}`).set(worker()).expect(200);
    expect(list.body.items.map((n: { id: number }) => n.id)).toEqual([inside.need.id]);
    // The zone redrawn further east: a household recorded there now is in it.
    await t.api
      .put(`/api/zones/${zone.id}`)
      .set(bearer(t.tokens.coordinator))
      .send({ polygon: { type: 'Polygon', coordinates: [[[7.43, 43.72], [7.45, 43.72], [7.45, 43.735], [7.43, 43.735], [7.43, 43.72]]] } })
      .expect(200);
    const east = await post(t, '/api/needs', { household: aHousehold({ name: 'East household', address: '5 Avenue de la Costa', lat: 43.731, lon: 7.44 }), commodityId: rice.id, quantity: 1 }, 'community');
    expect(east.household.zoneId).toBe(zone.id);
  });

  it('refuses bad needs with the field named and writes nothing', async () => {
    const before = (await t.api.get('/api/needs').set(worker())).body.total;
    const cases: [Record<string, unknown>, string, number][] = [
      [{ household: aHousehold({ people: 0 }), commodityId: rice.id, quantity: 1 }, 'body.household.people', 400],
      [{ household: aHousehold({ lat: 95 }), commodityId: rice.id, quantity: 1 }, 'body.household.lat', 400],
      [{ household: aHousehold(), commodityId: rice.id, quantity: 0 }, 'body.quantity', 400],
      [{ household: aHousehold(), commodityId: rice.id, quantity: 1, urgency: 'whenever' }, 'body.urgency', 400],
      [{ household: aHousehold({ phone: 'call me' }), commodityId: rice.id, quantity: 1 }, 'body.household.phone', 400],
      [{ commodityId: rice.id, quantity: 1 }, 'body.household', 400],
      [{ household: aHousehold({ address: '77 Unknown Way' }), commodityId: 999999, quantity: 1 }, 'body.commodityId', 404],
      [{ householdId: 999999, commodityId: rice.id, quantity: 1 }, 'body.householdId', 404],
    ];
    for (const [body, field, status] of cases) {
      const res = await t.api.post('/api/needs').set(worker()).send(body);
      expect(res.status, field).toBe(status);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await t.api.get('/api/needs').set(worker())).body.total).toBe(before);
  });

  it('refuses a CSV with bad rows whole, naming each bad line, then imports the corrected file', async () => {
    const header = 'name,address,phone,lat,lon,people,community,commodity,quantity,urgency,deadline,elderly_alone,chronic_illness,disabled,pregnant,infant';
    const good = [
      `Bianchi household,8 Avenue de la Costa,+377 93 25 00 00,43.741,7.426,2,Monte-Carlo,${rice.code},4,normal,,no,no,no,no,yes`,
      `Boeri household,11 Avenue de la Costa,,43.741,7.426,1,Monte-Carlo,${insulin.code},1,critical,2030-01-01,yes,yes,no,no,no`,
      `Bianchi household,8 avenue de la costa,+377 93 25 00 00,43.741,7.426,2,Monte-Carlo,${rice.code},4,normal,,no,no,no,no,yes`,
    ];
    const bad = [
      `Martin household,9 Avenue de la Costa,,43.741,7.426,abc,Monte-Carlo,${rice.code},1,normal,,no,no,no,no,no`,
      `Gastaud household,10 Avenue de la Costa,,43.741,7.426,1,Monte-Carlo,NOPE,1,normal,,no,no,no,no,no`,
      `Boeri household,11 Avenue de la Costa,,43.741,7.426,1,Monte-Carlo,${insulin.code},1,critical,2030-13-01,yes,yes,no,no,no`,
    ];
    const before = (await t.api.get('/api/needs').set(worker())).body.total;
    const refused = await t.api.post('/api/needs/import?source=survey-a').set(worker()).set('Content-Type', 'text/csv').send([header, good[0], ...bad, ...good.slice(1)].join('\n')).expect(400);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual(['line 3: people', 'line 4: commodity', 'line 5: deadline']);
    expect((await t.api.get('/api/needs').set(worker())).body.total).toBe(before);
    const res = await t.api.post('/api/needs/import?source=survey-a').set(worker()).set('Content-Type', 'text/csv').send([header, ...good].join('\n')).expect(200);
    expect(res.body).toMatchObject({ preview: false, rows: 3, created: 2, merged: 1, held: 0, failed: 0 });
    expect(res.body.report.map((r: { line: number; status: string }) => [r.line, r.status])).toEqual([[2, 'created'], [3, 'created'], [4, 'merged']]);
    expect(res.body.report[2].needId).toBe(res.body.report[0].needId);
  });

  it('refuses a CSV holding a NUL byte, naming its line, and writes nothing', async () => {
    const before = (await t.api.get('/api/needs').set(worker())).body.total;
    const csv = ['name,address,phone,lat,lon,people,community,commodity,quantity', `Nul household,40 Rue Basse,,43.74,7.42,2,Monte-Carlo,${rice.code},1`, `Nul\u0000 household,41 Rue Basse,,43.74,7.42,2,Monte-Carlo,${rice.code},1`].join('\n');
    const res = await t.api.post('/api/needs/import').set(worker()).set('Content-Type', 'text/csv').send(csv).expect(400);
    expect(res.body.errors).toEqual([{ field: 'line 3', reason: 'contains a NUL byte' }]);
    expect((await t.api.get('/api/needs').set(worker())).body.total).toBe(before);
  });

  it('previews an import (new, merged, errors by line) without writing anything', async () => {
    await post(t, '/api/needs', { household: aHousehold({ address: '50 Rue Basse', phone: '93 50 50 50' }), commodityId: rice.id, quantity: 1 }, 'community');
    const before = await t.db.query('SELECT (SELECT count(*) FROM needs) AS needs, (SELECT count(*) FROM households) AS households');
    const csv = [
      'name,address,phone,lat,lon,people,community,commodity,quantity',
      `Known household,50 rue basse,+377 93 50 50 50,43.74,7.42,2,Monte-Carlo,${rice.code},1`,
      `Known household,50 Rue Basse,93 50 50 50,43.74,7.42,2,Monte-Carlo,${insulin.code},1`,
      `New household,51 Rue Basse,,43.74,7.42,2,Monte-Carlo,${rice.code},1`,
      `New household,51 Rue Basse,,43.74,7.42,2,Monte-Carlo,${rice.code},3`,
      `Bad household,52 Rue Basse,,43.74,7.42,0,Monte-Carlo,${rice.code},1`,
    ].join('\n');
    const res = await t.api.post('/api/needs/import?preview=true').set(worker()).set('Content-Type', 'text/csv').send(csv).expect(200);
    expect(res.body).toMatchObject({ preview: true, rows: 5, created: 2, merged: 2, held: 0, failed: 1 });
    expect(res.body.report.map((r: { status: string }) => r.status)).toEqual(['merged', 'created', 'created', 'merged', 'error']);
    expect(res.body.report[4].errors[0].field).toBe('people');
    expect(await t.db.query('SELECT (SELECT count(*) FROM needs) AS needs, (SELECT count(*) FROM households) AS households')).toEqual(before);
  });

  it('refuses a CSV without the required columns, naming them', async () => {
    const res = await t.api.post('/api/needs/import').set(worker()).set('Content-Type', 'text/csv').send('name,address\nA,B').expect(400);
    expect(res.body.detail).toMatch(/lat/);
  });

  it('never lets a later import overwrite a field a person corrected, and keeps the history', async () => {
    const first = await post(t, '/api/needs', { household: aHousehold({ address: '20 Rue Basse', phone: '+377 93 30 30 30', people: 2, elderlyAlone: true }), commodityId: rice.id, quantity: 1 }, 'community');
    const id = first.household.id;
    const corrected = await t.api.patch(`/api/households/${id}`).set(worker()).send({ people: 5, version: first.household.version }).expect(200);
    expect(corrected.body).toMatchObject({ people: 5, elderlyAlone: true });
    const csv = ['name,address,phone,lat,lon,people,community,commodity,quantity', `Rossi household,20 Rue Basse,+377 93 30 30 30,43.7405,7.4275,2,Monaco-Ville,${rice.code},1`].join('\n');
    const res = await t.api.post('/api/needs/import?source=survey-b').set(worker()).set('Content-Type', 'text/csv').send(csv).expect(200);
    expect(res.body.report[0].keptManual).toEqual([{ field: 'people', kept: 5, offered: 2 }]);
    const household = await t.api.get(`/api/households/${id}`).set(worker()).expect(200);
    // A report never moves a household to another community: only a person's correction does.
    expect(household.body).toMatchObject({ people: 5, community: 'Monte-Carlo' });
    const history = await t.api.get(`/api/households/${id}/history`).set(worker()).expect(200);
    const people = history.body.filter((h: { field: string }) => h.field === 'people');
    expect(people.map((h: { value: number; source: string; outcome: string }) => [h.value, h.source, h.outcome])).toEqual([
      [2, 'form', 'applied'],
      [5, 'manual', 'applied'],
      [2, 'import:survey-b', 'kept_manual'],
    ]);
  });

  it('refuses a stale edit of a need and tells the loser the current value', async () => {
    const { need } = await post(t, '/api/needs', { household: aHousehold({ address: '30 Rue Comte Félix Gastaldi' }), commodityId: rice.id, quantity: 4 }, 'community');
    await t.api.patch(`/api/needs/${need.id}`).set(worker()).send({ quantity: 6, version: need.version }).expect(200);
    const stale = await t.api.patch(`/api/needs/${need.id}`).set(worker()).send({ quantity: 9, version: need.version }).expect(409);
    expect(stale.body.current).toMatchObject({ quantity: 6, version: need.version + 1 });
  });

  it('shows households (phones, health flags) only to community workers, coordinators and admins', async () => {
    for (const role of ['driver', 'charity'] as const) {
      await t.api.get('/api/needs').set(bearer(t.tokens[role])).expect(403);
      await t.api.get('/api/households/1').set(bearer(t.tokens[role])).expect(403);
    }
    await t.api.get('/api/needs').expect(401);
    const list = await t.api.get('/api/needs?limit=1').set(bearer(t.tokens.coordinator)).expect(200);
    expect(list.body.items[0].household).not.toHaveProperty('addressKey');
    const one = await t.api.get(`/api/households/${list.body.items[0].householdId}`).set(bearer(t.tokens.coordinator)).expect(200);
    expect(one.body).not.toHaveProperty('phoneKey');
  });

  it('records concurrent needs together, each with its own answer and audit row, and refuses a bad one alone', async () => {
    const send = (i: number) =>
      t.api
        .post('/api/needs')
        .set(worker())
        .set('Idempotency-Key', `together-need-${i}`)
        // The fourth asks for a commodity that does not exist.
        .send({ household: aHousehold({ name: `Together ${i}`, address: `${i} Rue des Ensembles`, phone: `+377 93 60 00 ${String(10 + i)}` }), commodityId: i === 3 ? 999_999 : rice.id, quantity: 1 });
    const answers = await whileTablesHeld(t.db, ['households', 'needs'], 300, () => Promise.all(Array.from({ length: 12 }, (_, i) => send(i))));
    expect(answers.map((a) => a.status)).toEqual(answers.map((_, i) => (i === 3 ? 404 : 201)));
    const ids = answers.flatMap((a, i) => (i === 3 ? [] : [a.body.need.id as number]));
    expect(new Set(ids).size).toBe(11);
    const audit = await t.db.query<{ record_id: string; request_id: string; at: Date }>(`SELECT record_id, request_id, at FROM audit_log WHERE table_name = 'needs' AND action = 'insert' AND record_id = ANY($1::text[])`, [ids.map(String)]);
    expect(audit).toHaveLength(11);
    for (const [i, a] of answers.entries()) {
      if (i !== 3) expect(audit.find((row) => row.record_id === String(a.body.need.id))?.request_id).toBe(a.headers['x-request-id']);
    }
    const households = await t.db.query(`SELECT id FROM households WHERE name LIKE 'Together %'`);
    expect(households).toHaveLength(11);
    // The bad one is refused in its own turn, so its neighbours are still written together: fewer transactions
    // (now() is a transaction's start) than needs. On PostgreSQL, where the tables are held while they come, all
    // but the first few share one batch (were the bad one refused at the batch's end, its batch would be written
    // again, each alone).
    expect(new Set(audit.map((a) => a.at.getTime())).size).toBeLessThanOrEqual(kind === 'postgres' ? 3 : 10);
    // A burst of good ones too.
    const burst = await whileTablesHeld(t.db, ['households', 'needs'], 300, () => Promise.all(Array.from({ length: 8 }, (_, i) => send(20 + i))));
    expect(burst.map((a) => a.status)).toEqual(burst.map(() => 201));
    const written = await t.db.query<{ at: Date }>(`SELECT at FROM audit_log WHERE table_name = 'needs' AND action = 'insert' AND record_id = ANY($1::text[])`, [burst.map((a) => String(a.body.need.id))]);
    expect(written).toHaveLength(8);
    expect(new Set(written.map((a) => a.at.getTime())).size).toBeLessThan(8);
  });
});
