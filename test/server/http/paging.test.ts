import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, databaseKinds, openTestDatabase, startTestApp, type TestApp } from '../../support/app.ts';
import { post } from '../../support/records.ts';
import { registry } from '../../../server/http/endpoint.ts';
import { MAX_LIMIT } from '../../../server/http/paging.ts';
import { seedIfEmpty } from '../../../seeds/load.ts';

type Role = keyof TestApp['tokens'];
type Row = Record<string, unknown>;

/**
 * Every GET endpoint is either a list, paged by paging.ts (a case below, walked page by page), or answers one
 * thing (a reason below). A new GET endpoint fails the first test until it is one or the other.
 */
const lists: Record<string, { role: Role; min: number; id: (row: Row) => unknown; fill?: (t: TestApp) => Promise<void> }> = {
  '/users': { role: 'admin', min: 3, id: (r) => r.id },
  '/warehouses': { role: 'coordinator', min: 3, id: (r) => r.id },
  '/commodities': { role: 'coordinator', min: 3, id: (r) => r.id },
  '/drivers': { role: 'coordinator', min: 3, id: (r) => r.id },
  '/needs': { role: 'coordinator', min: 3, id: (r) => r.id },
  '/needs/communities': { role: 'coordinator', min: 2, id: (r) => r.name },
  '/zones': { role: 'coordinator', min: 2, id: (r) => r.id },
  '/communities': { role: 'coordinator', min: 2, id: (r) => r },
  '/stock/movements': { role: 'coordinator', min: 3, id: (r) => r.id },
  '/audit': { role: 'admin', min: 3, id: (r) => r.id },
  '/donations': {
    role: 'coordinator',
    min: 3,
    id: (r) => r.id,
    fill: async (t) => {
      for (const donorName of ['Ana', 'Ben', 'Cleo']) await post(t, '/api/donations', { warehouseId: 1, donorName, items: [{ commodityId: 1, quantity: 5 }] }, 'charity');
    },
  },
  '/campaigns': {
    role: 'coordinator',
    min: 3,
    id: (r) => r.id,
    fill: async (t) => {
      const opensAt = new Date(Date.now() + 3_600_000).toISOString();
      const closesAt = new Date(Date.now() + 7_200_000).toISOString();
      for (let i = 0; i < 3; i++) await post(t, '/api/campaigns', { commodityId: 1, quantity: 10, opensAt, closesAt, perHouseholdCap: 1 });
    },
  },
  '/plans': {
    role: 'coordinator',
    min: 2,
    id: (r) => r.id,
    fill: async (t) => {
      for (let i = 0; i < 2; i++) await post(t, '/api/plans', { commodityIds: [1] });
    },
  },
  '/recalls': {
    role: 'coordinator',
    min: 2,
    id: (r) => (r.lot as Row).id,
    fill: async (t) => {
      for (const lot of [1, 2]) await post(t, `/api/lots/${lot}/recall`, { reason: 'damp' });
    },
  },
  '/network/closures': {
    role: 'coordinator',
    min: 2,
    id: (r) => r.id,
    fill: async (t) => {
      for (const reason of ['checkpoint', 'works']) await post(t, '/api/network/closures', { lat: 43.7385, lon: 7.4245, reason });
    },
  },
  '/packs': {
    role: 'coordinator',
    min: 2,
    id: (r) => r.id,
    fill: async (t) => {
      for (const code of ['KIT-A', 'KIT-B']) await post(t, '/api/packs', { code, name: code, category: 'food', components: [{ commodityId: 1, quantity: 2 }] });
    },
  },
  // Filled only by a dispatch or a held report: walked when they hold rows, checked for bad input always.
  '/routes': { role: 'coordinator', min: 0, id: (r) => r.id },
  '/household-reviews': { role: 'coordinator', min: 0, id: (r) => r.id },
};

