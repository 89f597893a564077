// Standard packs (kits): coordinators define a pack's bill of materials, assemble packs at a warehouse from
// its lots first expiring first out, and take packs apart again. Each is one transaction that writes both
// sides in the ledger (components packed and a pack lot assembled, or the reverse), so stock balances.
import type { Db, Queryable } from '../db/database.ts';
import { ConflictError, NotFoundError, ValidationError, invalidField } from '../http/errors.ts';
import type { SignedInUser } from '../auth/roles.ts';
import { checkRecord, checkWarehouse, warehouseScope } from '../auth/warehouse-scope.ts';
import { addCommodity, allCommodities, getCommodity } from '../commodities/commodities.service.ts';
import type { Commodity } from '../commodities/commodities.schema.ts';
import { getWarehouse } from '../warehouses/warehouses.service.ts';
import { getLot, lockAvailable, lockUsable, lotsOfCommodity, openLot, recordMovement } from '../stock/stock.service.ts';
import type { UsableLot } from '../stock/stock.repo.ts';
import { pageOf, type Page, type Paging } from '../http/paging.ts';
import * as repo from './packs.repo.ts';
import type { AssemblyResult, MovedUnits, NewPack, Pack, PackComponent, PackLot, assemblyBody, disassemblyBody } from './packs.schema.ts';
import type { z } from 'zod';

const linesOf = (components: (PackComponent & { packId: number })[], packId: number): PackComponent[] =>
  components.filter((c) => c.packId === packId).map(({ packId: _p, ...line }) => line);

/** A page of the packs with their bills of materials. */
export async function listPacks(db: Queryable, paging: Paging<'id' | 'code' | 'name'>): Promise<Page<Pack>> {
  const components = await repo.componentsOf(db, null);
  const ids = new Set(components.map((c) => c.packId));
  const packs = (await allCommodities(db)).filter((c) => ids.has(c.id)).map((c) => ({ ...c, components: linesOf(components, c.id) }));
  return pageOf(packs, paging, { id: (p) => p.id, code: (p) => p.code, name: (p) => p.name }, (p) => p.id);
}

/** A pack with its bill of materials; 404 for an unknown id or a commodity that is not a pack. */
export async function getPack(db: Queryable, id: number, field?: string): Promise<Pack> {
  const components = await repo.componentsOf(db, [id]);
  if (components.length === 0) throw new NotFoundError('pack', id, field);
  return { ...(await getCommodity(db, id, field)), components: linesOf(components, id) };
}

/** A new pack: a commodity of its own (weighing what its components weigh unless told) and its bill of materials. */
export async function createPack(db: Db, input: NewPack): Promise<Pack> {
  return db.transaction(async (tx) => {
    const { components, weightKg, volumeM3, ...fields } = input;
    const parts: { commodity: Commodity; quantity: number }[] = [];
    for (const [i, c] of components.entries()) parts.push({ commodity: await getCommodity(tx, c.commodityId, `body.components.${i}.commodityId`), quantity: c.quantity });
    const nested = await repo.packsAmong(tx, components.map((c) => c.commodityId));
    if (nested.length > 0) {
      throw new ValidationError(nested.map((id) => ({ field: `body.components.${components.findIndex((c) => c.commodityId === id)}.commodityId`, reason: 'is a pack itself: packs are not nested' })));
    }
    const total = (size: 'weightKg' | 'volumeM3') => Math.round(parts.reduce((sum, p) => sum + p.quantity * p.commodity[size], 0) * 1e6) / 1e6;
    const pack = await addCommodity(tx, { ...fields, weightKg: weightKg ?? total('weightKg'), volumeM3: volumeM3 ?? total('volumeM3'), perishable: parts.some((p) => p.commodity.perishable) });
    await repo.insertComponents(tx, pack.id, components);
    return getPack(tx, pack.id);
  });
}

/**
 * Makes packs at a warehouse into a new pack lot: each component's units come from its usable lots first
 * expiring first, and the pack lot expires with the earliest of them. Refused whole (409) when any component
 * is short; the lots are locked, so concurrent assemblies never take the same units twice.
 */
export async function assemble(db: Db, packId: number, input: z.infer<typeof assemblyBody>, user: SignedInUser): Promise<AssemblyResult> {
  return db.transaction(async (tx) => {
    const pack = await getPack(tx, packId);
    await getWarehouse(tx, input.warehouseId, 'body.warehouseId');
    checkWarehouse(warehouseScope(user), input.warehouseId, 'body.warehouseId');
    const moved = firstExpiringFirst(pack, input.quantity, await lockUsable(tx, input.warehouseId, pack.components.map((c) => c.commodityId)));
    const id = await repo.nextAssemblyId(tx);
    const packLot = await openLot(tx, { warehouseId: input.warehouseId, commodityId: pack.id, lotCode: input.lotCode ?? `${pack.code}-A${id}`, expiresOn: earliestExpiry(moved) });
    const assembly = await repo.insertAssembly(tx, { id, kind: 'assembly', packId, warehouseId: input.warehouseId, packLotId: packLot.id, quantity: input.quantity, reason: input.reason, actorId: user.id });
    const reason = input.reason ?? `${input.quantity} × ${pack.name} (${packLot.lotCode})`;
    for (const m of moved) await recordMovement(tx, { lotId: m.lotId, kind: 'packed', quantity: m.quantity, assemblyId: id, actorId: user.id, reason });
    await repo.insertParts(tx, packLot.id, moved);
    await recordMovement(tx, { lotId: packLot.id, kind: 'assembled', quantity: input.quantity, assemblyId: id, actorId: user.id, reason });
    return { assembly, packLot: await getLot(tx, packLot.id), moved };
  });
}

