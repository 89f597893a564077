// Who may do what, as plain data: the roles and the signed-in user as services see them. It imports
// nothing, so the HTTP layer, the live hub and every noun can name a role without pulling in auth.
export const roles = ['admin', 'coordinator', 'charity', 'community', 'driver'] as const;
export type Role = (typeof roles)[number];

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
