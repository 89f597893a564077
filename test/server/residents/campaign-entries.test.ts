import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { bearer, databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';
import { aCommodity, aHousehold, post } from '../../support/records.ts';
import type { ResidentView } from '../../../server/residents/residents.schema.ts';

const hour = 3600_000;
const at = (ms: number) => new Date(Date.now() + ms).toISOString();

describe.each(databaseKinds)("the resident page's campaign entries (%s)", (kind) => {
  let t: TestApp;
  let url: string;
  let masks: { id: number };
  /** Three households' codes; the first an infant's (need tier 1: drawn first). */
  const codes: string[] = [];
  const sockets: Socket[] = [];
  const page = async (code: string, lang = 'en') => (await t.api.get(`/api/resident/${code}?lang=${lang}`).expect(200)).body as ResidentView;
  const open = (code: string) =>
    new Promise<Socket>((resolve, reject) => {
      const socket = io(`${url}/resident`, { auth: { code }, transports: ['websocket'], reconnection: false, forceNew: true });
      sockets.push(socket);
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });

  beforeAll(async () => {
    t = await startTestApp(kind);
    url = await t.listen();
    masks = await aCommodity(t, { code: 'FFP2', name: 'FFP2 masks', unit: 'box' });
    for (const [i, extra] of [{ infant: true }, {}, {}].entries()) {
      const need = await post(t, '/api/needs', { household: aHousehold({ name: `H${i}`, address: `${i + 1} Rue Grimaldi`, phone: `+377 93 00 00 0${i}`, ...extra }), commodityId: masks.id, quantity: 1 });
      await t.db.query(`UPDATE needs SET status = 'cancelled' WHERE id = $1`, [need.need.id]);
      codes.push((await post(t, `/api/households/${need.household.id}/access`, {})).code);
    }
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t.close();
  });

  it('lists each entry with its receipt, then after the draw whether it won or its place on the waiting list, in en and zh, live', async () => {
    expect((await page(codes[0]!)).campaigns).toEqual([]);
    const { id } = (await t.api.post('/api/campaigns').set(bearer(t.tokens.coordinator)).send({ commodityId: masks.id, quantity: 1, opensAt: at(-hour), closesAt: at(hour), perHouseholdCap: 1 }).expect(201)).body;
    const receipts = [];
    for (const code of codes) receipts.push((await t.api.post(`/api/campaigns/${id}/requests`).send({ code, quantity: 1 }).expect(201)).body.receipt);

    const entered = (await page(codes[1]!)).campaigns;
    expect(entered).toEqual([
      expect.objectContaining({ campaignId: id, commodity: 'FFP2 masks', unit: 'box', quantity: 1, receipt: receipts[1], status: 'entered', waitingPlace: null }),
    ]);
    expect(entered[0]!.statusText).toMatch(/draw is made when the campaign closes/);
    expect((await page(codes[1]!, 'zh')).campaigns[0]!.statusText).toMatch(/抽签/);

    // Every entrant's open page hears the draw.
    const pages = await Promise.all(codes.map(open));
    const heard = pages.map((socket) => new Promise((resolve) => socket.once('resident:changed', resolve)));
    await t.api.post(`/api/campaigns/${id}/close`).set(bearer(t.tokens.coordinator)).expect(200);
    await Promise.race([Promise.all(heard), new Promise((_, reject) => setTimeout(() => reject(new Error("no page heard the draw")), 5000))]);

    const winner = (await page(codes[0]!)).campaigns[0]!;
    expect(winner).toMatchObject({ status: 'won', given: 1, receipt: receipts[0] });
    expect(winner.statusText).toMatch(/Drawn: 1 × box/);
    const waiting = await Promise.all([page(codes[1]!), page(codes[2]!)]);
    expect(waiting.map((v) => v.campaigns[0]!.waitingPlace).sort()).toEqual([1, 2]);
    const first = waiting.find((v) => v.campaigns[0]!.waitingPlace === 1)!.campaigns[0]!;
    expect(first.status).toBe('waiting');
    expect(first.statusText).toMatch(/Not drawn this time\. You are number 1 on the waiting list/);
    const second = [1, 2].find((i) => waiting[i - 1]!.campaigns[0]!.waitingPlace === 2)!;
    const zh = (await page(codes[second]!, 'zh')).campaigns[0]!;
    expect(zh.statusText).toMatch(/候补名单上排第 2 位/);
  });
});
