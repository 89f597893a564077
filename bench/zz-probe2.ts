import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openPglite } from '../server/db/database.ts';
import { migrate } from '../server/db/migrate.ts';
import { createApp, createLive } from '../server/app.ts';
import { RoadMap } from '../server/network/network.service.ts';
import { hashCode, newCode } from '../server/residents/access.service.ts';
import { openCampaign } from '../server/campaigns/campaigns.service.ts';
const db = await openPglite();
await migrate(db);
const [user] = await db.query<{ id: number }>(`INSERT INTO users (email, name, role, password_hash) VALUES ('c@x', 'C', 'coordinator', 'x') RETURNING id`);
const [c] = await db.query<{ id: number }>(`INSERT INTO commodities (code, name, unit, weight_kg, volume_m3, category) VALUES ('F', 'F', 'box', 0.2, 0.001, 'hygiene') RETURNING id`);
await db.query(`INSERT INTO households (name, address, address_key, phone_key, lat, lon, people, community) SELECT 'H'||i, i||' R', 'k'||i, '', 43.7, 7.4, 1, 'C' FROM generate_series(1, 1000) i`);
const ids = (await db.query<{ id: number }>('SELECT id FROM households ORDER BY id')).map((r) => r.id);
const codes = ids.map(() => newCode());
await db.query('INSERT INTO household_access (code_hash, household_id, issued_by) SELECT * FROM unnest($1::text[], $2::int[], $3::int[])', [codes.map(hashCode), ids, ids.map(() => user!.id)]);
const { id } = await openCampaign(db, { commodityId: c!.id, quantity: 100, perHouseholdCap: 3, opensAt: new Date(Date.now() - 1000).toISOString(), closesAt: new Date(Date.now() + 3600_000).toISOString(), eligibility: {} }, user!.id);
const server = createServer(createApp({ db, ...createLive(db), roads: new RoadMap(db), trustProxy: 'loopback' })).listen(0);
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const statuses = new Map<number, number>();
let next = 0; const t0 = performance.now();
await Promise.all(Array.from({ length: 64 }, async () => {
  while (next < 1000) { const i = next++;
    const res = await fetch(`${base}/api/campaigns/${id}/requests`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.0.${i >> 8}.${i & 255}` }, body: JSON.stringify({ code: i % 10 === 0 ? newCode() : codes[i], quantity: 1 }) });
    await res.text(); statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1); }
}));
console.log('1000 requests', Math.round(performance.now() - t0), 'ms', [...statuses]);
server.close(); await db.close();
