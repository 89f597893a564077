// Who may do what, as plain data: the roles and the signed-in user as services see them. It imports
// only the shared value lists, so the HTTP layer, the live gateway and every noun can name a role
// without pulling in auth.
import { roles, type Role } from '../../domain/values.ts';

export { roles, type Role };

export interface SignedInUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  /** A community worker's communities (null: every community; always null for other roles). */
  communities: string[] | null;
  /** A coordinator's warehouses (null: every warehouse; always null for other roles). */
  warehouseIds: number[] | null;
}
