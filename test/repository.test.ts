// The repository stands alone: a clone has no sibling folders, so no tracked file may point outside it.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
// Folders made by npm install, the build or a run, never committed.
const SKIP = new Set(['.git', 'node_modules', 'data', 'dist']);
// Spelled in two parts so that this file does not match itself.
const OUTSIDE = new RegExp(['\\.\\.', '[/\\\\]shared'].join(''));

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

describe('the repository', () => {
  it('has no file that reads from a folder beside the clone', () => {
    const offenders = [...files(ROOT)]
      .filter((path) => !/\.(pbf|gz|png|jpg|ttf|woff2?)$/.test(path))
      .filter((path) => OUTSIDE.test(readFileSync(path, 'utf8')))
      .map((path) => relative(ROOT, path));
    expect(offenders).toEqual([]);
  });

  it('keeps the benchmark instances and the test fixtures it needs', () => {
    for (const folder of ['bench/instances/cvrp', 'bench/instances/vrptw', 'bench/instances/mdvrp', 'test/fixtures']) {
      expect(readdirSync(join(ROOT, folder)).length, folder).toBeGreaterThan(0);
    }
  });
});
