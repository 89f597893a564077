import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { draw, sha256, type DrawResults } from '../../server/campaigns/draw.ts';

const run = promisify(execFile);
const verify = (file: string) =>
  run(process.execPath, ['bin/lifeline.js', 'verify-draw', file], { timeout: 60_000 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe('lifeline verify-draw', () => {
  const seed = randomHex();
  const entries = Array.from({ length: 12 }, (_, i) => ({ receiptHash: sha256(`r${i}`), tier: 1 + (i % 3), quantity: 1 }));
  const results: DrawResults = {
    campaign: { id: 7, commodity: 'masks', unit: 'box', quantity: 5, perHouseholdCap: 1, opensAt: '2026-01-01T08:00:00.000Z', closesAt: '2026-01-01T10:00:00.000Z', closedAt: '2026-01-01T10:00:01.000Z' },
    rule: 'tier, then lottery',
    seed,
    seedHash: sha256(seed),
    entries: draw(seed, 5, entries).map((d) => ({ ...d, status: d.outcome })),
  };
  const dir = mkdtempSync(join(tmpdir(), 'verify-draw-'));
  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  it('confirms a published draw with exit code 0', async () => {
    const res = await verify(file('results.json', results));
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^CONFIRMED: .*12 entries, 5 winners/);
  });

  it('refutes a tampered file with a non-zero exit naming the first mismatch', async () => {
    const tampered = structuredClone(results);
    // A winner and a waiting entry of the same tier trade places. (Across tiers, a swap can make another
    // self-consistent file, one that claims other tiers, so that this seed's draw would confirm it.)
    const winner = tampered.entries.find((w) => w.outcome === 'won' && tampered.entries.some((e) => e.outcome === 'waiting' && e.tier === w.tier))!;
    const loser = tampered.entries.find((e) => e.outcome === 'waiting' && e.tier === winner.tier)!;
    [loser.receiptHash, winner.receiptHash] = [winner.receiptHash, loser.receiptHash];
    const res = await verify(file('tampered.json', tampered));
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^REFUTED: rank \d+: (receiptHash|outcome|awarded) is .* in the file, the draw gives /);

    const otherSeed = await verify(file('seed.json', { ...results, seed: randomHex() }));
    expect(otherSeed.code).toBe(1);
    expect(otherSeed.stderr).toMatch(/REFUTED: seed: its SHA-256 is [0-9a-f]{64}, not the published seedHash/);
  });

  it('exits with 2 for a file that is not results', async () => {
    expect((await verify(file('broken.json', '{'))).code).toBe(2);
    const res = await verify(file('shape.json', { ...results, entries: 'none' }));
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/not a results file: entries/);
  });
});

function randomHex(): string {
  return Array.from({ length: 64 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');
}
