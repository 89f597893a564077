// Who an announcement goes to: the users (auth owns them) who follow the coordinators' board or a community's
// need sheet. The services that announce ask here, inside the transaction that announces, and hand the ids to
// the outbox's notify.
import { wholeTransaction, type Tx } from '../db/database.ts';
import { boardUsers, sheetUsers } from './auth.repo.ts';

/**
 * The sheets' audiences a transaction has read, by community: a grouped batch of need reports (one shared
 * transaction, db/grouped.ts) reads each community's once. No transaction that announces changes users.
 */
const sheetsRead = new WeakMap<Tx, Map<string, number[]>>();

async function sheetOnce(tx: Tx, community: string): Promise<number[]> {
  let read = sheetsRead.get(wholeTransaction(tx));
  if (!read) sheetsRead.set(wholeTransaction(tx), (read = new Map()));
  let ids = read.get(community);
  if (!ids) read.set(community, (ids = await sheetUsers(tx, community)));
  return ids;
}

export const audience = {
  /** Every active admin and coordinator, or (given a warehouse) those who follow it. */
  board: (tx: Tx, warehouseId?: number | null): Promise<number[]> => boardUsers(tx, warehouseId ?? null),
  /** Everyone who may see that community's need sheet. */
  sheet: sheetOnce,
};
