// The coordinator's map of open needs at any size of district: what one view at one zoom shows, clustered
// on the server, so an answer holds a few hundred bubbles and needs rather than every need of the district.
import type { Queryable } from '../db/database.ts';
import type { CommunityScope } from '../auth/communities.ts';
import { LEDGER_ZOOM, needCells, needPoints, type Bbox, type CellRow, type MapNeedRow } from './need-map.repo.ts';
import type { MapQuery, NeedMap } from './needs.schema.ts';
import { MAP_SINGLES_ZOOM } from '../../domain/values.ts';

/** A cell with fewer needs than this shows them one by one (a bubble of 2 says less than two dots). */
export const MIN_CLUSTER = 5;
/** The most needs one answer draws one by one; past it, the view's needs stay clustered. */
export const MAX_SINGLES = 5000;

type Tiers = Pick<CellRow, 'tier1' | 'tier2' | 'tier3'>;
const tiersOf = (c: Tiers) => ({ 1: c.tier1, 2: c.tier2, 3: c.tier3 });
const share = (fulfilled: number, quantity: number) => (quantity > 0 ? Math.min(1, fulfilled / quantity) : 1);

export async function needMap(db: Queryable, { bbox, zoom }: MapQuery, communities: CommunityScope): Promise<NeedMap> {
  // Zoom 17 still shows the ledger's cells of zoom 16.
  if (zoom >= MAP_SINGLES_ZOOM) {
    const points = await needPoints(db, bbox, communities, MAX_SINGLES + 1);
    if (points.length <= MAX_SINGLES) return answer([], points);
  }
  const cellZoom = Math.min(zoom, LEDGER_ZOOM);
  const cells = await needCells(db, bbox, cellZoom, communities);
  // Small cells are opened smallest first while the answer has room; any left over stay bubbles.
  let room = MAX_SINGLES;
  const few = new Set(
    cells
      .filter((c) => c.count < MIN_CLUSTER)
      .sort((a, b) => a.count - b.count)
      .filter((c) => (room -= c.count) >= 0),
  );
  // Their needs are read within their own extent, not the whole view's.
  const at = [...few];
  const extent: Bbox = [Math.min(...at.map((c) => c.west)), Math.min(...at.map((c) => c.south)), Math.max(...at.map((c) => c.east)), Math.max(...at.map((c) => c.north))];
  const points = at.length > 0 ? await needPoints(db, bbox, communities, MAX_SINGLES, { zoom: cellZoom, at, extent }) : [];
  return answer(
    cells.filter((c) => !few.has(c)),
    points,
  );
}

function answer(cells: CellRow[], points: MapNeedRow[]): NeedMap {
  const tiers = { tier1: 0, tier2: 0, tier3: 0 };
  for (const c of cells) for (const k of ['tier1', 'tier2', 'tier3'] as const) tiers[k] += c[k];
  for (const p of points) tiers[`tier${p.tier as 1 | 2 | 3}`] += 1;
  return {
    total: tiers.tier1 + tiers.tier2 + tiers.tier3,
    tiers: tiersOf(tiers),
    clusters: cells.map((c) => ({
      lat: c.lat,
      lon: c.lon,
      count: c.count,
      tiers: tiersOf(c),
      worstTier: c.tier1 > 0 ? 1 : c.tier2 > 0 ? 2 : 3,
      fulfilled: share(c.fulfilled, c.quantity),
      bounds: [c.west, c.south, c.east, c.north],
    })),
    needs: points.map((p) => ({ id: p.id, lat: p.lat, lon: p.lon, tier: p.tier, fulfilled: share(p.fulfilled, p.quantity), household: p.household })),
  };
}
