import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const run = promisify(execFile);
const lifeline = (...args: string[]) => run(process.execPath, ['bin/lifeline.js', ...args], { timeout: 60_000 }).then(
  (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
  (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
);

describe('the lifeline command', () => {
  it('lists its commands and refuses an unknown one', async () => {
    const res = await lifeline('nonsense');
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/commands: .*allocate.*seed.*vrp/);
  });

  it('solves a CVRPLIB file and prints cost, vehicles and routes by the file’s node ids', async () => {
    const res = await lifeline('vrp', 'test/fixtures/cvrplib/A-n32-k5.vrp', '--time-limit', '1', '--seed', '3');
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout) as { cost: number; vehicles: number; routes: number[][]; feasible: boolean };
    expect(out.feasible).toBe(true);
    expect(out.routes.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 31 }, (_, i) => i + 2)); // customers 2..32, depot 1 left out
    expect(out.cost).toBeGreaterThanOrEqual(784); // the proven optimum
    expect(out.vehicles).toBe(out.routes.length);
  });

  it('solves the example allocation scenario in whole units, and names the field of a bad one', async () => {
    const ok = await lifeline('allocate', 'seeds/scenario.example.json');
    expect(ok.code).toBe(0);
    const plan = JSON.parse(ok.stdout) as { allocations: { quantity: number }[]; unmet: { reason: string }[] };
    expect(plan.allocations.length).toBeGreaterThan(0);
    expect(plan.allocations.every((a) => Number.isInteger(a.quantity))).toBe(true);
    const bad = join(mkdtempSync(join(tmpdir(), 'lifeline-')), 'bad.json');
    writeFileSync(bad, JSON.stringify({ now: 0, lots: 'none' }));
    const refused = await lifeline('allocate', bad);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/invalid scenario: \w+/);
  });
});
