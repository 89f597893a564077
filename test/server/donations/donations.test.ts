import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, databaseKinds, startTestApp, whileTablesHeld, type TestApp } from '../../support/app.ts';
import { aCommodity, aWarehouse, post } from '../../support/records.ts';

describe.each(databaseKinds)('donations on %s', (kind) => {
  let t: TestApp;
  let warehouseId: number;
  let rice: number;
  let milk: number;
  beforeAll(async () => {
    t = await startTestApp(kind);
    warehouseId = (await aWarehouse(t, 'Port store')).id;
    rice = (await aCommodity(t)).id;
    milk = (await aCommodity(t, { name: 'UHT milk', perishable: true })).id;
  });
  afterAll(() => t.close());

  const pledge = (items = [{ commodityId: rice, quantity: 20 }, { commodityId: milk, quantity: 10 }]) =>
    post(t, '/api/donations', { warehouseId, donorName: 'Jane Donor', donorContact: '+377 99 99 99 99', items }, 'charity');

  it('gives the charity an id and a tracking code', async () => {
    const donation = await pledge();
    expect(donation.id).toBeGreaterThan(0);
    expect(donation.trackingCode).toMatch(/^LL-[A-Z2-9]{8}$/);
    expect(donation.status).toBe('pledged');
    expect(donation.items).toHaveLength(2);
  });

  it('keeps a pledge’s collection point, and refuses a malformed one naming the field', async () => {
    const collection = { address: 'Paroisse Saint-Charles, 4 av. Saint-Charles', lat: 43.7406, lon: 7.4262 };
    const donation = await post(t, '/api/donations', { warehouseId, donorName: 'Parish food drive', items: [{ commodityId: rice, quantity: 5 }], collection }, 'charity');
    expect(donation.collection).toEqual(collection);
    expect(donation.pickup).toBeNull();
    const listed = (await t.api.get('/api/donations').set(bearer(t.tokens.charity)).expect(200)).body.items;
    expect(listed.find((d: { id: number }) => d.id === donation.id).collection).toEqual(collection);
    expect((await pledge()).collection).toBeNull();
    const bad = await t.api
      .post('/api/donations')
      .set(bearer(t.tokens.charity))
      .send({ warehouseId, donorName: 'Parish', items: [{ commodityId: rice, quantity: 5 }], collection: { ...collection, lat: 123 } })
      .expect(400);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    expect(bad.body.errors[0].field).toBe('body.collection.lat');
  });

  it('receives accepted quantities into lots linked to the donation, in the ledger', async () => {
    const donation = await pledge();
    const [riceItem, milkItem] = donation.items;
    const received = await t.api
      .post(`/api/donations/${donation.id}/receive`)
      .set(bearer(t.tokens.coordinator))
      .send({ items: [{ itemId: riceItem.id, accepted: 18, rejected: 2, rejectionReason: 'torn bags' }, { itemId: milkItem.id, accepted: 10, expiresOn: '2030-01-10' }] })
      .expect(200);
    expect(received.body.status).toBe('received');
    const lotIds = received.body.items.map((i: { lotId: number }) => i.lotId);
    const lots = await t.db.query<{ on_hand: number; donation_id: number }>('SELECT on_hand, donation_id FROM lots WHERE id = ANY($1::int[]) ORDER BY id', [lotIds]);
    expect(lots).toEqual([{ on_hand: 18, donation_id: donation.id }, { on_hand: 10, donation_id: donation.id }]);
  });

  it('refuses to receive a donation twice', async () => {
    const donation = await pledge([{ commodityId: rice, quantity: 1 }]);
    const body = { items: [{ itemId: donation.items[0].id, accepted: 1 }] };
    await t.api.post(`/api/donations/${donation.id}/receive`).set(bearer(t.tokens.coordinator)).send(body).expect(200);
    await t.api.post(`/api/donations/${donation.id}/receive`).set(bearer(t.tokens.coordinator)).send(body).expect(409);
  });

  it('refuses a receipt that misses an item, lacks a perishable expiry or a rejection reason, and writes nothing', async () => {
    const donation = await pledge();
    const [riceItem, milkItem] = donation.items;
    const receiveWith = (items: unknown[]) => t.api.post(`/api/donations/${donation.id}/receive`).set(bearer(t.tokens.coordinator)).send({ items });
    expect((await receiveWith([{ itemId: riceItem.id, accepted: 20 }])).status).toBe(400);
    const noExpiry = await receiveWith([{ itemId: riceItem.id, accepted: 20 }, { itemId: milkItem.id, accepted: 10 }]);
    expect(noExpiry.status).toBe(400);
    expect(noExpiry.body.errors[0].field).toBe('body.items.1.expiresOn');
    const noReason = await receiveWith([{ itemId: riceItem.id, accepted: 10, rejected: 10 }, { itemId: milkItem.id, accepted: 10, expiresOn: '2030-01-01' }]);
    expect(noReason.body.errors[0].field).toBe('body.items.0.rejectionReason');
    const [{ n }] = await t.db.query<{ n: number }>('SELECT count(*) AS n FROM lots WHERE donation_id = $1', [donation.id]);
    expect(n).toBe(0);
    const after = await t.api.get(`/api/donations/${donation.id}`).set(bearer(t.tokens.coordinator)).expect(200);
    expect(after.body.status).toBe('pledged');
  });

  it('refuses a pledge to an unknown warehouse or commodity, naming the field', async () => {
    const res = await t.api.post('/api/donations').set(bearer(t.tokens.charity)).send({ warehouseId, donorName: 'X', items: [{ commodityId: 999999, quantity: 1 }] }).expect(404);
    expect(res.body.errors[0].field).toBe('body.items.0.commodityId');
    await t.api.post('/api/donations').set(bearer(t.tokens.charity)).send({ warehouseId, donorName: 'X', items: [] }).expect(400);
  });

  it('answers a pledge as it is stored, its items in the order given', async () => {
    const collection = { address: '4 av. Saint-Charles', lat: 43.7406, lon: 7.4262 };
    const answer = await post(t, '/api/donations', { warehouseId, donorName: 'As stored', note: 'by the door', collection, items: [{ commodityId: milk, quantity: 4 }, { commodityId: rice, quantity: 7 }] }, 'charity');
    const stored = (await t.api.get(`/api/donations/${answer.id}`).set(bearer(t.tokens.coordinator)).expect(200)).body;
    expect(answer).toEqual(stored);
    expect(answer.items.map((i: { commodityId: number; quantityPledged: number }) => [i.commodityId, i.quantityPledged])).toEqual([[milk, 4], [rice, 7]]);
    expect(answer).toMatchObject({ note: 'by the door', collection, pickup: null, status: 'pledged' });
  });

  it('refuses a pledge to an unknown warehouse, naming the field, and writes nothing', async () => {
    const res = await t.api.post('/api/donations').set(bearer(t.tokens.charity)).send({ warehouseId: 999_999, donorName: 'Nowhere', items: [{ commodityId: rice, quantity: 1 }] }).expect(404);
    expect(res.body.errors[0].field).toBe('body.warehouseId');
    const [{ n }] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM donations WHERE donor_name = 'Nowhere'`);
    expect(n).toBe(0);
  });

  it('gives a retry sent while the first attempt is still being written the same answer, and pledges once', async () => {
    const body = { warehouseId, donorName: 'Double click', items: [{ commodityId: rice, quantity: 2 }] };
    const send = () => t.api.post('/api/donations').set(bearer(t.tokens.charity)).set('Idempotency-Key', 'double-1').send(body);
    const [a, b] = await Promise.all([send(), send()]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body).toEqual(a.body);
    const [{ n }] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM donations WHERE donor_name = 'Double click'`);
    expect(n).toBe(1);
  });

  it('does not pledge twice when the charity retries with the same Idempotency-Key', async () => {
    const body = { warehouseId, donorName: 'Retry Donor', items: [{ commodityId: rice, quantity: 3 }] };
    const a = await t.api.post('/api/donations').set(bearer(t.tokens.charity)).set('Idempotency-Key', 'd-1').send(body).expect(201);
    const b = await t.api.post('/api/donations').set(bearer(t.tokens.charity)).set('Idempotency-Key', 'd-1').send(body).expect(201);
    expect(b.body.trackingCode).toBe(a.body.trackingCode);
    const [{ n }] = await t.db.query<{ n: number }>(`SELECT count(*) AS n FROM donations WHERE donor_name = 'Retry Donor'`);
    expect(n).toBe(1);
  });

  it('lets a charity see its own donations only; receiving is for coordinators', async () => {
    const donation = await pledge();
    await t.api.get(`/api/donations/${donation.id}`).set(bearer(t.tokens.charity)).expect(200);
    const list = await t.api.get('/api/donations').set(bearer(t.tokens.charity)).expect(200);
    expect(list.body.items.every((d: { charityUserId: number }) => d.charityUserId === t.userIds.charity)).toBe(true);
    const other = await post(t, '/api/donations', { warehouseId, donorName: 'Coordinator pledge', items: [{ commodityId: rice, quantity: 1 }] }, 'coordinator');
    await t.api.get(`/api/donations/${other.id}`).set(bearer(t.tokens.charity)).expect(404);
    await t.api.post(`/api/donations/${donation.id}/receive`).set(bearer(t.tokens.charity)).send({ items: [] }).expect(403);
    await t.api.post('/api/donations').set(bearer(t.tokens.driver)).send({}).expect(403);
  });

  it('shows the public journey by tracking code, including the communities reached, with no personal data', async () => {
    const donation = await pledge([{ commodityId: rice, quantity: 5 }]);
    const received = await t.api
      .post(`/api/donations/${donation.id}/receive`)
      .set(bearer(t.tokens.coordinator))
      .send({ items: [{ itemId: donation.items[0].id, accepted: 5 }] })
      .expect(200);
    const lotId = received.body.items[0].lotId;
    // A delivery to a household, written as the dispatch will write it.
    const need = await post(t, '/api/needs', {
      household: { name: 'Secret Family', address: '3 Rue Secrète', phone: '+377 93 11 22 33', lat: 43.74, lon: 7.42, people: 2, community: 'Larvotto', chronicIllness: true },
      commodityId: rice,
      quantity: 2,
    }, 'community');
    for (const kind of ['reserved', 'dispatched', 'delivered']) {
      await t.db.query('INSERT INTO stock_movements (lot_id, kind, quantity, need_id) VALUES ($1, $2, 2, $3)', [lotId, kind, need.need.id]);
    }
    const track = await t.api.get(`/api/track/${donation.trackingCode.toLowerCase()}`).expect(200);
    expect(track.body).toMatchObject({ trackingCode: donation.trackingCode, status: 'received', warehouse: 'Port store', communitiesReached: ['Larvotto'] });
    expect(track.body.journey.map((j: { event: string }) => j.event)).toEqual(['received', 'dispatched', 'delivered']);
    const text = JSON.stringify(track.body);
    for (const secret of ['Jane Donor', '+377', 'Secret Family', 'Rue Secrète', 'chronic', 'donorContact', 'householdId', 'phone', 'lat']) {
      expect(text).not.toContain(secret);
    }
    await t.api.get('/api/track/LL-NOPE1234').expect(404);
  });

  it('takes concurrent pledges together, each with its own answer, idempotency key and audit row, and refuses a bad one alone', async () => {
    const send = (i: number) =>
      t.api
        .post('/api/donations')
        .set(bearer(t.tokens.charity))
        .set('Idempotency-Key', `together-${i}`)
        // The fifth names a commodity that does not exist.
        .send({ warehouseId, donorName: `Together ${i}`, items: [{ commodityId: i === 4 ? 999_999 : rice, quantity: 1 + i }] });
    const answers = await whileTablesHeld(t.db, ['donations'], 300, () => Promise.all(Array.from({ length: 16 }, (_, i) => send(i))));
    expect(answers.map((a) => a.status)).toEqual(answers.map((_, i) => (i === 4 ? 404 : 201)));
    expect(answers.map((a) => a.body.donorName)).toEqual(answers.map((_, i) => (i === 4 ? undefined : `Together ${i}`)));
    const rows = await t.db.query<{ id: number; donor_name: string }>(`SELECT id, donor_name FROM donations WHERE donor_name LIKE 'Together %' ORDER BY id`);
    expect(rows.map((r) => r.donor_name).sort()).toEqual(answers.flatMap((_, i) => (i === 4 ? [] : [`Together ${i}`])).sort());
    // Each donation's audit row names the request that pledged it (its X-Request-Id) and the charity.
    const audit = await t.db.query<{ record_id: string; request_id: string; user_id: number; at: Date }>(`SELECT record_id, request_id, user_id, at FROM audit_log WHERE table_name = 'donations' AND record_id = ANY($1::text[])`, [rows.map((r) => String(r.id))]);
    expect(audit).toHaveLength(15);
    for (const [i, a] of answers.entries()) {
      if (i === 4) continue;
      expect(audit.find((row) => row.record_id === String(a.body.id))).toMatchObject({ record_id: String(a.body.id), request_id: a.headers['x-request-id'], user_id: t.userIds.charity });
    }
    // The bad one is refused in its own turn, so its neighbours are still written together: fewer transactions
    // (now() is a transaction's start) than pledges. On PostgreSQL, where the tables are held while they come, all
    // but the first few share one batch (were the bad one refused at the batch's end, its batch would be written
    // again, each alone).
    expect(new Set(audit.map((a) => a.at.getTime())).size).toBeLessThanOrEqual(kind === 'postgres' ? 3 : 14);
    // A retry gets its own first answer.
    const again = await Promise.all([send(3), send(4)]);
    expect(again.map((a) => [a.status, a.body.id])).toEqual([[201, answers[3]!.body.id], [404, undefined]]);
    // A burst of good ones too.
    const burst = await whileTablesHeld(t.db, ['donations'], 300, () => Promise.all(Array.from({ length: 8 }, (_, i) => send(20 + i))));
    expect(burst.map((a) => a.status)).toEqual(burst.map(() => 201));
    const written = await t.db.query<{ at: Date }>(`SELECT at FROM audit_log WHERE table_name = 'donations' AND action = 'insert' AND record_id = ANY($1::text[])`, [burst.map((a) => String(a.body.id))]);
    expect(written).toHaveLength(8);
    expect(new Set(written.map((a) => a.at.getTime())).size).toBeLessThan(8);
  });
});
