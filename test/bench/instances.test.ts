// The benchmark set kept in bench/instances/: every file parses, and its published solution, re-checked
// by our checker under the set's distance convention, is feasible and costs the best-known value of BKS.md.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInstance } from '../../solver/formats/index.ts';
import { plannedRoutes, reportedCost } from '../../solver/formats/instance.ts';
import { parseCordeauResult, parseSol } from '../../solver/formats/solutions.ts';
import { checkSolution } from '../../solver/routing/check.ts';

const ROOT = join(import.meta.dirname, '..', '..', 'bench', 'instances');
const files = ['cvrp', 'vrptw', 'mdvrp'].flatMap((set) =>
  readdirSync(join(ROOT, set))
    .filter((f) => /\.(vrp|txt)$/.test(f))
    .map((f) => ({ set, file: f, base: f.replace(/\.[^.]+$/, '') })),
);

describe('the benchmark files', () => {
  it('are all found', () => {
    expect(files.length).toBe(34);
  });

  for (const { set, file, base } of files) {
    it(`${set}/${file}: the reference solution is feasible and costs the best-known value`, () => {
      const instance = parseInstance(file, readFileSync(join(ROOT, set, file), 'utf8'));
      const reference =
        set === 'mdvrp'
          ? parseCordeauResult(readFileSync(join(ROOT, set, `${base}.res`), 'utf8'))
          : parseSol(readFileSync(join(ROOT, set, `${base}.sol`), 'utf8'));
      const check = checkSolution(instance.problem, { routes: plannedRoutes(instance, reference.routes) });
      expect(check.violations).toEqual([]);
      // The .res files give two decimals of an unrounded total.
      expect(Math.abs(reportedCost(check.cost, instance.convention) - reference.cost)).toBeLessThanOrEqual(0.011);
    });
  }
});
