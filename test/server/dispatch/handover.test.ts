import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';
import { post } from '../../support/records.ts';
import { twoWarehouses, type TwoWarehouses } from '../../support/warehouses.ts';
import { gateScene, type GateScene } from '../../support/gates.ts';
import { binary, pdfPages, pdfText } from '../../support/pdf.ts';

const HOSTILE_NAME = '<img src=x onerror=alert(1)> household';
const TOKEN = 'X-Handover-Token';

describe.each(databaseKinds)('handover sheets on %s', (kind) => {
  let t: TestApp;
  let s: TwoWarehouses;
  let g: GateScene;
  /** The walking route's stops: A recorded by its code, B by the volunteer's app, C failed by its code. */
  let [a, b, c] = [0, 0, 0];
  const coordinator = () => bearer(t.tokens.coordinator);
  const sheet = (body: object = {}) => t.api.post(`/api/routes/${g.walk.id}/handover-sheet`).set(coordinator()).send({ format: 'json', ...body });
  const codes = async () => {
    const links = (await sheet().expect(200)).body;
    return new Map<number, string>(links.stops.filter((x: { url: string | null }) => x.url).map((x: { stopId: number; url: string }) => [x.stopId, x.url.split('/s/')[1]!]));
  };
  const read = (code: string | undefined) => (code === undefined ? t.api.get('/api/handover') : t.api.get('/api/handover').set(TOKEN, code));
  const record = (code: string, body: object) => t.api.post('/api/handover/status').set(TOKEN, code).send(body);
  const deviceTime = new Date(Date.now() - 600_000).toISOString();
  const proof = { receiverName: 'Mme Moreau', handedTo: 'neighbour', deviceTime };
  const stopRow = async (id: number) => (await t.db.query<Record<string, unknown>>('SELECT status, reason, note FROM stops WHERE id = $1', [id]))[0];

  beforeAll(async () => {
    t = await startTestApp(kind);
    s = await twoWarehouses(t);
    g = await gateScene(t, s, [HOSTILE_NAME, 'Moreau household', 'Lambert household']);
    [a, b, c] = g.walk.stops.map((x) => x.id) as [number, number, number];
    // The van brings the goods to the gate.
    const driver = bearer(g.driver.token);
    await t.api.post(`/api/routes/${g.vehicle.id}/pickup`).set(driver).expect(200);
    const gate = g.vehicle.stops.find((x) => x.kind === 'gate')!;
    await t.api.post(`/api/stops/${gate.id}/status`).set(driver).send({ status: 'delivered' }).expect(200);
  }, 180_000);
  afterAll(() => t.close());

  it('prints a sheet per gate and per building leader in zh and en, and handing it over starts the walk', async () => {
    expect((await t.api.get(`/api/routes/${g.walk.id}`).set(coordinator())).body.status).toBe('assigned');
    for (const [path, body] of [[`/api/gates/${g.gateId}/handover-sheet`, { planId: g.planId }], [`/api/routes/${g.walk.id}/handover-sheet`, {}]] as const) {
      for (const lang of ['en', 'zh']) {
        const res = await t.api.post(path).set(coordinator()).send({ ...body, lang }).buffer(true).parse(binary);
        expect(res.status).toBe(200);
        expect(res.type).toBe('application/pdf');
        expect(pdfPages(res.body)).toBe(1);
        const text = pdfText(res.body);
        if (text === undefined) continue;
        expect(text).toContain(lang === 'zh' ? '交接单' : 'Handover sheet');
        expect(text).toContain(HOSTILE_NAME);
        expect(text).toContain('Eggs × 1 (box of 12)');
      }
    }
    expect((await t.api.get(`/api/routes/${g.walk.id}`).set(coordinator())).body.status).toBe('accepted');
    await t.api.post(`/api/routes/${g.walk.id}/handover-sheet`).set(bearer(t.tokens.community)).send({}).expect(403);
    await t.api.post(`/api/routes/${g.walk.id}/handover-sheet`).set(bearer(g.volunteer.token)).send({}).expect(403);
    await t.api.post(`/api/routes/${g.walk.id}/handover-sheet`).set(bearer(s.coordinators.monteCarlo.token)).send({}).expect(404);
    await t.api.post(`/api/routes/${g.vehicle.id}/handover-sheet`).set(coordinator()).send({}).expect(409);
    await t.api.post(`/api/gates/${g.gateId}/handover-sheet`).set(coordinator()).send({ planId: g.planId + 100 }).expect(404);
  });

  it('opens only its own stop, with whom and what, and no other record', async () => {
    const code = await codes();
    expect([...code.keys()]).toEqual([a, b, c]);
    const stop = (await read(code.get(a)).expect(200)).body;
    expect(stop).toEqual({
      stopId: a,
      seq: 1,
      trip: 1,
      status: 'pending',
      reason: null,
      gate: 'Porte Neuve gate',
      recipient: { name: g.walk.stops[0]!.recipient!.name, address: g.walk.stops[0]!.recipient!.address },
      items: [{ commodity: 'Eggs', unit: 'box of 12', quantity: 1 }],
      proof: null,
      expiresAt: expect.any(String),
    });
    expect(JSON.stringify(stop)).not.toMatch(/phone|\+377|elderly|lat/);
    expect((await read(code.get(c)).expect(200)).body.stopId).toBe(c);
    for (const wrong of [undefined, 'x'.repeat(22), code.get(a)!.slice(1), `${code.get(a)}'--`, "' OR 1=1 --"]) {
      const res = await read(wrong).expect(404);
      expect(res.body.code).toBe('not-found');
    }
  });

  it('records the outcome as the driver app does: the same stop, proof, ledger and resident page', async () => {
    const code = await codes();
    await record(code.get(a)!, { status: 'delivered' }).expect(400); // a delivery names who took it
    await record(code.get(a)!, { status: 'delivered', proof, stopId: b }).expect(400);
    const byCode = (await record(code.get(a)!, { status: 'delivered', proof }).expect(200)).body;
    expect(byCode).toMatchObject({ stopId: a, status: 'delivered', proof: { handedTo: 'neighbour', receiverName: 'Mme Moreau', deviceTime } });
    await t.api.post(`/api/stops/${b}/status`).set(bearer(g.volunteer.token)).send({ status: 'delivered', proof }).expect(200);
    // Only its own stop changed; the others wait.
    expect(await stopRow(c)).toMatchObject({ status: 'pending' });

    expect(await stopRow(a)).toEqual(await stopRow(b));
    const proofs = await t.db.query<Record<string, unknown>>('SELECT stop_id, handed_to, receiver_name, device_time, photo, signature, recorded_by FROM stop_proofs WHERE stop_id = ANY($1) ORDER BY stop_id', [[a, b]]);
    const strip = ({ stop_id: _s, recorded_by: _r, ...rest }: Record<string, unknown>) => rest;
    expect(strip(proofs[0]!)).toEqual(strip(proofs[1]!));
    expect(proofs[0]!.recorded_by).toBe(t.userIds.coordinator); // on behalf of the coordinator who printed the sheet
    const ledger = async (stopId: number) => t.db.query('SELECT kind, quantity, lot_id FROM stock_movements WHERE stop_id = $1 ORDER BY id', [stopId]);
    expect(await ledger(a)).toEqual(await ledger(b));
    expect(await ledger(a)).toEqual([expect.objectContaining({ kind: 'delivered', quantity: 1 })]);
    const needs = await t.db.query<{ status: string; fulfilled: number }>('SELECT status, fulfilled FROM needs WHERE id = ANY($1) ORDER BY id', [g.walk.stops.slice(0, 2).map((x) => x.items[0]!.needId)]);
    expect(needs).toEqual([{ status: 'fulfilled', fulfilled: 1 }, { status: 'fulfilled', fulfilled: 1 }]);
    for (const household of g.walk.stops.slice(0, 2).map((x) => x.householdId!)) {
      const { code: access } = await post(t, `/api/households/${household}/access`, {}, 'community');
      const page = (await t.api.get(`/api/resident/${access}`).query({ lang: 'en' }).expect(200)).body;
      expect(page.requests[0].statusText).toMatch(/^Delivered at .+ to your neighbour Mme Moreau\.$/);
    }
    // Used up: a second outcome for the stop is refused, as for the app; the page still shows what was recorded.
    expect((await record(code.get(a)!, { status: 'failed', reason: 'nobody_home' }).expect(409)).body.status).toBe('delivered');
    expect((await read(code.get(a)).expect(200)).body).toMatchObject({ status: 'delivered', proof: { receiverName: 'Mme Moreau' } });
  });

  it('stops working when the sheet is printed again, when it expires, and when its route ends', async () => {
    const first = await codes();
    const second = await codes();
    await read(first.get(c)).expect(404);
    await record(first.get(c)!, { status: 'failed', reason: 'nobody_home' }).expect(404);
    await read(second.get(c)).expect(200);
    // Two days later the printed codes are dead.
    await t.db.query(`UPDATE handover_tokens SET expires_at = now() - interval '1 minute' WHERE stop_id = $1 AND revoked_at IS NULL`, [c]);
    await read(second.get(c)).expect(404);
    await record(second.get(c)!, { status: 'failed', reason: 'nobody_home' }).expect(404);
    expect(await stopRow(c)).toMatchObject({ status: 'pending' });

    const third = await codes();
    const note = "'; DROP TABLE stops; -- <script>alert(1)</script>";
    const failed = (await record(third.get(c)!, { status: 'failed', reason: 'nobody_home', note }).expect(200)).body;
    expect(failed).toMatchObject({ stopId: c, status: 'failed', reason: 'nobody_home' });
    expect(await stopRow(c)).toEqual({ status: 'failed', reason: 'nobody_home', note });
    expect(await t.db.query('SELECT kind, quantity FROM stock_movements WHERE stop_id = $1', [c])).toEqual([{ kind: 'returned', quantity: 1 }]);
    // Every door is done: the route has ended, and so have its codes.
    expect((await t.api.get(`/api/routes/${g.walk.id}`).set(coordinator())).body.status).toBe('completed');
    await read(third.get(c)).expect(404);
    await sheet().expect(409);
  });

  it('throttles wrong codes per address as residents\' codes are (429 with Retry-After, for reading and recording alike), and a used or dead code is refused with words that say so', async () => {
    // Every code of this route is dead now (its route ended): refused clearly, not as a server fault.
    const dead = await read('y'.repeat(22)).expect(404);
    expect(dead.body.detail).toMatch(/does not work \(any more\).*more than two days old/);
    let refused: Awaited<ReturnType<typeof read>> | undefined;
    for (let i = 0; i < 25 && !refused; i++) {
      const res = await read(`${'Z'.repeat(20)}${String(i).padStart(2, '0')}`);
      if (res.status === 429) refused = res;
      else expect(res.status).toBe(404);
    }
    expect(refused).toBeDefined();
    expect(refused!.body.code).toBeDefined();
    expect(Number(refused!.headers['retry-after'])).toBeGreaterThan(0);
    const recording = await record('Q'.repeat(22), { status: 'failed', reason: 'nobody_home' }).set('Accept-Language', 'zh').expect(429);
    expect(Number(recording.headers['retry-after'])).toBeGreaterThan(0);
    expect(recording.body.detail).toMatch(/秒后再试/);
  });

  it('audits each outcome with no user, and never writes a code anywhere', async () => {
    const rows = (await t.api.get('/api/audit').set(bearer(t.tokens.admin)).query({ path: '/api/handover/status', limit: 500 }).expect(200)).body.items;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatchObject({ userId: null, role: null, method: 'POST', path: '/api/handover/status' });
    const tokens = (await t.api.get('/api/audit').set(bearer(t.tokens.admin)).query({ record: 'handover_tokens', limit: 500 }).expect(200)).body.items;
    expect(tokens.filter((r: { action: string }) => r.action === 'insert').every((r: { after: { tokenHash: string } }) => r.after.tokenHash === '[secret]')).toBe(true);
    const all = JSON.stringify((await t.api.get('/api/audit').set(bearer(t.tokens.admin)).query({ limit: 500 }).expect(200)).body);
    const stored = await t.db.query<{ token_hash: string }>('SELECT token_hash FROM handover_tokens');
    for (const { token_hash } of stored) expect(all).not.toContain(token_hash);
  });
});
