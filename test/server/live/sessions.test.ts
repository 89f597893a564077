import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { bearer, databaseKinds, PASSWORD, startSecondNode, startTestApp, type TestApp } from '../../support/app.ts';
import { connect, type LiveClient } from '../../support/sockets.ts';
import { createUser, startSession } from '../../../server/auth/auth.service.ts';
import type { Role } from '../../../server/auth/roles.ts';

/** Resolves with the reason once the server has closed the socket; rejects if it stays open. */
function closedByServer(client: LiveClient, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!client.socket.connected) return reject(new Error('not connected'));
    const timer = setTimeout(() => reject(new Error(`still connected after ${timeoutMs} ms`)), timeoutMs);
    client.socket.once('disconnect', (reason) => (clearTimeout(timer), resolve(reason)));
  });
}

const settle = () => new Promise((r) => setTimeout(r, 300));

describe.each(databaseKinds)('live sockets end with their session on %s', (kind) => {
  let t: TestApp;
  let url: string;
  let users = 0;
  beforeAll(async () => {
    t = await startTestApp(kind);
    url = await t.listen({ channel: `sessions-${randomBytes(4).toString('hex')}` });
  });
  afterAll(() => t.close());

  /** A user of this test, signed in, with a live socket open (hello received). */
  async function signedIn(role: Role = 'driver') {
    const email = `person${++users}@test.local`;
    const user = await createUser(t.db, { email, name: `Person ${users}`, role, password: PASSWORD });
    const { body } = await t.api.post('/api/auth/login').send({ email, password: PASSWORD }).expect(200);
    const client = connect(url, body.token);
    await client.hello;
    return { id: user.id as number, token: body.token as string, client };
  }

  /** Pushes a route update to the user. */
  const pushRoute = (userId: number, reason: string) => t.outbox.transaction((_tx, notify) => notify([userId], 'route:updated', { routeId: 1, reason, status: 'assigned', version: 2 }));

  it('closes the socket on logout, and it receives no further route update; another sign-in of the user stays connected', async () => {
    const { id, token, client } = await signedIn();
    const otherDevice = connect(url, (await t.api.post('/api/auth/login').send({ email: `person${users}@test.local`, password: PASSWORD })).body.token);
    await otherDevice.hello;
    const closed = closedByServer(client);
    await t.api.post('/api/auth/logout').set(bearer(token)).expect(204);
    expect(await closed).toBe('io server disconnect');
    await pushRoute(id, 'after-logout');
    await otherDevice.next((e) => (e.data as { reason?: string }).reason === 'after-logout');
    await settle();
    expect(client.received.filter((e) => e.type === 'route:updated')).toEqual([]);
    expect(otherDevice.socket.connected).toBe(true);
    otherDevice.close();
  });

  it('closes every socket of a user the admin deactivates', async () => {
    const { id, client } = await signedIn();
    const closed = closedByServer(client);
    await t.api.patch(`/api/users/${id}`).set(bearer(t.tokens.admin)).send({ active: false }).expect(200);
    expect(await closed).toBe('io server disconnect');
    await pushRoute(id, 'after-deactivation');
    await settle();
    expect(client.received).toEqual([]);
    // And it cannot come back.
    await expect(connect(url, (await t.api.post('/api/auth/login').send({ email: `person${users}@test.local`, password: PASSWORD })).body.token ?? 'none').hello).rejects.toThrow(/unauthenticated/);
  });

  it('closes the sockets of a community worker whose communities change, and lets the device come back in the new scope', async () => {
    const { id, token, client } = await signedIn('community');
    const closed = closedByServer(client);
    await t.api.patch(`/api/users/${id}`).set(bearer(t.tokens.admin)).send({ communities: ['Fontvieille'] }).expect(200);
    expect(await closed).toBe('io server disconnect');
    const again = connect(url, token);
    await again.hello;
    again.close();
  });

  it('closes the socket when its session expires', async () => {
    const { id } = await signedIn();
    const token = await startSession(t.db, id, 1.5);
    const client = connect(url, token);
    await client.hello;
    expect(await closedByServer(client, 4000)).toBe('io server disconnect');
    await pushRoute(id, 'after-expiry');
    await settle();
    expect(client.received).toEqual([]);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('live sockets end with their session on every node (PostgreSQL adapter)', () => {
  let t: TestApp;
  const channel = `sessions-nodes-${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    t = await startTestApp('postgres');
    await t.listen({ channel });
  });
  afterAll(() => t.close());

  it('closes a socket held by another node on logout and on deactivation', async () => {
    const nodeB = await startSecondNode(t, channel);
    try {
      const { body } = await t.api.post('/api/auth/login').send({ email: 'driver@test.local', password: PASSWORD }).expect(200);
      const onB = connect(nodeB.url, body.token);
      await onB.hello;
      const closed = closedByServer(onB);
      await t.api.post('/api/auth/logout').set(bearer(body.token)).expect(204);
      expect(await closed).toBe('io server disconnect');

      const charity = await createUser(t.db, { email: 'leaving@test.local', name: 'Leaving', role: 'charity', password: PASSWORD });
      const login = await t.api.post('/api/auth/login').send({ email: 'leaving@test.local', password: PASSWORD }).expect(200);
      const alsoOnB = connect(nodeB.url, login.body.token);
      await alsoOnB.hello;
      const deactivated = closedByServer(alsoOnB);
      await t.api.patch(`/api/users/${charity.id}`).set(bearer(t.tokens.admin)).send({ active: false }).expect(200);
      expect(await deactivated).toBe('io server disconnect');
    } finally {
      await nodeB.close();
    }
  });
});
