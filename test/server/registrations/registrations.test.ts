import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';
import { aCommodity, aHousehold, post } from '../../support/records.ts';
import { nameSimilarity } from '../../../server/registrations/similar-names.ts';

type Duplicate = { kind: string; id: number; matchedOn: string[] };
type Queued = { id: number; name: string; duplicates: Duplicate[] };

describe('names that are likely the same person’s', () => {
  it('match across case, accents, punctuation, word order, a typo and a missing word, and not on a common word alone', () => {
    expect(nameSimilarity('Jean Dupont', 'DUPONT, Jean')).toBe(1);
    expect(nameSimilarity('Hélène Rossi', 'Helene Rossi')).toBe(1);
    expect(nameSimilarity('Rossi', 'Rossi household')).toBe(1);
    expect(nameSimilarity('Jean Dupont', 'Jean Dupond')).toBeGreaterThanOrEqual(0.8);
    expect(nameSimilarity('Jean Dupont', 'Marie Curie')).toBeLessThan(0.8);
    expect(nameSimilarity('Bellando household', 'Cellario household')).toBeLessThan(0.8);
  });
});

describe.each(databaseKinds)('asking to be registered (%s)', (kind) => {
  let t: TestApp;
  let known: { id: number };
  const as = (role: keyof TestApp['tokens']) => bearer(t.tokens[role]);
  const form = (overrides: Record<string, unknown> = {}) => ({ name: 'Jean Dupont', address: '4 Avenue de la Costa', people: 2, community: 'Monte-Carlo', ...overrides });
  const register = async (body: object) => (await t.api.post('/api/registrations').send(body).expect(202)).body as { reference: string; url: string };
  const queued = async (role: keyof TestApp['tokens'] = 'community') => (await t.api.get('/api/community-queue').set(as(role)).expect(200)).body;
  const idOf = async (name: string) => ((await queued('coordinator')).registrations as Queued[]).find((r) => r.name === name)!.id;
  const households = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM households'))[0]!.n;

  beforeAll(async () => {
    t = await startTestApp(kind);
    const water = await aCommodity(t);
    known = (await post(t, '/api/needs', { household: aHousehold({ name: 'Rossi household', elderlyAlone: true }), commodityId: water.id, quantity: 1 })).household;
    await post(t, '/api/needs', { household: aHousehold({ name: 'Ferrari', address: '9 Rue Basse', phone: '+377 93 00 00 02', community: 'Monaco-Ville' }), commodityId: water.id, quantity: 1 });
    await t.api.patch(`/api/users/${t.userIds.community}`).set(as('admin')).send({ communities: ['Monte-Carlo'] }).expect(200);
  });
  afterAll(() => t.close());

  it('takes a registration from anyone with a reference kept only as its hash, and tells the person where it stands in zh and en', async () => {
    const { reference, url } = await register(form({ phone: '+377 93 11 11 11', elderlyAlone: true }));
    expect(reference).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
    expect(url).toBe(`/r/${reference}`);
    expect(JSON.stringify(await t.db.query('SELECT * FROM registrations'))).not.toContain(reference);
    const en = await t.api.get(`/api/registrations/${reference}`).expect(200);
    expect(en.body).toMatchObject({ status: 'pending', statusText: 'Received. A community worker will check your registration and may call you.', community: 'Monte-Carlo' });
    expect(JSON.stringify(en.body)).not.toMatch(/Dupont|Costa|93 11/);
    const zh = await t.api.get(`/api/registrations/${reference.toLowerCase()}`).set('Accept-Language', 'zh-CN').expect(200);
    expect(zh.body.statusText).toBe('已收到。社区工作人员将核实您的登记，可能会给您打电话。');
    await t.api.get('/api/registrations/ABCDEFGHJKMNPQRS').expect(404);
  });

  it('refuses a community nobody knows, in the reader’s language', async () => {
    const res = await t.api.post('/api/registrations?lang=zh').send(form({ community: 'Atlantis' })).expect(400);
    expect(res.body.errors).toEqual([{ field: 'body.community', reason: '请从列表中选择您的社区。' }]);
    expect(res.body.detail).toBe('请检查：社区。');
    const bad = await t.api.post('/api/registrations').set('Accept-Language', 'en-GB,en').send(form({ name: '', people: 0 })).expect(400);
    expect(bad.body.detail).toBe('Please check: the name, the number of people.');
    expect((await t.api.get('/api/communities').expect(200)).body).toEqual(['Monaco-Ville', 'Monte-Carlo']);
  });

  it('shows a likely duplicate beside the registration in the worker’s queue (same address, same phone, similar name) and creates nothing', async () => {
    const before = await households();
    await register(form({ name: 'ROSSI Household', address: '12, Bd. des Moulins', phone: '93 15 20 00' }));
    await register(form({ name: 'Jean Dupond', address: '5 Avenue de la Costa' }));
    const queue = await queued();
    const rossi = (queue.registrations as Queued[]).find((r) => r.name === 'ROSSI Household')!;
    expect(rossi.duplicates).toEqual([expect.objectContaining({ kind: 'household', id: known.id, name: 'Rossi household', flags: ['elderlyAlone'], matchedOn: ['address', 'phone', 'name'] })]);
    const dupond = (queue.registrations as Queued[]).find((r) => r.name === 'Jean Dupond')!;
    expect(dupond.duplicates).toEqual([expect.objectContaining({ kind: 'registration', name: 'Jean Dupont', matchedOn: ['name'] })]);
    expect(queue.counts.registrations).toBe(3);
    expect(await households()).toBe(before);
  });

  it('approves a registration into a household with an access code that opens its page, and the person is told', async () => {
    const { reference } = await register(form({ name: 'Amélie Laurent', address: '1 Rue Princesse Caroline', phone: '+377 93 44 44 44', infant: true }));
    const id = await idOf('Amélie Laurent');
    const decided = await t.api.post(`/api/registrations/${id}/decide`).set(as('community')).send({ decision: 'approve' }).expect(200);
    expect(decided.body.household).toMatchObject({ name: 'Amélie Laurent', community: 'Monte-Carlo', infant: true, people: 2 });
    expect(decided.body.url).toBe(`/h/${decided.body.code}`);
    const page = await t.api.get(`/api/resident/${decided.body.code}`).expect(200);
    expect(page.body.household).toEqual({ name: 'Amélie Laurent', community: 'Monte-Carlo' });
    const status = await t.api.get(`/api/registrations/${reference}?lang=en`).expect(200);
    expect(status.body).toMatchObject({ status: 'approved', statusText: 'You are registered. Your community worker will bring you a slip with the link to your own page.' });
    await t.api.post(`/api/registrations/${id}/decide`).set(as('community')).send({ decision: 'reject' }).expect(409);
  });

  it('merges a registration into the household that is the same people, keeping what a worker corrected by hand', async () => {
    const current = (await t.api.get(`/api/households/${known.id}`).set(as('community'))).body;
    await t.api.patch(`/api/households/${known.id}`).set(as('community')).send({ people: 4, version: current.version }).expect(200);
    const id = await idOf('ROSSI Household');
    const merged = await t.api.post(`/api/registrations/${id}/decide`).set(as('community')).send({ decision: 'merge', householdId: known.id }).expect(200);
    expect(merged.body.registration.status).toBe('merged');
    expect(merged.body.household).toMatchObject({ id: known.id, people: 4, name: 'ROSSI Household' });
    expect(merged.body.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
  });

  it("keeps every registration within the worker's own communities, checked on the record as stored", async () => {
    await register(form({ name: 'Marco Ferrari', address: '10 Rue Basse', community: 'Monaco-Ville' }));
    expect(((await queued()).registrations as Queued[]).map((r) => r.name)).not.toContain('Marco Ferrari');
    const id = await idOf('Marco Ferrari');
    await t.api.post(`/api/registrations/${id}/decide`).set(as('community')).send({ decision: 'approve' }).expect(404);
    await t.api.post(`/api/registrations/${id}/decide`).set(as('driver')).send({ decision: 'approve' }).expect(403);
    await t.api.post(`/api/registrations/${id}/decide`).send({ decision: 'approve' }).expect(401);
    await t.api.post(`/api/registrations/${id}/decide`).set(as('coordinator')).send({ decision: 'reject' }).expect(200);
    await t.api.get('/api/community-queue').set(as('driver')).expect(403);
  });

  it('throttles registrations and reference guessing per client address', async () => {
    let refused: Awaited<ReturnType<typeof t.api.post>> | undefined;
    for (let i = 0; i < 12 && !refused; i++) {
      const res = await t.api.post('/api/registrations?lang=zh').send(form({ name: `Person ${i}`, address: `${i + 20} Rue Grimaldi` }));
      if (res.status === 429) refused = res;
      else expect(res.status).toBe(202);
    }
    expect(refused?.body).toMatchObject({ code: 'too-many-attempts' });
    expect(Number(refused!.headers['retry-after'])).toBeGreaterThan(0);
    let guessed: Awaited<ReturnType<typeof t.api.get>> | undefined;
    for (let i = 0; i < 25 && !guessed; i++) {
      const res = await t.api.get(`/api/registrations/ZZZZZZZZZZZZZZ${String(i).padStart(2, '0')}`);
      if (res.status === 429) guessed = res;
      else expect(res.status).toBe(404);
    }
    expect(guessed).toBeDefined();
  });
});
