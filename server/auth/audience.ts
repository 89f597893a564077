// Who an announcement goes to: the users (auth owns them) who follow the coordinators' board or a community's
// need sheet. The services that announce ask here, inside the transaction that announces, and hand the ids to
// the outbox's notify.
import { readOncePerBatch, type Tx } from '../db/database.ts';
import { boardUsers, sheetUsers } from './auth.repo.ts';

/** A grouped batch of need reports (which changes no user) reads each community's sheet audience once. */
const sheetOnce = readOncePerBatch<number[]>();

export const audience = {
  /** Every active admin and coordinator, or (given a warehouse) those who follow it. */
  board: (tx: Tx, warehouseId?: number | null): Promise<number[]> => boardUsers(tx, warehouseId ?? null),
  /** Everyone who may see that community's need sheet. */
  sheet: (tx: Tx, community: string): Promise<number[]> => sheetOnce(tx, community, (on) => sheetUsers(on, community)),
};
