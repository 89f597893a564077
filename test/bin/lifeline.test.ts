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

  it("answers a VROOM problem in VROOM's solution format, and a bad one with VROOM's error code naming the field", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lifeline-'));
    // VROOM's docs/example_2.json (VROOM is © Julien Coupey, BSD 2-clause).
    const problem = {
      vehicles: [{ id: 0, start_index: 0, end_index: 3 }],
      jobs: [
        { id: 1414, location_index: 1 },
        { id: 1515, location_index: 2 },
      ],
      matrices: { car: { durations: [[0, 2104, 197, 1299], [2103, 0, 2255, 3152], [197, 2256, 0, 1102], [1299, 3153, 1102, 0]] } },
    };
    writeFileSync(join(dir, 'problem.json'), JSON.stringify(problem));
    const res = await lifeline('vrp', join(dir, 'problem.json'), '--time-limit', '1', '--seed', '2');
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout) as { code: number; summary: { cost: number }; routes: { steps: { type: string; id?: number }[] }[] };
    expect(out.code).toBe(0);
    expect(out.summary.cost).toBe(5461);
    expect(out.routes[0]!.steps.map((s) => s.id ?? s.type)).toEqual(['start', 1414, 1515, 'end']);

    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...problem, jobs: [{ id: 1, location_index: 7 }] }));
    const refused = await lifeline('vrp', join(dir, 'bad.json'));
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stdout)).toEqual({ code: 2, error: 'jobs[0].location_index: must be below the matrix size 4' });
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
