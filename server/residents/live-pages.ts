// Households' pages, live: a socket opened with an access code joins that code's room (throttled as the page
// is), and every stored change to the household's needs, plans, routes or stops tells its room to reload, in
// the same transaction as the change (the outbox's echo). The page still asks every 30 s, should a socket fail.
import type { Socket } from 'socket.io';
import type { Db, Tx } from '../db/database.ts';
import type { Pending } from '../live/outbox.ts';
import { residentRoom } from '../live/rooms.ts';
import { householdOfCode } from './access.service.ts';
import { CodeThrottle } from './code-throttle.ts';
import { liveCodesTouched } from './residents.repo.ts';

/** The room a handshake's code (`auth.code`) opens; undefined for a wrong or revoked one; 429 when throttled. */
export function residentRooms(db: Db): (handshake: Socket['handshake']) => Promise<string | undefined> {
  const throttle = new CodeThrottle(db);
  return async (handshake) => {
    const code: unknown = handshake.auth?.code;
    if (typeof code !== 'string' || code.length > 64) return undefined;
    const opened = await throttle.attempt(handshake.address, undefined, 'en', async () => {
      const found = await householdOfCode(db, code);
      return found && { key: found.codeHash, found };
    });
    return opened && residentRoom(opened.codeHash);
  };
}

const ids = (pending: Pending[], type: Pending['type'], id: (data: Record<string, unknown>) => unknown) =>
  pending.filter((p) => p.type === type).map((p) => Number(id(p.data as Record<string, unknown>)));

/** A 'resident:changed' for each open page whose household the transaction's events touched. */
export async function echoToResidents(tx: Tx, pending: Pending[]): Promise<Pending[]> {
  const planIds = pending.filter((p) => p.type === 'plan:status' && ['approved', 'dispatched'].includes((p.data as { status: string }).status)).map((p) => (p.data as { planId: number }).planId);
  const touched = {
    needIds: ids(pending, 'need:changed', (d) => d.needId),
    stopIds: ids(pending, 'stop:updated', (d) => d.stopId),
    // A stop done on a route moves every later household on it up: their pages reload too.
    routeIds: [...ids(pending, 'route:assigned', (d) => d.routeId), ...ids(pending, 'route:updated', (d) => d.routeId), ...ids(pending, 'stop:updated', (d) => d.routeId)],
    planIds,
    campaignIds: ids(pending, 'campaign:changed', (d) => d.campaignId),
  };
  if (Object.values(touched).every((list) => list.length === 0)) return [];
  return (await liveCodesTouched(tx, touched)).map((codeHash) => ({ recipients: [], type: 'resident:changed', data: { room: residentRoom(codeHash) } }));
}
