// The web app's session: an httpOnly SameSite=Strict cookie set at sign-in instead of a token in the
// answer, accepted for reads, for writes only with the web app's header from the same origin, and by
// the live socket's handshake; API clients keep their bearer tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { PASSWORD, bearer, databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';

const web = { 'X-Lifeline-Client': 'web' };
const warehouse = { name: 'Cookie depot', address: '1 Quai', lat: 43.735, lon: 7.423, capacityWeightKg: 100, capacityVolumeM3: 1 };

describe('the web app’s session cookie', () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await startTestApp(databaseKinds[0]!);
  });
  afterAll(() => t.close());

  const signIn = async () => {
    const res = await t.api.post('/api/auth/login').set(web).send({ email: 'coordinator@test.local', password: PASSWORD }).expect(200);
    return res;
  };

  it('is set at sign-in from the web app, httpOnly and SameSite=Strict, and the answer holds no token', async () => {
    const res = await signIn();
    expect(res.body).toMatchObject({ role: 'coordinator', user: { email: 'coordinator@test.local' } });
    expect(res.body.token).toBeUndefined();
    const setCookie = res.headers['set-cookie'] as unknown as string[];
    expect(setCookie).toHaveLength(1);
    expect(setCookie[0]).toMatch(/^lifeline_session=[\w-]{20,}; Max-Age=43200; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Strict$/);
    cookie = setCookie[0]!.split(';')[0]!;
  });

  it('leaves API clients as they were: a bearer token in the answer and no cookie', async () => {
    const res = await t.api.post('/api/auth/login').send({ email: 'coordinator@test.local', password: PASSWORD }).expect(200);
    expect(res.body.token).toEqual(expect.any(String));
    expect(res.headers['set-cookie']).toBeUndefined();
    await t.api.post('/api/warehouses').set(bearer(res.body.token)).send({ ...warehouse, name: 'Bearer depot' }).expect(201);
  });

  it('signs reads in by itself', async () => {
    const me = await t.api.get('/api/auth/me').set('Cookie', cookie).expect(200);
    expect(me.body.email).toBe('coordinator@test.local');
  });

  it('refuses a write that another site could forge: without the web app’s header, or from another origin', async () => {
    const forged = await t.api.post('/api/warehouses').set('Cookie', cookie).send(warehouse).expect(403);
    expect(forged.headers['content-type']).toContain('application/problem+json');
    expect(forged.body.detail).toContain('X-Lifeline-Client');
    await t.api.post('/api/warehouses').set('Cookie', cookie).set(web).set('Origin', 'https://evil.example').send(warehouse).expect(403);
    const listed = await t.api.get('/api/warehouses').set(bearer(t.tokens.coordinator));
    expect(listed.body.items.map((w: { name: string }) => w.name)).not.toContain(warehouse.name);
  });

  it('accepts the web app’s own writes (its header, same origin or none)', async () => {
    await t.api.post('/api/warehouses').set('Cookie', cookie).set(web).send(warehouse).expect(201);
    await t.api.post('/api/warehouses').set('Cookie', cookie).set(web).set('Host', 'lifeline.example:8080').set('Origin', 'https://lifeline.example:8080').send({ ...warehouse, name: 'Same-origin depot' }).expect(201);
  });

  it('authenticates the live socket’s handshake from the same origin, and not from another site', async () => {
    const url = await t.listen();
    const handshake = (origin: string) =>
      new Promise<string>((resolve) => {
        const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { Cookie: cookie, Origin: origin } });
        socket.once('live:hello', () => (socket.close(), resolve('connected')));
        socket.once('connect_error', (e) => (socket.close(), resolve(e.message)));
      });
    expect(await handshake(url)).toBe('connected');
    expect(await handshake('https://evil.example')).toMatch(/unauthenticated/);
  });

  it('is cleared and revoked at sign-out', async () => {
    const res = await t.api.post('/api/auth/logout').set('Cookie', cookie).set(web).expect(204);
    expect((res.headers['set-cookie'] as unknown as string[])[0]).toMatch(/^lifeline_session=; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict$/);
    await t.api.get('/api/auth/me').set('Cookie', cookie).expect(401);
  });
});
