import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../../bin/commands/allocate.ts';
import { allocate } from '../../../solver/allocation/allocate.ts';
import { parseScenario } from '../../../solver/allocation/scenario.ts';
import { InvalidProblemError } from '../../../solver/errors.ts';
import { expectPlanRespectsConstraints } from './plan-checks.ts';

const example = readFileSync(new URL('../../../seeds/scenario.example.json', import.meta.url), 'utf8');

function withChange(change: (scenario: Record<string, any>) => void): string {
  const scenario = JSON.parse(example);
  change(scenario);
  return JSON.stringify(scenario);
}

function fieldOf(text: string): string | undefined {
  try {
    parseScenario(text);
  } catch (error) {
    if (error instanceof InvalidProblemError) return error.field;
    throw error;
  }
  return undefined;
}

describe('the scenario format', () => {
  it('reads the example scenario into a plan that respects every constraint and explains its shortfalls', async () => {
    const problem = parseScenario(example);
    const plan = await allocate(problem, { seed: 1 });
    expectPlanRespectsConstraints(problem, plan);
    expect(plan.unmet.find((u) => u.needId === 'hh-0301-food')?.reason).toBe('unreachable');
    expect(new Set(plan.unmet.map((u) => u.reason))).toEqual(new Set(['unreachable', 'capacity', 'no_stock']));
  });

  it.each([
    ['a need with an unknown commodity', (s: any) => (s.needs[2].commodityId = 'soap'), 'needs[2].commodityId'],
    ['a negative lot quantity', (s: any) => (s.lots[0].quantity = -3), 'lots[0].quantity'],
    ['a need asking for nothing', (s: any) => (s.needs[0].quantity = 0), 'needs[0].quantity'],
    ['an unreadable expiry', (s: any) => (s.lots[2].expiresAt = 'tomorrow-ish'), 'lots[2].expiresAt'],
    ['a duplicate warehouse id', (s: any) => (s.warehouses[1].id = s.warehouses[0].id), 'warehouses[1].id'],
    ['a tier of zero', (s: any) => (s.needs[4].tier = 0), 'needs[4].tier'],
    ['an unknown urgency', (s: any) => (s.needs[1].urgency = 'yesterday'), 'needs[1].urgency'],
    ['a travel matrix row too short', (s: any) => s.travel.seconds[1].pop(), 'travel.seconds[1]'],
    ['a pin to an unknown need', (s: any) => (s.pins = [{ needId: 'nobody', warehouseId: 'wh-condamine', quantity: 1 }]), 'pins[0].needId'],
    ['no needs list', (s: any) => delete s.needs, 'needs'],
    ['a non-integer nearest-warehouse count', (s: any) => (s.policy.nearestWarehouses = 1.5), 'policy.nearestWarehouses'],
  ])('rejects %s, naming the field', (_name, change, field) => {
    expect(fieldOf(withChange(change))).toBe(field);
  });

  it('rejects text that is not JSON', () => {
    expect(fieldOf('{"lots": [')).toBe('scenario');
  });
});

describe('lifeline allocate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-allocate-'));
  afterEach(() => vi.restoreAllMocks());

  it('prints the plan as JSON and exits 0', async () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    const code = await run([new URL('../../../seeds/scenario.example.json', import.meta.url).pathname, '--seed', '3']);
    expect(code).toBe(0);
    const plan = JSON.parse(String(out.mock.calls[0]![0]));
    expect(plan.allocations.length).toBeGreaterThan(0);
    expect(plan.solver.backend).toBe('highs');
  });

  it('exits 2 naming the field on a bad scenario', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const file = join(dir, 'bad.json');
    writeFileSync(file, withChange((s) => (s.lots[1].warehouseId = 'wh-atlantis')));
    expect(await run([file])).toBe(2);
    expect(String(err.mock.calls[0]![0])).toContain('lots[1].warehouseId');
  });

  it('exits 2 on a missing file or a bad option', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await run([join(dir, 'missing.json')])).toBe(2);
    expect(await run(['x.json', '--backend', 'cplex'])).toBe(2);
    expect(await run([])).toBe(2);
  });
});