/** Each component's units for `packs` packs, from its lots in the order given (first expiring first); 409 naming every short component. */
function firstExpiringFirst(pack: Pack, packs: number, lots: UsableLot[]): MovedUnits[] {
  const moved: MovedUnits[] = [];
  const short: { commodityId: number; name: string; needed: number; available: number }[] = [];
  for (const component of pack.components) {
    const needed = component.quantity * packs;
    let left = needed;
    for (const lot of lots.filter((l) => l.commodityId === component.commodityId)) {
      if (left === 0) break;
      const take = Math.min(left, lot.available);
      moved.push({ lotId: lot.id, commodityId: lot.commodityId, lotCode: lot.lotCode, expiresOn: lot.expiresOn, quantity: take });
      left -= take;
    }
    if (left > 0) short.push({ commodityId: component.commodityId, name: component.name, needed, available: needed - left });
  }
  if (short.length > 0) {
    const list = short.map((s) => `${s.name} ${s.available} of ${s.needed}`).join(', ');
    throw new ConflictError(`not enough stock at this warehouse for ${packs} × ${pack.name}: ${list}`, { short }, 'not-enough-stock');
  }
  return moved;
}

const earliestExpiry = (moved: MovedUnits[]): string | null =>
  moved.reduce<string | null>((earliest, m) => (m.expiresOn !== null && (earliest === null || m.expiresOn < earliest) ? m.expiresOn : earliest), null);

/**
 * Takes packs of a pack lot apart: the pack lot goes down and each component's units go back to the lots they
 * came from, the earliest expiring first (the pack cannot tell which units it held, so they are assumed the
 * oldest and leave first again). Only what went in can come back out.
 */
export async function disassemble(db: Db, packId: number, input: z.infer<typeof disassemblyBody>, user: SignedInUser): Promise<AssemblyResult> {
  return db.transaction(async (tx) => {
    const pack = await getPack(tx, packId);
    const lot = await getLot(tx, input.lotId, 'body.lotId');
    checkRecord(warehouseScope(user), [lot.warehouseId], 'lot', lot.id, 'body.lotId');
    if (lot.commodityId !== pack.id) throw invalidField('body.lotId', `is not a lot of ${pack.name}`);
    const made = await repo.partsOf(tx, [lot.id]);
    if (made.length === 0) throw invalidField('body.lotId', 'was not assembled here: it has no component lots to go back to');
    // Locked in id order, components before their (newer) pack lot, as a recall locks them; then read as they now are.
    await lockAvailable(tx, [lot.id, ...made.map((p) => p.lotId)]);
    const parts = await repo.partsOf(tx, [lot.id]);
    const id = await repo.nextAssemblyId(tx);
    const assembly = await repo.insertAssembly(tx, { id, kind: 'disassembly', packId, warehouseId: lot.warehouseId, packLotId: lot.id, quantity: input.quantity, reason: input.reason, actorId: user.id });
    const reason = input.reason ?? `${input.quantity} × ${pack.name} (${lot.lotCode}) taken apart`;
    await recordMovement(tx, { lotId: lot.id, kind: 'disassembled', quantity: input.quantity, assemblyId: id, actorId: user.id, reason });
    const moved: MovedUnits[] = [];
    for (const component of pack.components) {
      let left = component.quantity * input.quantity;
      for (const part of parts.filter((p) => p.commodityId === component.commodityId)) {
        const back = Math.min(left, part.quantity - part.returned);
        if (back === 0) continue;
        await recordMovement(tx, { lotId: part.lotId, kind: 'unpacked', quantity: back, assemblyId: id, actorId: user.id, reason });
        await repo.addReturned(tx, lot.id, part.lotId, back);
        moved.push({ lotId: part.lotId, commodityId: part.commodityId, lotCode: part.lotCode, expiresOn: part.expiresOn, quantity: back });
        left -= back;
      }
      // Packs leave a pack lot only whole, so what is left of it always holds its packs' components.
      if (left > 0) throw new Error(`pack lot ${lot.id} holds less ${component.name} than ${input.quantity} packs`);
    }
    return { assembly, packLot: await getLot(tx, lot.id), moved };
  });
}

/** A pack's lots that hold stock (of the user's warehouses; of one when asked), each with the component lots it was made from. */
export async function packLots(db: Queryable, packId: number, warehouseId: number | undefined, user: SignedInUser): Promise<PackLot[]> {
  await getPack(db, packId);
  const lots = (await lotsOfCommodity(db, packId, warehouseScope(user))).filter((l) => warehouseId === undefined || l.warehouseId === warehouseId);
  const parts = await repo.partsOf(db, lots.map((l) => l.id));
  return lots.map((lot) => ({ ...lot, components: parts.filter((p) => p.packLotId === lot.id).map(({ packLotId: _p, ...part }) => part) }));
}

/** The pack lots made with units of this lot: a recall of it reaches them. */
export const packLotsContaining = (db: Queryable, lotId: number) => repo.packLotsContaining(db, lotId);
