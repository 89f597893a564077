// Drivers and gate volunteers: who can carry what, when, from where.
import type { Db, Queryable } from '../db/database.ts';
import { groupBy, type Paging } from '../db/rows.ts';
import { ConflictError, NotFoundError, invalidField } from '../http/errors.ts';
import { getWarehouse } from '../warehouses/warehouses.service.ts';
import { getZone } from '../zones/zones.service.ts';
import { checkRecord, checkWarehouse, type WarehouseScope } from '../auth/warehouse-scope.ts';
import { findUser } from '../auth/auth.repo.ts';
import * as repo from './drivers.repo.ts';
import type { Driver, NewDriver } from './drivers.schema.ts';

// A driver belongs to their home warehouse; one based nowhere (a gate volunteer serves a zone) is shared.
const homeOf = (driver: Driver): number[] => (driver.homeWarehouseId ? [driver.homeWarehouseId] : []);

export const listDrivers = (db: Db, query: Paging & { kind?: string }, scope: WarehouseScope) =>
  repo.listDrivers(db, query, { column: 'homeWarehouseId', ids: scope, orNone: true });

export async function getDriver(db: Queryable, id: number): Promise<Driver> {
  const driver = await repo.findDriver(db, id);
  if (!driver) throw new NotFoundError('driver', id);
  return driver;
}

/** The sign-in account of a driver, to send them their routes; null when none is linked. */
export async function userOfDriver(db: Queryable, id: number): Promise<number | null> {
  return (await repo.findDriver(db, id))?.userId ?? null;
}

/** The sign-in accounts of many drivers in one read (a district's dispatch tells thousands), by driver. */
export const usersOfDrivers = (db: Queryable, ids: number[]) => repo.usersOfDrivers(db, ids);

export const activeDrivers = (db: Queryable) => repo.activeDrivers(db);

/**
 * Trips per shift when the coordinator sets none: a van or car goes back to its warehouse to reload up to
 * twice, a cargo bike (small load, short hops) three times. Stops are served in as few trips as fit.
 */
export const DEFAULT_TRIPS: Record<string, number> = { van: 3, car: 3, cargo_bike: 4 };

/**
 * The most the vehicles based at each warehouse can take out in a shift, by warehouse id: each one's load ×
 * its trips (whether time allows them is the router's business). A district's 10 vehicles per warehouse
 * carry about 13 t; a plan that allocated a warehouse more would leave the rest unassigned at dispatch.
 */
export function fleetLoads(drivers: Driver[]): Map<number, { kg: number; m3: number }> {
  const loads = new Map<number, { kg: number; m3: number }>();
  for (const v of drivers) {
    if (v.kind !== 'driver' || v.homeWarehouseId === null) continue;
    const trips = DEFAULT_TRIPS[v.vehicleType] ?? 1;
    const load = loads.get(v.homeWarehouseId) ?? loads.set(v.homeWarehouseId, { kg: 0, m3: 0 }).get(v.homeWarehouseId)!;
    load.kg += v.capacityWeightKg * trips;
    load.m3 += v.capacityVolumeM3 * trips;
  }
  return loads;
}

/**
 * Kilograms one gate volunteer carries from the gate to the doors in an hour: in Shanghai one compound's
 * 40 volunteers carried 2,600 bags in 5 hours (13 bags an hour each, at about 5 kg a bag).
 */
export const CARRY_KG_PER_HOUR = 60;

/** Seconds since midnight of a shift's "HH:MM". */
export const seconds = (clock: string) => Number(clock.slice(0, 2)) * 3600 + Number(clock.slice(3, 5)) * 60;

/** The gate volunteers of each sealed zone, by zone id. */
export const gateTeams = (drivers: Driver[]) => groupBy(drivers.filter((d) => d.kind === 'gate_volunteer' && d.zoneId !== null), (d) => d.zoneId!);

/**
 * What a zone's volunteers carry in over their shifts, from whichever gate: each one's hours × the carry
 * rate. The plan allocates no more to the zone, and dispatch sends no more to its gates.
 */
export function carryInKg(team: Driver[]): number {
  const hours = team.reduce((sum, v) => sum + Math.max(0, seconds(v.shiftEnd) - seconds(v.shiftStart)) / 3600, 0);
  return hours * CARRY_KG_PER_HOUR;
}

/** A driver as a coordinator may see them: based at one of their warehouses, or based nowhere. */
export async function driverFor(db: Queryable, id: number, scope: WarehouseScope): Promise<Driver> {
  const driver = await getDriver(db, id);
  checkRecord(scope, homeOf(driver), 'driver', id);
  return driver;
}

/** The driver record of a signed-in driver, if the account has one. */
export async function driverOfUser(db: Queryable, userId: number): Promise<Driver | undefined> {
  const id = await repo.driverIdOfUser(db, userId);
  return id === undefined ? undefined : getDriver(db, id);
}

export async function createDriver(db: Db, input: NewDriver, scope: WarehouseScope): Promise<Driver> {
  return db.transaction(async (tx) => {
    await checkReferences(tx, input, scope);
    return repo.insertDriver(tx, input);
  });
}

export async function updateDriver(db: Db, id: number, patch: Partial<NewDriver>, scope: WarehouseScope): Promise<Driver> {
  return db.transaction(async (tx) => {
    const current = await driverFor(tx, id, scope);
    const merged = { ...current, ...patch };
    if (merged.shiftStart >= merged.shiftEnd) throw invalidField('body.shiftEnd', 'the shift must end after it starts');
    await checkReferences(tx, patch, scope, id);
    return (await repo.updateDriver(tx, id, patch))!;
  });
}

async function checkReferences(tx: Queryable, input: Partial<NewDriver>, scope: WarehouseScope, selfId?: number): Promise<void> {
  if (input.homeWarehouseId !== undefined) {
    await getWarehouse(tx, input.homeWarehouseId, 'body.homeWarehouseId');
    checkWarehouse(scope, input.homeWarehouseId, 'body.homeWarehouseId');
  }
  if (input.zoneId !== undefined) {
    await getZone(tx, input.zoneId).catch(() => {
      throw new NotFoundError('zone', input.zoneId!, 'body.zoneId');
    });
  }
  if (input.userId !== undefined) {
    const user = await findUser(tx, input.userId, false);
    if (!user) throw new NotFoundError('user', input.userId, 'body.userId');
    if (user.role !== 'driver') throw invalidField('body.userId', `user ${input.userId} has the role ${user.role}, not driver`);
    const taken = await repo.driverIdOfUser(tx, input.userId, selfId);
    if (taken !== undefined) throw new ConflictError(`user ${input.userId} is already driver ${taken}`, { errors: [{ field: 'body.userId', reason: 'already linked' }] }, 'already-exists');
  }
}
