// A route's life, in one place: assigned → accepted → picked up (a vehicle loads its goods at the
// warehouse; picking up an assigned route accepts it too) → completed once no stop is pending. A re-plan
// cancels the route of a driver who dropped out. Stops are delivered or failed only while the route is
// on its way: a vehicle once it has picked up, a walking route (its goods come from the gate) once accepted.
import { ConflictError } from '../http/errors.ts';
import type { RouteRow } from './dispatch.repo.ts';

export type RouteStatus = RouteRow['status'];
type Route = Pick<RouteRow, 'id' | 'kind' | 'status'>;

/** Where each state may lead. A route reaches `completed` by itself when its last stop is done (even failed from afar, e.g. by its gate). */
const next: Record<RouteStatus, readonly RouteStatus[]> = {
  assigned: ['accepted', 'picked_up', 'completed', 'cancelled'],
  accepted: ['picked_up', 'completed', 'cancelled'],
  picked_up: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

/** The states from which a route completes once no stop is pending. */
export const completable = (Object.keys(next) as RouteStatus[]).filter((status) => next[status].includes('completed'));

/** Refuses (409, naming the route's state) a change its life does not allow. */
export function checkMove(route: Route, to: RouteStatus): void {
  if (!next[route.status].includes(to)) throw new ConflictError(`route ${route.id} is ${route.status}; it cannot become ${to}`, { routeStatus: route.status });
}

/** The state in which a route's stops are delivered or failed. */
const onItsWay = (route: Pick<Route, 'kind'>): RouteStatus => (route.kind === 'vehicle' ? 'picked_up' : 'accepted');

/** Refuses (409, naming the route's state) a stop's outcome before the route is on its way, or after it ended. */
export function checkOnItsWay(route: Route): void {
  const needed = onItsWay(route);
  if (route.status !== needed) {
    throw new ConflictError(`route ${route.id} is ${route.status}: its stops are delivered or failed while it is ${needed}`, { routeStatus: route.status });
  }
}