const notLists: Record<string, string> = {
  '/health': 'one status',
  '/openapi.json': 'one document',
  '/auth/me': 'the signed-in user',
  '/packs/:id': 'one pack',
  '/packs/:id/lots': "one pack's lots, in the warehouses the user may see (a pack lot is made per assembly, a handful a day)",
  '/jobs/:id': 'one job',
  '/reports/deliveries': 'one report',
  '/handover': "the one stop a sheet's code is for",
  '/needs/:id': 'one record',
  '/households/:id': 'one record',
  '/warehouses/:id': 'one record',
  '/commodities/:id': 'one record',
  '/drivers/:id': 'one record',
  '/zones/:id': 'one record',
  '/donations/:id': 'one record',
  '/routes/:id': 'one record',
  '/campaigns/:id': 'one record',
  '/registrations/:reference': 'one record',
  '/plans/:id': 'one plan: its summary, and its allocations paged by ?limit&offset',
  '/track/:trackingCode': "one donation's journey",
  '/households/:id/history': "one household's field changes",
  '/households/:id/deliveries': "one household's deliveries",
  '/zones/:id/history': "one zone's daily statuses",
  '/warehouses/:id/stock': "one warehouse's stock by commodity",
  '/me/route': "one driver's routes under way",
  '/community-queue': "the counts and the waiting items of one worker's communities",
  '/resident/:code': "one household's page",
  '/resident/:code/catalogue': 'the items open to residents: a few of the catalogue',
  '/campaigns/:id/entries/:code': "one household's entry",
  '/campaigns/:id/results': 'a published file that must be whole to be verified',
  '/campaigns/:id/live': "one campaign's figures",
  '/network': 'the map, simplified',
  '/map/needs': "one view's needs, clustered on the server (at most 5,000 drawn one by one)",
  '/paths': 'one path',
  '/dashboard': 'figures',
  '/stops/:id/proof/photo': 'one image',
  '/stops/:id/proof/signature': 'one image',
};

