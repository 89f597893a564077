// A campaign's draw, pure and shared by the server and `lifeline verify-draw`: need tier first, then within
// each tier a lottery ordered by SHA-256(seed ‖ receiptHash), so that arrival order never matters and anyone
// holding the published results can recompute every place.
import { createHash } from 'node:crypto';

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** What the draw reads of an entry: nothing personal. */
export interface DrawEntry {
  receiptHash: string;
  tier: number;
  quantity: number;
}

export type DrawOutcome = 'won' | 'waiting';

export interface DrawnEntry extends DrawEntry {
  /** The entry's place in the draw's order, from 1. */
  rank: number;
  outcome: DrawOutcome;
  /** Units it was given (the last winner may get what is left, less than it asked). */
  awarded: number;
  /** Its place on the waiting list at the draw, from 1 (null for a winner). */
  waitingPlace: number | null;
}

/** The lottery key of an entry: the seed and the receipt's hash, concatenated as hex text. */
export const lotteryKey = (seed: string, receiptHash: string): string => sha256(seed + receiptHash);

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The draw: entries ordered by tier, then lottery key; units handed out down that order until `quantity` is gone. */
export function draw(seed: string, quantity: number, entries: readonly DrawEntry[]): DrawnEntry[] {
  const keyed = entries.map((entry) => ({ entry, key: lotteryKey(seed, entry.receiptHash) }));
  keyed.sort((a, b) => a.entry.tier - b.entry.tier || byText(a.key, b.key) || byText(a.entry.receiptHash, b.entry.receiptHash));
  let left = quantity;
  let waiting = 0;
  return keyed.map(({ entry }, i) => {
    const awarded = Math.min(entry.quantity, left);
    left -= awarded;
    const { receiptHash, tier, quantity: asked } = entry;
    const drawn = { receiptHash, tier, quantity: asked, rank: i + 1, awarded };
    return awarded > 0 ? { ...drawn, outcome: 'won', waitingPlace: null } : { ...drawn, outcome: 'waiting', waitingPlace: ++waiting };
  });
}

/** The published results of a closed campaign (GET /api/campaigns/:id/results), the file verify-draw reads. */
export interface DrawResults {
  campaign: { id: number; commodity: string; unit: string; quantity: number; perHouseholdCap: number; opensAt: string; closesAt: string; closedAt: string };
  rule: string;
  seed: string;
  seedHash: string;
  entries: (DrawnEntry & { status: string })[];
}

export const DRAW_RULE = 'need tier first (1 = most vulnerable), then ascending SHA-256(seed ‖ receiptHash) as lowercase hex text; units handed out in that order';

/** Recomputes the draw from the revealed seed and the listed entries: undefined when confirmed, else the first mismatch. */
export function verifyDraw(results: DrawResults): string | undefined {
  if (sha256(results.seed) !== results.seedHash) return `seed: its SHA-256 is ${sha256(results.seed)}, not the published seedHash ${results.seedHash}`;
  const stated = [...results.entries].sort((a, b) => a.rank - b.rank);
  const computed = draw(results.seed, results.campaign.quantity, stated);
  for (const [i, expected] of computed.entries()) {
    const entry = stated[i]!;
    for (const field of ['receiptHash', 'rank', 'outcome', 'awarded', 'waitingPlace'] as const) {
      if (entry[field] !== expected[field]) {
        return `rank ${expected.rank}: ${field} is ${JSON.stringify(entry[field])} in the file, the draw gives ${JSON.stringify(expected[field])} (entry ${entry.receiptHash})`;
      }
    }
  }
  return undefined;
}
