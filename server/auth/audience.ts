// Who an announcement goes to: the users (auth owns them) who follow the coordinators' board or a community's
// need sheet. The services that announce ask here, inside the transaction that announces, and hand the ids to
// the outbox's notify.
import type { Tx } from '../db/database.ts';
import { boardUsers, sheetUsers } from './auth.repo.ts';

export const audience = {
  /** Every active admin and coordinator, or (given a warehouse) those who follow it. */
  board: (tx: Tx, warehouseId?: number | null): Promise<number[]> => boardUsers(tx, warehouseId ?? null),
  /** Everyone who may see that community's need sheet. */
  sheet: (tx: Tx, community: string): Promise<number[]> => sheetUsers(tx, community),
};
