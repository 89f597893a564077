import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { Response } from 'express';
import { bearer, databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';
import { aCommodity, aHousehold, post } from '../../support/records.ts';
import { CodeThrottle } from '../../../server/residents/code-throttle.ts';
import { TooManyAttemptsError } from '../../../server/auth/login-throttle.ts';

describe.each(databaseKinds)('the resident page, live (%s)', (kind) => {
  let t: TestApp;
  let url: string;
  let rice: { id: number };
  let householdId: number;
  let code: string;
  const sockets: Socket[] = [];

  /** A page's socket: resolves once connected, or rejects with the refusal. */
  const open = (withCode: string) =>
    new Promise<Socket>((resolve, reject) => {
      const socket = io(`${url}/resident`, { auth: { code: withCode }, transports: ['websocket'], reconnection: false, forceNew: true });
      sockets.push(socket);
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  const changed = (socket: Socket) => new Promise<unknown>((resolve) => socket.once('resident:changed', resolve));

  beforeAll(async () => {
    t = await startTestApp(kind);
    url = await t.listen();
    rice = await aCommodity(t, { residentOpen: true });
    const need = await post(t, '/api/needs', { household: aHousehold(), commodityId: rice.id, quantity: 1 });
    householdId = need.household.id;
    code = (await post(t, `/api/households/${householdId}/access`, {})).code;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t.close();
  });

  it("tells an open page when its household's request changes, and nothing to a page of another household", async () => {
    const other = await post(t, '/api/needs', { household: aHousehold({ name: 'Bianchi', address: '3 Rue Grimaldi', phone: '+377 93 00 00 01' }), commodityId: rice.id, quantity: 1 });
    const otherCode = (await post(t, `/api/households/${other.household.id}/access`, {})).code;
    const [page, otherPage] = await Promise.all([open(code), open(otherCode)]);
    let otherHeard = 0;
    otherPage.on('resident:changed', () => otherHeard++);
    const heard = changed(page);
    const asked = await t.api.post(`/api/resident/${code}/requests`).send({ commodityId: rice.id, quantity: 3 });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect(await heard).toMatchObject({ type: 'resident:changed', data: { room: expect.stringMatching(/^resident:[0-9a-f]{64}$/) } });
    const [need] = await t.db.query<{ id: number }>('SELECT id FROM needs WHERE household_id = $1', [householdId]);
    const confirmed = changed(page);
    await t.api.post(`/api/community-queue/requests/${need!.id}`).set(bearer(t.tokens.community)).send({ decision: 'confirm' }).expect(200);
    await confirmed;
    expect(otherHeard).toBe(0);
  });

  it('refuses a socket with a wrong code, and closes the page the moment its code is revoked or reissued', async () => {
    await expect(open('ABCDEFGHJKMNPQRS')).rejects.toThrow(/not-found/);
    const page = await open(code);
    const closed = new Promise<string>((resolve) => page.once('disconnect', resolve));
    await t.api.delete(`/api/households/${householdId}/access`).set(bearer(t.tokens.coordinator)).expect(204);
    expect(await closed).toBe('io server disconnect');
    await expect(open(code)).rejects.toThrow(/not-found/);

    const second = (await post(t, `/api/households/${householdId}/access`, {})).code;
    const again = await open(second);
    const gone = new Promise<string>((resolve) => again.once('disconnect', resolve));
    await post(t, `/api/households/${householdId}/access`, {});
    expect(await gone).toBe('io server disconnect');
  });

  it('limits how often one right code is used, not only wrong codes per address', async () => {
    const throttle = new CodeThrottle(t.db, 'test-code', { perAddress: 20, perCode: 3, windowS: 60 });
    const res = { set: () => res } as unknown as Response;
    const right = async () => ({ key: 'hash-of-a-right-code', found: householdId });
    for (let i = 0; i < 3; i++) expect(await throttle.attempt(`10.0.0.${i}`, res, 'en', right)).toBe(householdId);
    await expect(throttle.attempt('10.0.0.9', res, 'zh', right)).rejects.toBeInstanceOf(TooManyAttemptsError);
    // Another code is not held back by that one.
    expect(await throttle.attempt('10.0.0.9', res, 'en', async () => ({ key: 'another', found: 1 }))).toBe(1);
  });
});
