// `lifeline allocate <scenario.json> [--backend auto|flow|highs|jslp] [--seed N] [--time-limit-ms N]`:
// solves an allocation scenario file and prints the plan as JSON. Bad scenarios exit with code 2.
import { readFile } from 'node:fs/promises';
import { InvalidProblemError, UnsolvableError } from '../../solver/errors.ts';
import { allocate } from '../../solver/allocation/allocate.ts';
import type { Backend } from '../../solver/allocation/problem.ts';
import { parseScenario } from '../../solver/allocation/scenario.ts';

const USAGE = 'usage: lifeline allocate <scenario.json> [--backend auto|flow|highs|jslp] [--seed N] [--time-limit-ms N]';
const BACKENDS = new Set<Backend>(['auto', 'flow', 'highs', 'jslp']);

export async function run(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    console.error(`${parsed}\n${USAGE}`);
    return 2;
  }
  let text: string;
  try {
    text = await readFile(parsed.file, 'utf8');
  } catch (error) {
    console.error(`cannot read ${parsed.file}: ${(error as Error).message}`);
    return 2;
  }
  try {
    // Goods move in whole units: the LP optimum is rounded as the server rounds it.
    const plan = await allocate(parseScenario(text), { ...parsed.options, wholeUnits: true });
    console.log(JSON.stringify(plan, null, 2));
    return 0;
  } catch (error) {
    if (error instanceof InvalidProblemError) {
      console.error(`invalid scenario: ${error.field}: ${error.reason}`);
      return 2;
    }
    if (error instanceof UnsolvableError) {
      console.error(`unsolvable scenario: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

interface Parsed {
  file: string;
  options: { seed: number; backend: Backend; timeLimitMs?: number };
}

function parseArgs(args: string[]): Parsed | string {
  const options: Parsed['options'] = { seed: 1, backend: 'auto' };
  let file: string | undefined;
  for (let k = 0; k < args.length; k++) {
    const arg = args[k]!;
    const value = args[k + 1];
    if (arg === '--backend') {
      if (!BACKENDS.has(value as Backend)) return `--backend must be one of ${[...BACKENDS].join(', ')}`;
      options.backend = value as Backend;
      k++;
    } else if (arg === '--seed' || arg === '--time-limit-ms') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) return `${arg} needs a whole number`;
      if (arg === '--seed') options.seed = n;
      else options.timeLimitMs = n;
      k++;
    } else if (arg.startsWith('--')) {
      return `unknown option ${arg}`;
    } else if (file === undefined) {
      file = arg;
    } else {
      return `unexpected argument ${arg}`;
    }
  }
  return file === undefined ? 'missing scenario file' : { file, options };
}
