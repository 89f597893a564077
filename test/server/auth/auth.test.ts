import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, databaseKinds, PASSWORD, startTestApp, type TestApp } from '../../support/app.ts';
import { SESSION_CACHE_MS } from '../../../server/auth/session-cache.ts';

describe.each(databaseKinds)('sign-in on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  it('returns a token and the role, and the token identifies the user', async () => {
    const res = await t.api.post('/api/auth/login').send({ email: 'Coordinator@Test.local', password: PASSWORD }).expect(200);
    expect(res.body).toMatchObject({ role: 'coordinator', token: expect.any(String) });
    const me = await t.api.get('/api/auth/me').set(bearer(res.body.token)).expect(200);
    expect(me.body).toMatchObject({ email: 'coordinator@test.local', role: 'coordinator' });
    expect(me.body).not.toHaveProperty('password_hash');
  });

  it('refuses a wrong password and an unknown email alike', async () => {
    const wrong = await t.api.post('/api/auth/login').send({ email: 'coordinator@test.local', password: 'nope' }).expect(401);
    const unknown = await t.api.post('/api/auth/login').send({ email: 'nobody@test.local', password: 'nope' }).expect(401);
    expect(wrong.body.detail).toBe(unknown.body.detail);
    await t.api.post('/api/auth/login').send({ email: 'not-an-email', password: 'x' }).expect(400);
  });

  it('stores passwords hashed, never in clear', async () => {
    const rows = await t.db.query<{ password_hash: string }>('SELECT password_hash FROM users');
    expect(rows.every((r) => r.password_hash.startsWith('$2') && !r.password_hash.includes(PASSWORD))).toBe(true);
  });

  it('revokes a token on logout', async () => {
    const { body } = await t.api.post('/api/auth/login').send({ email: 'driver@test.local', password: PASSWORD });
    await t.api.post('/api/auth/logout').set(bearer(body.token)).expect(204);
    await t.api.get('/api/auth/me').set(bearer(body.token)).expect(401);
  });

  it('lets only admins create users, with a role, and refuses duplicates', async () => {
    const user = { email: 'new.worker@test.local', name: 'New Worker', role: 'community', password: 'long-enough-pw' };
    await t.api.post('/api/users').set(bearer(t.tokens.coordinator)).send(user).expect(403);
    const created = await t.api.post('/api/users').set(bearer(t.tokens.admin)).send(user).expect(201);
    expect(created.body).toMatchObject({ email: user.email, role: 'community' });
    await t.api.post('/api/users').set(bearer(t.tokens.admin)).send(user).expect(409);
    const bad = await t.api.post('/api/users').set(bearer(t.tokens.admin)).send({ ...user, email: 'x@test.local', role: 'boss', password: 'short' }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.password', 'body.role']);
    await t.api.post('/api/auth/login').send({ email: user.email, password: user.password }).expect(200);
  });

  describe('with sessions kept in memory for a moment', () => {
    const signInNew = async (email: string, role: string, extra: Record<string, unknown> = {}) => {
      const created = await t.api.post('/api/users').set(bearer(t.tokens.admin)).send({ email, name: email, role, password: 'long-enough-pw', ...extra }).expect(201);
      const { body } = await t.api.post('/api/auth/login').send({ email, password: 'long-enough-pw' }).expect(200);
      return { id: created.body.id as number, token: body.token as string };
    };

    it('keeps a session looked up lately: one revoked behind this node\'s back still opens requests until SESSION_CACHE_MS has passed', async () => {
      const { token } = await signInNew('cached@test.local', 'driver');
      await t.api.get('/api/auth/me').set(bearer(token)).expect(200);
      // As another node's sign-out would: the row goes, this node is not told.
      await t.db.query('DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = $1)', ['cached@test.local']);
      await t.api.get('/api/auth/me').set(bearer(token)).expect(200);
      await new Promise((r) => setTimeout(r, SESSION_CACHE_MS + 50));
      await t.api.get('/api/auth/me').set(bearer(token)).expect(401);
    });

    it('refuses a deactivated user\'s token at once on this node', async () => {
      const { id, token } = await signInNew('deactivated@test.local', 'driver');
      await t.api.get('/api/auth/me').set(bearer(token)).expect(200);
      await t.api.patch(`/api/users/${id}`).set(bearer(t.tokens.admin)).send({ active: false }).expect(200);
      await t.api.get('/api/auth/me').set(bearer(token)).expect(401);
    });

    it('applies a new scope at once on this node', async () => {
      const { id, token } = await signInNew('rescoped@test.local', 'community', { communities: ['Condamine'] });
      expect((await t.api.get('/api/auth/me').set(bearer(token)).expect(200)).body.communities).toEqual(['Condamine']);
      await t.api.patch(`/api/users/${id}`).set(bearer(t.tokens.admin)).send({ communities: ['Fontvieille'] }).expect(200);
      expect((await t.api.get('/api/auth/me').set(bearer(token)).expect(200)).body.communities).toEqual(['Fontvieille']);
    });

    it('refuses a signed-out token at once, though it was used just before', async () => {
      const { token } = await signInNew('signed-out@test.local', 'driver');
      await t.api.get('/api/auth/me').set(bearer(token)).expect(200);
      await t.api.post('/api/auth/logout').set(bearer(token)).expect(204);
      await t.api.get('/api/auth/me').set(bearer(token)).expect(401);
    });
  });
});
