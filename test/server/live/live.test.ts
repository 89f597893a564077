import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import pg from 'pg';
import { bearer, databaseKinds, databaseUrlOf, freePort, startSecondNode, startTestApp, type TestApp } from '../../support/app.ts';
import { connect } from '../../support/sockets.ts';
import { pruneEvents } from '../../../server/live/outbox.repo.ts';
import { aCommodity, aHousehold, post } from '../../support/records.ts';

describe.each(databaseKinds)('live push on %s', (kind) => {
  let t: TestApp;
  let url: string;
  let rice: number;
  beforeAll(async () => {
    t = await startTestApp(kind);
    url = await t.listen({ channel: `live-${randomBytes(4).toString('hex')}` });
    rice = (await aCommodity(t)).id;
  });
  afterAll(() => t.close());

  it('refuses a socket without a valid token', async () => {
    const client = connect(url, 'forged-token');
    await expect(client.hello).rejects.toThrow(/unauthenticated/);
    client.close();
  });

  it('pushes an event only to its recipient, with a sequence number', async () => {
    const driver = connect(url, t.tokens.driver);
    const charity = connect(url, t.tokens.charity);
    await Promise.all([driver.hello, charity.hello]);
    await t.outbox.transaction((_tx, notify) => notify([t.userIds.driver], 'route:assigned', { routeId: 7, planId: null, version: 1 }));
    const event = await driver.next((e) => e.type === 'route:assigned');
    expect(event).toMatchObject({ type: 'route:assigned', data: { routeId: 7 }, seq: expect.any(Number) });
    await new Promise((r) => setTimeout(r, 200));
    expect(charity.received).toEqual([]);
    driver.close();
    charity.close();
  });

  it('tells every need-sheet user about an edit, and not the drivers', async () => {
    const other = connect(url, t.tokens.community);
    const driver = connect(url, t.tokens.driver);
    await Promise.all([other.hello, driver.hello]);
    const { need } = await post(t, '/api/needs', { household: aHousehold(), commodityId: rice, quantity: 2 }, 'coordinator');
    await t.api.patch(`/api/needs/${need.id}`).set(bearer(t.tokens.coordinator)).send({ quantity: 3, version: need.version }).expect(200);
    const seen = await other.next((e) => e.type === 'need:changed' && (e.data as { change: string }).change === 'updated');
    expect(seen.data).toMatchObject({ needId: need.id, community: 'Monte-Carlo', version: need.version + 1, by: t.userIds.coordinator });
    await new Promise((r) => setTimeout(r, 200));
    expect(driver.received.filter((e) => e.type === 'need:changed')).toEqual([]);
    other.close();
    driver.close();
  });

  it('lets two workers edit one need at once without losing either: the second is told and sees the change', async () => {
    const a = connect(url, t.tokens.community);
    await a.hello;
    const { need } = await post(t, '/api/needs', { household: aHousehold({ address: '40 Rue Grimaldi' }), commodityId: rice, quantity: 2 }, 'community');
    const [first, second] = await Promise.all([
      t.api.patch(`/api/needs/${need.id}`).set(bearer(t.tokens.community)).send({ quantity: 4, version: need.version }),
      t.api.patch(`/api/needs/${need.id}`).set(bearer(t.tokens.coordinator)).send({ urgency: 'critical', version: need.version }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const loser = first.status === 409 ? first : second;
    expect(loser.body.current.version).toBe(need.version + 1);
    await a.next((e) => e.type === 'need:changed' && (e.data as { needId: number; version: number }).needId === need.id && (e.data as { version: number }).version === need.version + 1);
    a.close();
  });

  it('replays what a driver missed while offline, after the last sequence number it saw', async () => {
    const driver = connect(url, t.tokens.driver);
    await driver.hello;
    await t.outbox.transaction((_tx, notify) => notify([t.userIds.driver], 'route:updated', { routeId: 1, reason: 'first', status: 'assigned', version: 1 }));
    const seen = await driver.next((e) => (e.data as { reason?: string }).reason === 'first');
    driver.close();
    for (const reason of ['missed-1', 'missed-2']) {
      await t.outbox.transaction((_tx, notify) => notify([t.userIds.driver], 'route:updated', { routeId: 1, reason, status: 'assigned', version: 1 }));
    }
    const back = connect(url, t.tokens.driver, seen.seq);
    const hello = await back.hello;
    expect(back.received.map((e) => (e.data as { reason: string }).reason)).toEqual(['missed-1', 'missed-2']);
    expect(back.received.map((e) => e.seq)).toEqual([seen.seq + 1, seen.seq + 2]);
    expect(hello).toMatchObject({ lastSeq: seen.seq + 2, replayed: 2 });
    back.close();
  });

  it('stores an event to many once, and sends each of them the same numbered envelope', async () => {
    const driver = connect(url, t.tokens.driver);
    const coordinator = connect(url, t.tokens.coordinator);
    await Promise.all([driver.hello, coordinator.hello]);
    const before = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM live_events');
    await t.outbox.transaction((_tx, notify) => notify([t.userIds.driver, t.userIds.coordinator, t.userIds.driver], 'route:updated', { routeId: 5, reason: 'shared', status: 'assigned', version: 1 }));
    const [a, b] = await Promise.all([driver, coordinator].map((c) => c.next((e) => (e.data as { reason?: string }).reason === 'shared')));
    expect(a).toEqual(b);
    const after = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM live_events');
    expect(after[0]!.n - before[0]!.n).toBe(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(driver.received.filter((e) => (e.data as { reason?: string }).reason === 'shared')).toHaveLength(1);
    driver.close();
    coordinator.close();
  });

  it('numbers concurrent events in commit order, and a client reconnecting mid-stream gets every one, in order', async () => {
    const first = connect(url, t.tokens.driver);
    await first.hello;
    const reasons = Array.from({ length: 40 }, (_, i) => `burst-${i}`);
    const pushes = Promise.all(
      reasons.map((reason, i) =>
        new Promise((r) => setTimeout(r, i * 3)).then(() =>
          t.outbox.transaction(async (tx, notify) => {
            await tx.query('SELECT pg_sleep(0.002)');
            await notify([t.userIds.driver], 'route:updated', { routeId: 6, reason, status: 'assigned', version: 1 });
          }),
        ),
      ),
    );
    await first.next((e) => (e.data as { reason?: string }).reason?.startsWith('burst-') ?? false);
    first.close();
    const second = connect(url, t.tokens.driver, first.lastSeq());
    await pushes;
    const stored = (
      await t.db.query<{ seq: number }>("SELECT seq FROM live_events WHERE data->>'reason' LIKE 'burst-%' ORDER BY seq")
    ).map((r) => r.seq);
    expect(stored).toHaveLength(reasons.length);
    await second.next((e) => e.seq === stored.at(-1));
    const seqs = second.received.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
    const got = new Set([...first.received, ...second.received].map((e) => e.seq));
    expect(stored.filter((seq) => !got.has(seq))).toEqual([]);
    second.close();
  });

  it('drops old events only once every recipient has acknowledged them', async () => {
    const driver = connect(url, t.tokens.driver);
    await driver.hello;
    for (const reason of ['old-acked', 'old-unacked', 'recent']) {
      await t.outbox.transaction((_tx, notify) => notify(reason === 'old-unacked' ? [t.userIds.driver, t.userIds.charity] : [t.userIds.driver], 'route:updated', { routeId: 4, reason, status: 'assigned', version: 1 }));
    }
    const recent = await driver.next((e) => (e.data as { reason?: string }).reason === 'recent');
    await expect.poll(async () => (await t.db.query<{ acked_seq: number }>('SELECT acked_seq FROM live_recipients WHERE user_id = $1', [t.userIds.driver]))[0]?.acked_seq, { timeout: 3000 }).toBe(recent.seq);
    await t.db.query(`UPDATE live_events SET created_at = now() - interval '10 days' WHERE data->>'reason' LIKE 'old-%'`);
    expect(await pruneEvents(t.db, 7)).toBe(1);
    const left = await t.db.query<{ reason: string }>(`SELECT data->>'reason' AS reason FROM live_events WHERE data->>'reason' IN ('old-acked', 'old-unacked', 'recent') ORDER BY seq`);
    expect(left.map((r) => r.reason)).toEqual(['old-unacked', 'recent']);
    driver.close();
    // A device resuming from before the pruned event is told to reload; one resuming after it is not.
    const pruned = driver.received.find((e) => (e.data as { reason?: string }).reason === 'old-acked')!;
    const stale = connect(url, t.tokens.driver, pruned.seq - 1);
    const current = connect(url, t.tokens.driver, recent.seq);
    expect(await stale.hello).toMatchObject({ resync: true });
    expect(await current.hello).toMatchObject({ resync: false, replayed: 0 });
    expect(stale.received.map((e) => (e.data as { reason?: string }).reason)).toEqual(['old-unacked', 'recent']);
    stale.close();
    current.close();
  });

  it('replays missed events after a server restart', async () => {
    const driver = connect(url, t.tokens.driver);
    const hello = await driver.hello;
    driver.close();
    await t.outbox.transaction((_tx, notify) => notify([t.userIds.driver], 'route:updated', { routeId: 2, reason: 'before-crash', status: 'assigned', version: 1 }));
    url = await t.restart();
    const back = connect(url, t.tokens.driver, hello.lastSeq);
    await back.hello;
    expect(back.received.map((e) => (e.data as { reason: string }).reason)).toEqual(['before-crash']);
    back.close();
  });

  it('records what a client acknowledged', async () => {
    const driver = connect(url, t.tokens.driver);
    await driver.hello;
    await t.outbox.transaction((_tx, notify) => notify([t.userIds.driver], 'route:updated', { routeId: 3, reason: 'ack-me', status: 'assigned', version: 1 }));
    const event = await driver.next((e) => (e.data as { reason?: string }).reason === 'ack-me');
    await expect.poll(async () => (await t.db.query<{ acked_seq: number }>('SELECT acked_seq FROM live_recipients WHERE user_id = $1', [t.userIds.driver]))[0]!.acked_seq, { timeout: 3000 }).toBe(event.seq);
    driver.close();
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('live push across two server nodes (PostgreSQL adapter)', () => {
  let t: TestApp;
  const channel = `nodes-${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    t = await startTestApp('postgres');
    await t.listen({ channel });
  });
  afterAll(() => t.close());

  it('delivers an event raised on one node to a driver connected to the other', async () => {
    const nodeB = await startSecondNode(t, channel);
    const driver = connect(nodeB.url, t.tokens.driver);
    await driver.hello;
    await t.outbox.transaction((_tx, notify) => notify([t.userIds.driver], 'route:assigned', { routeId: 99, planId: null, version: 1 }));
    const event = await driver.next((e) => e.type === 'route:assigned');
    expect(event.data).toMatchObject({ routeId: 99 });
    driver.close();
    await nodeB.close();
  });

  it('keeps the order when events are raised on both nodes for a driver on one of them', async () => {
    const nodeB = await startSecondNode(t, channel);
    const driver = connect(nodeB.url, t.tokens.driver);
    await driver.hello;
    const outboxes = [t.outbox, nodeB.outbox];
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        outboxes[i % 2]!.transaction((_tx, notify) => notify([t.userIds.driver], 'route:updated', { routeId: 8, reason: `both-${i}`, status: 'assigned', version: 1 })),
      ),
    );
    const stored = (
      await t.db.query<{ seq: number }>("SELECT seq FROM live_events WHERE data->>'reason' LIKE 'both-%' ORDER BY seq")
    ).map((r) => r.seq);
    await driver.next((e) => e.seq === stored.at(-1));
    expect(driver.received.map((e) => e.seq).filter((seq) => stored.includes(seq))).toEqual(stored);
    driver.close();
    await nodeB.close();
  });

  it('catches up after losing its event stream connection', async () => {
    const nodeB = await startSecondNode(t, channel);
    const driver = connect(nodeB.url, t.tokens.driver);
    await driver.hello;
    // Both nodes listen on the channel: cut every such connection, as a database failover would.
    const cut = await t.db.query<{ ok: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE query = $1 AND datname = current_database()`,
      [`LISTEN "${channel}#events"`],
    );
    expect(cut.length).toBeGreaterThanOrEqual(2);
    await t.outbox.transaction((_tx, notify) => notify([t.userIds.driver], 'route:updated', { routeId: 9, reason: 'while-cut', status: 'assigned', version: 1 }));
    const event = await driver.next((e) => (e.data as { reason?: string }).reason === 'while-cut', 8000);
    expect(event.seq).toBeGreaterThan(0);
    driver.close();
    await nodeB.close();
  });

  it('ends the event stream connection of a node that closes, rather than pooling it still listening', async () => {
    // Counted from a connection of its own: a query through the pool could reuse the very connection counted.
    const observer = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await observer.connect();
    const listening = async () =>
      (await observer.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = $1 AND datname = current_database()`, [`LISTEN "${channel}#events"`])).rows[0]!.n;
    try {
      const before = await listening();
      const nodeB = await startSecondNode(t, channel);
      expect(await listening()).toBe(before + 1);
      await nodeB.close();
      await expect.poll(listening, { timeout: 3000 }).toBe(before);
    } finally {
      await observer.end();
    }
  });

  it('delivers across two server processes: an event raised here reaches a driver connected to a separate `npm start`', async () => {
    const port = await freePort();
    const other = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, DATABASE_URL: databaseUrlOf(t), PORT: String(port), HOST: '127.0.0.1', LIFELINE_SEED_DEMO: 'false', LIFELINE_LIVE_CHANNEL: channel },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        other.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('is running at') && resolve());
        other.once('exit', (code) => reject(new Error(`the second server exited with ${code}`)));
      });
      const driver = connect(`http://127.0.0.1:${port}`, t.tokens.driver);
      await driver.hello;
      await t.outbox.transaction((_tx, notify) => notify([t.userIds.driver], 'route:assigned', { routeId: 123, planId: null, version: 1 }));
      const event = await driver.next((e) => e.type === 'route:assigned' && (e.data as { routeId: number }).routeId === 123);
      expect(event.seq).toBeGreaterThan(0);
      driver.close();
    } finally {
      other.kill('SIGTERM');
    }
  });
});
