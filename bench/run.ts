// Runs every benchmark under bench/ (each `*.bench.ts` is a standalone script) one after another,
// each in its own process so that peak memory figures do not leak between suites.
// Usage: npm run bench [-- name-filter ... [--option value ...]]: options go to every suite that runs.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const firstOption = args.findIndex((a) => a.startsWith('--'));
const filters = firstOption < 0 ? args : args.slice(0, firstOption);
const options = firstOption < 0 ? [] : args.slice(firstOption);
const suites = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((word) => f.includes(word)))
  .sort();

let failed = 0;
for (const suite of suites) {
  console.log(`\n## ${suite}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(here, suite), ...options], {
    stdio: 'inherit',
  });
  if (run.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
