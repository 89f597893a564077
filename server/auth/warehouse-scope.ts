// Which warehouses a signed-in user works on. A coordinator may be tied to some: the routes, stops,
// stock, lots, donations and drivers of other warehouses are then answered as if they did not exist,
// and a plan is theirs to approve, dispatch or re-plan only when every warehouse it draws from is theirs.
// Admins and coordinators tied to no warehouse work on all of them; other roles have rules of their own.
import type { SignedInUser } from './roles.ts';
import { ForbiddenError, NotFoundError } from '../http/errors.ts';

/** The warehouses a user may work on; null: every one. */
export type WarehouseScope = readonly number[] | null;

export const warehouseScope = (user: Pick<SignedInUser, 'role' | 'warehouseIds'>): WarehouseScope =>
  user.role === 'coordinator' ? user.warehouseIds : null;

/**
 * The one rule: a record is within the scope when every warehouse it draws on is. A record tied to no
 * warehouse (a gate volunteer, a plan with nothing allocated) is shared by every coordinator.
 */
export const covers = (scope: WarehouseScope, warehouseIds: readonly number[]): boolean =>
  scope === null || warehouseIds.every((id) => scope.includes(id));

/** A stored record outside the scope is answered as an unknown id would be (404): its existence is not confirmed. */
export function checkRecord(scope: WarehouseScope, warehouseIds: readonly number[], what: string, id: number, field?: string): void {
  if (!covers(scope, warehouseIds)) throw new NotFoundError(what, id, field);
}

const yours = (scope: readonly number[]) => `your warehouses are ${scope.join(', ') || 'none'}`;

/** A warehouse a request names, which everyone may see but only its coordinators may work on: 403, naming the field. */
export function checkWarehouse(scope: WarehouseScope, warehouseId: number, field?: string): void {
  if (!covers(scope, [warehouseId])) throw new ForbiddenError(`warehouse ${warehouseId} is not one of yours (${yours(scope!)})`, field);
}

/** Every coordinator reads every plan; approving, dispatching or re-planning one needs all its warehouses (403). */
export function checkPlan(scope: WarehouseScope, plan: { id: number; warehouseIds: readonly number[] }, action: string): void {
  if (covers(scope, plan.warehouseIds)) return;
  const outside = plan.warehouseIds.filter((id) => !scope!.includes(id));
  throw new ForbiddenError(
    `plan ${plan.id} draws from warehouse ${outside.join(', ')} too (${yours(scope!)}): only an admin or a coordinator of every warehouse it draws from may ${action} it`,
  );
}
