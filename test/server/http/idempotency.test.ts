import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Request } from 'express';
import { bearer, databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';
import { CLAIM_LEASE_S, replayOrRecord } from '../../../server/http/idempotency.ts';
import { claimOrFindMany } from '../../../server/http/idempotency.repo.ts';

const depot = (name: string) => ({ name, address: '1 Rue A', lat: 43.73, lon: 7.42, capacityWeightKg: 2000, capacityVolumeM3: 12 });

/**
 * A server that stopped part-way through an idempotent request is played by rewriting its claim as the
 * stop would have left it: the request's writes are real, and so is the mark its transaction made.
 */
describe.each(databaseKinds)('idempotent requests interrupted by a server stop, on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  const create = (key: string, name: string) => t.api.post('/api/warehouses').set(bearer(t.tokens.coordinator)).set('Idempotency-Key', key).send(depot(name));
  const named = async (name: string) => Number((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM warehouses WHERE name = $1', [name]))[0]!.n);
  const claimOf = async (key: string) => (await t.db.query<{ applied: boolean; status: number | null }>('SELECT applied, status FROM idempotent_replies WHERE key = $1', [key]))[0]!;
  /** The answer lost, as if the server stopped after the request's commit; `agoS` seconds since the claim. */
  const loseAnswer = (key: string, agoS: number) =>
    t.db.query(`UPDATE idempotent_replies SET status = NULL, body = NULL, claimed_at = now() - make_interval(secs => $2) WHERE key = $1`, [key, agoS]);

  it('marks a claim applied in the transaction of the request it answers', async () => {
    await create('mark-1', 'Marked').expect(201);
    expect(await claimOf('mark-1')).toEqual({ applied: true, status: 201 });
  });

  it('tells a retry that the request was carried out when its answer was lost, and writes nothing again', async () => {
    await create('lost-1', 'Lost answer').expect(201);
    await loseAnswer('lost-1', CLAIM_LEASE_S + 5);
    const retry = await create('lost-1', 'Lost answer').expect(409);
    expect(retry.type).toBe('application/problem+json');
    expect(retry.body).toMatchObject({ carriedOut: true });
    expect(await named('Lost answer')).toBe(1);
  });

  it('runs the request for a retry when the stopped attempt never took effect, once the claim has lapsed', async () => {
    await create('never-1', 'Never written').expect(201);
    // As if the server had stopped before the transaction committed: no warehouse, no mark.
    await t.db.query(`DELETE FROM warehouses WHERE name = 'Never written'`);
    await t.db.query('UPDATE idempotent_replies SET applied = false WHERE key = $1', ['never-1']);
    await loseAnswer('never-1', CLAIM_LEASE_S + 5);
    const retry = await create('never-1', 'Never written').expect(201);
    expect(await named('Never written')).toBe(1);
    expect((await create('never-1', 'Never written').expect(201)).body.id).toBe(retry.body.id);
  });

  it('asks a retry to wait while the claim is recent, and leaves it to the attempt', async () => {
    await create('busy-1', 'Busy').expect(201);
    await t.db.query(`DELETE FROM warehouses WHERE name = 'Busy'`);
    await t.db.query('UPDATE idempotent_replies SET applied = false WHERE key = $1', ['busy-1']);
    await loseAnswer('busy-1', 1);
    const retry = await create('busy-1', 'Busy').expect(409);
    expect(retry.body).toMatchObject({ inProgress: true });
    expect(await named('Busy')).toBe(0);
  });

  it('claims many keys in one statement: a key given twice is claimed once, an answered one found with its reply', async () => {
    await create('many-answered', 'Many answered').expect(201);
    const user = t.userIds.coordinator;
    const found = await claimOrFindMany(t.db, [
      { userId: user, key: 'many-new', hash: 'h1' },
      { userId: user, key: 'many-new', hash: 'h1' },
      { userId: user, key: 'many-answered', hash: 'h2' },
    ]);
    expect(found[0]!.attempt).toMatch(/^[0-9a-f-]{36}$/);
    expect(found[1]).toEqual({});
    expect(found[2]!.stored).toMatchObject({ status: 201, applied: true });
  });

  it('rolls back an attempt whose claim a retry took over meanwhile', async () => {
    const req = { method: 'POST', originalUrl: '/api/warehouses', body: { name: 'Taken over' } } as Request;
    const attempt = replayOrRecord(t.db, t.userIds.coordinator, 'taken-1', req, async () => {
      // A retry takes the claim over while this attempt is still working...
      await t.db.query(`UPDATE idempotent_replies SET attempt = gen_random_uuid() WHERE key = 'taken-1'`);
      // ...so this attempt's write cannot commit.
      await t.db.transaction((tx) => tx.query(`INSERT INTO warehouses (name, address, lat, lon, capacity_weight_kg, capacity_volume_m3) VALUES ('Taken over', 'x', 43.73, 7.42, 100, 1)`));
      return { status: 201, body: {} };
    });
    await expect(attempt).rejects.toMatchObject({ status: 409 });
    expect(await named('Taken over')).toBe(0);
  });
});