describe.each(databaseKinds)('lists on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    const db = await openTestDatabase(kind);
    await seedIfEmpty(db, 'lifeline-demo');
    t = await startTestApp(kind, db);
    for (const { fill } of Object.values(lists)) await fill?.(t);
  }, 120_000);
  afterAll(() => t.close());

  const gets = () => [...registry.values()].filter((spec) => spec.method === 'get');

  it('pages every list endpoint, and says why each other GET answers one thing', () => {
    const listed = gets().filter((spec) => spec.list).map((spec) => spec.path);
    expect(listed.sort()).toEqual(Object.keys(lists).sort());
    const others = gets().filter((spec) => !spec.list).map((spec) => spec.path);
    expect(others.sort()).toEqual(Object.keys(notLists).sort());
  });

  it('describes the paging of every list in the OpenAPI document', async () => {
    const doc = (await t.api.get('/api/openapi.json').expect(200)).body;
    for (const spec of gets().filter((s) => s.list)) {
      const op = doc.paths[`/api${spec.path}`].get;
      const names = op.parameters.map((p: { name: string }) => p.name);
      expect(names, spec.path).toContain('limit');
      expect(names, spec.path).toContain(spec.list === 'cursor' ? 'before' : 'sort');
      expect(op['x-list'], spec.path).toBe(spec.list);
    }
  });

  const rowsOf = (body: unknown): Row[] => (Array.isArray(body) ? body : (body as { items: Row[] }).items);
  const sortsOf = (path: string): string[] => {
    const sort = registry.get(`get ${path}`)!.query!.safeParse({ sort: '?' });
    const issue = sort.success ? undefined : sort.error.issues.find((i) => i.path[0] === 'sort');
    return (issue as { values?: string[] } | undefined)?.values ?? [];
  };

  it.for(Object.keys(lists))('%s walks page by page, in every sort, to the same rows whatever the page size', async (path) => {
    const { role, min, id } = lists[path]!;
    const get = (query: Record<string, unknown>) => t.api.get(`/api${path}`).query(query).set(bearer(t.tokens[role]));
    const cursor = registry.get(`get ${path}`)!.list === 'cursor';
    /** Every row, following the Link header from the first page of `limit` rows. */
    const walk = async (limit: number, sort: string | undefined) => {
      const rows: unknown[] = [];
      let query: Record<string, unknown> = { limit, ...(sort ? { sort } : {}) };
      for (;;) {
        const res = await get(query);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        rows.push(...rowsOf(res.body).map(id));
        const next = /<([^>]+)>; rel="next"/.exec(res.headers.link ?? '')?.[1];
        if (!next) return { rows, total: res.headers['x-total-count'] };
        query = Object.fromEntries(new URL(next, 'http://x').searchParams);
      }
    };
    for (const sort of cursor ? [undefined] : sortsOf(path)) {
      const big = await walk(cursor ? 1000 : MAX_LIMIT, sort);
      expect(big.rows.length, `${path} ${sort}`).toBeGreaterThanOrEqual(min);
      if (!cursor) expect(Number(big.total)).toBe(big.rows.length);
      expect(new Set(big.rows).size).toBe(big.rows.length);
      const small = await walk(Math.max(2, Math.ceil(big.rows.length / 4)), sort);
      expect(small.rows, `${path} sorted by ${sort}`).toEqual(big.rows);
    }
  });

  it('answers a plan with one window of its allocations, unmet needs and fulfilment, and their totals', async () => {
    const coordinator = bearer(t.tokens.coordinator);
    const { id } = await post(t, '/api/plans', {});
    let plan: Row & { status: string } = { status: 'solving' };
    for (let i = 0; i < 600 && plan.status === 'solving'; i++) {
      plan = (await t.api.get(`/api/plans/${id}`).set(coordinator).expect(200)).body;
      if (plan.status === 'solving') await new Promise((r) => setTimeout(r, 100));
    }
    expect(plan.status).toBe('ready');
    const pages = plan.pages as { allocations: number; unmet: number; fulfilment: number };
    expect(pages.allocations).toBeGreaterThan(2);
    const walked: unknown[] = [];
    const lists = { fulfilment: [] as unknown[], unmet: [] as unknown[] };
    for (let offset = 0; offset < Math.max(pages.allocations, pages.fulfilment, pages.unmet); offset += 2) {
      const page = (await t.api.get(`/api/plans/${id}`).query({ limit: 2, offset, sort: '-needId' }).set(coordinator).expect(200)).body;
      expect(page.allocations.length).toBeLessThanOrEqual(2);
      expect(page.result.fulfilment.length).toBeLessThanOrEqual(2);
      expect(page.result.unmet.length).toBeLessThanOrEqual(2);
      walked.push(...page.allocations.map((a: Row) => a.needId));
      lists.fulfilment.push(...page.result.fulfilment.map((f: Row) => f.needId));
      lists.unmet.push(...page.result.unmet.map((u: Row) => u.needId));
    }
    expect(walked).toHaveLength(pages.allocations);
    // The windows of the per-need lists tile them: each entry once, none skipped at a window's edge.
    expect(lists.fulfilment).toHaveLength(pages.fulfilment);
    expect(new Set(lists.fulfilment).size).toBe(pages.fulfilment);
    expect(lists.unmet).toHaveLength(pages.unmet);
    expect(walked).toEqual([...walked].sort((a, b) => Number(b) - Number(a)));
    await t.api.get(`/api/plans/${id}`).query({ limit: 5001 }).set(coordinator).expect(400);
  });

  it.for(Object.keys(lists))('%s refuses bad paging with 400 naming the parameter, never a 500', async (path) => {
    const { role } = lists[path]!;
    const cursor = registry.get(`get ${path}`)!.list === 'cursor';
    const bad: [Record<string, string>, string][] = [
      [{ limit: '0' }, 'query.limit'],
      [{ limit: 'many' }, 'query.limit'],
      [{ limit: String(cursor ? 1001 : MAX_LIMIT + 1) }, 'query.limit'],
      ...(cursor
        ? ([[{ before: '-1' }, 'query.before']] as [Record<string, string>, string][])
        : ([
            [{ offset: '-1' }, 'query.offset'],
            [{ offset: '1e99' }, 'query.offset'],
            [{ sort: 'password_hash' }, 'query.sort'],
            [{ sort: 'id; DROP TABLE users' }, 'query.sort'],
          ] as [Record<string, string>, string][])),
      [{ pageSize: '3' }, 'query.pageSize'],
    ];
    for (const [query, field] of bad) {
      const res = await t.api.get(`/api${path}`).query(query).set(bearer(t.tokens[role]));
      expect(res.status, `${path} ${JSON.stringify(query)}`).toBe(400);
      expect(res.type).toBe('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });
});
