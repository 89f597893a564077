import { describe, expect, it } from 'vitest';
import { draw, lotteryKey, sha256, verifyDraw, type DrawEntry, type DrawResults } from '../../../server/campaigns/draw.ts';

const seed = 'a3'.repeat(32);
const entries: DrawEntry[] = Array.from({ length: 40 }, (_, i) => ({ receiptHash: sha256(`receipt-${i}`), tier: 1 + (i % 3), quantity: 1 + (i % 2) }));

function shuffled<T>(items: readonly T[], salt: number): T[] {
  return [...items].sort((a, b) => (sha256(`${salt}${JSON.stringify(a)}`) < sha256(`${salt}${JSON.stringify(b)}`) ? -1 : 1));
}

const resultsOf = (drawn: ReturnType<typeof draw>): DrawResults => ({
  campaign: { id: 1, commodity: 'masks', unit: 'box', quantity: 20, perHouseholdCap: 2, opensAt: '', closesAt: '', closedAt: '' },
  rule: '',
  seed,
  seedHash: sha256(seed),
  entries: drawn.map((d) => ({ ...d, status: d.outcome })),
});

describe('the campaign draw', () => {
  it('gives the same ranks and outcomes whatever order the entries arrived in', () => {
    const reference = draw(seed, 20, entries);
    for (const salt of [1, 2, 3]) expect(draw(seed, 20, shuffled(entries, salt))).toEqual(reference);
  });

  it('serves the most vulnerable tier first, then orders each tier by SHA-256(seed ‖ receiptHash)', () => {
    const drawn = draw(seed, 20, entries);
    expect(drawn.map((d) => d.tier)).toEqual([...drawn.map((d) => d.tier)].sort());
    const tierTwo = drawn.filter((d) => d.tier === 2).map((d) => lotteryKey(seed, d.receiptHash));
    expect(tierTwo).toEqual([...tierTwo].sort());
    expect(drawn.map((d) => d.rank)).toEqual(drawn.map((_, i) => i + 1));
  });

  it('hands out the quantity down the order, the last winner possibly in part, and places the rest on the waiting list', () => {
    const drawn = draw(seed, 20, entries);
    expect(drawn.reduce((sum, d) => sum + d.awarded, 0)).toBe(20);
    const firstWaiting = drawn.findIndex((d) => d.outcome === 'waiting');
    expect(drawn.slice(0, firstWaiting).every((d) => d.outcome === 'won' && d.awarded > 0)).toBe(true);
    expect(drawn.slice(firstWaiting).map((d) => d.waitingPlace)).toEqual(drawn.slice(firstWaiting).map((_, i) => i + 1));
  });

  it('changes with the seed', () => {
    expect(draw('b4'.repeat(32), 20, entries).map((d) => d.receiptHash)).not.toEqual(draw(seed, 20, entries).map((d) => d.receiptHash));
  });

  it('is confirmed by verifyDraw as published, and refuted, naming the place, when a rank, an outcome or the seed is changed', () => {
    const results = resultsOf(draw(seed, 20, entries));
    expect(verifyDraw(results)).toBeUndefined();
    const swapped = structuredClone(results);
    [swapped.entries[0]!.rank, swapped.entries[1]!.rank] = [2, 1];
    expect(verifyDraw(swapped)).toMatch(/^rank 1: receiptHash/);
    const promoted = structuredClone(results);
    const last = promoted.entries.at(-1)!;
    Object.assign(last, { outcome: 'won', awarded: 1, waitingPlace: null });
    expect(verifyDraw(promoted)).toMatch(new RegExp(`^rank ${last.rank}: outcome`));
    expect(verifyDraw({ ...results, seed: 'c5'.repeat(32) })).toMatch(/^seed: /);
  });
});
