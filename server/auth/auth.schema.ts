// The sign-in and user-administration inputs, their zod schemas built from the plain roles in roles.ts.
import { z } from 'zod';
import { listQuery, MAX_LIMIT } from '../http/paging.ts';
import { roles, type Role, type SignedInUser } from './roles.ts';
import { recordId } from '../http/schemas.ts';

export const roleSchema = z.enum(roles);

/** A user as the admin's list shows it. */
export interface ListedUser extends SignedInUser {
  phone: string | null;
  active: boolean;
}

export const loginBody = z.strictObject({
  email: z.string().trim().toLowerCase().email(),
  password: z.string().min(1).max(200),
});

/** The communities a worker is tied to, the warehouses a coordinator is tied to, and who may be tied to them. */
const communityList = z.array(z.string().trim().min(1).max(100)).max(200);
const warehouseList = z.array(recordId).max(200);
export const tiedRoles = {
  communities: { role: 'community', reason: 'only community workers are tied to communities' },
  warehouseIds: { role: 'coordinator', reason: 'only coordinators are tied to warehouses' },
} as const satisfies Record<string, { role: Role; reason: string }>;

export const newUserBody = z.strictObject({
  email: z.string().trim().toLowerCase().email(),
  name: z.string().trim().min(1).max(200),
  phone: z.string().trim().max(40).optional(),
  role: roleSchema,
  password: z.string().min(8, 'at least 8 characters').max(200),
  communities: communityList.optional(),
  warehouseIds: warehouseList.optional(),
})
  .refine((user) => user.communities === undefined || user.role === tiedRoles.communities.role, { path: ['communities'], message: tiedRoles.communities.reason })
  .refine((user) => user.warehouseIds === undefined || user.role === tiedRoles.warehouseIds.role, { path: ['warehouseIds'], message: tiedRoles.warehouseIds.reason });
export type NewUser = z.infer<typeof newUserBody>;

export const userQuery = listQuery(
  { role: roleSchema.optional(), active: z.enum(['true', 'false']).transform((v) => v === 'true').optional() },
  ['id', 'name', 'email', 'role'],
  { limit: MAX_LIMIT },
);
export type UserQuery = z.output<typeof userQuery>;

export const userPatch = z.strictObject({
  /** null: every community again. */
  communities: communityList.nullable().optional(),
  /** null: every warehouse again. */
  warehouseIds: warehouseList.nullable().optional(),
  active: z.boolean().optional(),
});
export type UserPatch = z.infer<typeof userPatch>;
