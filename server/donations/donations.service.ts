// Donations: a charity pledges items to a warehouse and gets a tracking code; a coordinator receives
// them into lots (the ledger grows, provenance stays linked), or a driver collects a pledge from its
// collection point on a pickup route (received at collection); anyone can follow the journey by code.
import { randomInt } from 'node:crypto';
import { lastIn, type Db, type Queryable, type Tx } from '../db/database.ts';
import { requestContext } from '../audit/audit.service.ts';
import type { Page, Paging } from '../db/rows.ts';
import { ConflictError, NotFoundError, invalidField, ValidationError } from '../http/errors.ts';
import type { SignedInUser } from '../auth/roles.ts';
import { checkWarehouseExists, getWarehouse } from '../warehouses/warehouses.service.ts';
import { checkRecord, checkWarehouse, warehouseScope, type WarehouseScope } from '../auth/warehouse-scope.ts';
import { checkCommodityExists, getCommodity } from '../commodities/commodities.service.ts';
import { recordMovement } from '../stock/stock.service.ts';
import { insertLot } from '../stock/stock.repo.ts';
import * as repo from './donations.repo.ts';
import type { Donation, DonationItem, NewDonation, Receipt, Tracking } from './donations.schema.ts';

// No 0/O or 1/I: codes are read aloud over the phone and typed from paper receipts.
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function newTrackingCode(): string {
  let code = 'LL-';
  for (let i = 0; i < 8; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** A charity pledges to any warehouse; a coordinator tied to warehouses logs pledges to theirs. */
export async function pledge(db: Db, input: NewDonation, charity: SignedInUser): Promise<Donation> {
  const scope = warehouseScope(charity);
  const slot: PledgeSlot = { pledge: { ...input, trackingCode: newTrackingCode(), charityUserId: charity.id, request: requestContext() } };
  await db.transaction(async (tx) => {
    // Refused in the request's own turn: at its batch's end, the whole batch would be written again, each alone.
    await checkTargets(tx, input, scope);
    slot.stored = undefined;
    // In a grouped batch (db/grouped.ts), written with the batch's other pledges at its end.
    await lastIn(tx, writePledges, slot);
  });
  return slot.stored!;
}

/** A pledge to write, and once written, as stored. */
interface PledgeSlot {
  pledge: repo.PledgeRow;
  stored?: Donation;
}

/**
 * Pledges written together in one statement (a burst is written at line rate). One whose warehouse or commodity
 * went missing since its check is refused (a grouped batch then commits each of its requests alone).
 */
async function writePledges(tx: Tx, slots: PledgeSlot[]): Promise<void> {
  const stored = await repo.insertPledges(tx, slots.map((s) => s.pledge));
  for (const [i, slot] of slots.entries()) {
    slot.stored = stored[i];
    if (!slot.stored) throw new ConflictError('the warehouse or a commodity of this pledge is no longer there');
  }
}

/** The pledge's warehouse exists and is the pledger's to log to, and its commodities exist (the first refusal named). */
async function checkTargets(tx: Tx, input: NewDonation, scope: WarehouseScope): Promise<void> {
  await checkWarehouseExists(tx, input.warehouseId, 'body.warehouseId');
  checkWarehouse(scope, input.warehouseId, 'body.warehouseId');
  for (const [i, item] of input.items.entries()) await checkCommodityExists(tx, item.commodityId, `body.items.${i}.commodityId`);
}

/** Receiving turns each accepted item into a lot with a `received` movement, in one transaction. */
export async function receive(db: Db, donationId: number, input: Receipt, coordinator: SignedInUser): Promise<Donation> {
  return db.transaction(async (tx) => {
    const donation = await repo.findDonation(tx, 'id', donationId, true);
    if (!donation) throw new NotFoundError('donation', donationId);
    checkRecord(warehouseScope(coordinator), [donation.warehouseId], 'donation', donationId);
    if (donation.status === 'received') throw new ConflictError(`donation ${donationId} was received already`);
    checkReceiptCoversItems(donation, input);
    for (const [i, entry] of input.items.entries()) {
      const item = donation.items.find((it) => it.id === entry.itemId)!;
      await receiveItem(tx, donation, item, { ...entry, field: `body.items.${i}.expiresOn`, reason: `donation ${donation.trackingCode}`, actorId: coordinator.id });
    }
    await repo.markReceived(tx, donationId, coordinator.id);
    return (await repo.findDonation(tx, 'id', donationId))!;
  });
}

/** One pledged item received: what was accepted becomes a lot with a `received` movement; the item records both. */
async function receiveItem(
  tx: Queryable,
  donation: Donation,
  item: DonationItem,
  entry: { accepted: number; rejected: number; rejectionReason?: string; lotCode?: string; expiresOn?: string; field: string; reason: string; actorId: number },
): Promise<void> {
  const commodity = await getCommodity(tx, item.commodityId);
  if (entry.accepted > 0 && commodity.perishable && !entry.expiresOn) throw invalidField(entry.field, `${commodity.name} is perishable: give the expiry date`);
  let lotId: number | null = null;
  if (entry.accepted > 0) {
    const lot = await insertLot(tx, {
      warehouseId: donation.warehouseId,
      commodityId: item.commodityId,
      lotCode: entry.lotCode ?? `${donation.trackingCode}-${item.id}`,
      expiresOn: entry.expiresOn ?? null,
      donationId: donation.id,
      supplierKind: 'donor',
      supplier: donation.donorName,
    });
    await recordMovement(tx, { lotId: lot.id, kind: 'received', quantity: entry.accepted, reason: entry.reason, actorId: entry.actorId });
    lotId = lot.id;
  }
  await repo.recordItemReceipt(tx, item.id, { accepted: entry.accepted, rejected: entry.rejected, rejectionReason: entry.rejectionReason ?? null, lotId });
}

/**
 * A pledge collected on a route: everything pledged is received into stock at its warehouse (the van's
 * depot) at once, in the stop's transaction — there is no event for the van's return, and between trips
 * it unloads there anyway. The collection stop is marked by the caller, so a retry finds it done.
 */
export async function collectPledge(tx: Tx, donationId: number, by: { actorId: number; routeId: number; stopId: number; expiresOn?: string }): Promise<void> {
  const donation = await repo.findDonation(tx, 'id', donationId, true);
  if (!donation) throw new NotFoundError('donation', donationId);
  if (donation.status === 'received') throw new ConflictError(`donation ${donationId} was received already`, { status: donation.status });
  const reason = `donation ${donation.trackingCode} collected on route ${by.routeId}, stop ${by.stopId}`;
  for (const item of donation.items) {
    await receiveItem(tx, donation, item, { accepted: item.quantityPledged, rejected: 0, expiresOn: by.expiresOn, field: 'body.expiresOn', reason, actorId: by.actorId });
  }
  await repo.markReceived(tx, donationId, by.actorId);
}

/** Pledges waiting for a pickup route, for dispatch. */
export const pledgesToCollect = (db: Queryable) => repo.pledgesToCollect(db);

/** The pledges of collection stops, as their drivers see them. */
export const pledgesForDrivers = (db: Queryable, donationIds: number[]) => repo.pledgesForDrivers(db, donationIds);

function checkReceiptCoversItems(donation: Donation, input: Receipt): void {
  const problems = input.items.flatMap((entry, i) =>
    donation.items.some((it) => it.id === entry.itemId) ? [] : [{ field: `body.items.${i}.itemId`, reason: `not an item of donation ${donation.id}` }],
  );
  const given = new Set(input.items.map((e) => e.itemId));
  if (given.size !== input.items.length) problems.push({ field: 'body.items', reason: 'an item is listed twice' });
  for (const item of donation.items) {
    if (!given.has(item.id)) problems.push({ field: 'body.items', reason: `item ${item.id} is missing: say what was accepted and rejected of each item` });
  }
  if (problems.length) throw new ValidationError(problems);
}

/** A charity sees its own donations; coordinators those of their warehouses; admins all. */
export async function listDonations(db: Db, user: SignedInUser, query: Paging & { status?: string; warehouseId?: number }): Promise<Page<Donation>> {
  const mine = user.role === 'charity' ? user.id : undefined;
  const filters = { status: query.status, warehouseId: query.warehouseId, charityUserId: mine };
  const page = await repo.listDonations(db, filters, query, { column: 'warehouseId', ids: warehouseScope(user) });
  const items = await repo.itemsOf(db, page.items.map((d) => d.id));
  const pickups = await repo.pickupsOf(db, page.items.map((d) => d.id));
  return { ...page, items: page.items.map((d) => ({ ...d, items: items.filter((it) => it.donationId === d.id), pickup: pickups.get(d.id) ?? null })) };
}

export async function getDonation(db: Db, id: number, user: SignedInUser): Promise<Donation> {
  const donation = await repo.findDonation(db, 'id', id);
  // A charity asking for another charity's donation is told it does not exist, not that it is someone else's.
  if (!donation || (user.role === 'charity' && donation.charityUserId !== user.id)) throw new NotFoundError('donation', id);
  checkRecord(warehouseScope(user), [donation.warehouseId], 'donation', id);
  return donation;
}

/** The public journey of a donation: what arrived, where it went, which communities it reached. No personal data. */
export async function track(db: Db, trackingCode: string): Promise<Tracking> {
  const donation = await repo.findDonation(db, 'tracking_code', trackingCode.toUpperCase());
  if (!donation) throw new NotFoundError('tracking code', trackingCode);
  const warehouse = await getWarehouse(db, donation.warehouseId);
  const commodityNames = new Map<number, string>();
  for (const item of donation.items) commodityNames.set(item.commodityId, (await getCommodity(db, item.commodityId)).name);
  const journey = await repo.journeyOf(db, donation.id);
  return {
    trackingCode: donation.trackingCode,
    status: donation.status,
    pledgedAt: donation.pledgedAt,
    receivedAt: donation.receivedAt,
    warehouse: warehouse.name,
    items: donation.items.map((it) => ({
      commodity: commodityNames.get(it.commodityId),
      pledged: it.quantityPledged,
      accepted: it.quantityAccepted,
      rejected: it.quantityRejected,
    })),
    journey: journey.map((j) => ({ at: j.createdAt, event: j.kind, commodity: j.commodity, quantity: j.quantity, warehouse: j.warehouse, community: j.community ?? undefined })),
    communitiesReached: [...new Set(journey.filter((j) => j.kind === 'delivered' && j.community).map((j) => j.community!))].sort(),
    recalls: await repo.recallsOf(db, donation.id),
  };
}
