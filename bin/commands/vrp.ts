// `lifeline vrp <file> [--time-limit S] [--seed N]`: a VROOM problem (`.json`, or `-` for standard input)
// is answered in VROOM's solution format; a CVRPLIB, VRPLIB-TW, Solomon or Cordeau file with
// {"cost","vehicles","routes","feasible"}, routes as the file's node ids.
import { readFile } from 'node:fs/promises';
import { InvalidProblemError } from '../../solver/errors.ts';
import { parseInstance } from '../../solver/formats/index.ts';
import { reportedCost } from '../../solver/formats/instance.ts';
import { solveVroom } from '../../solver/formats/vroom.ts';
import { solveRouting } from '../../solver/routing/solve.ts';

const USAGE = 'usage: lifeline vrp <problem.json | - | instance> [--time-limit seconds] [--seed N]';

export async function run(args: string[]): Promise<number> {
  let file: string | undefined;
  let seconds = 10;
  let seed = 1;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--time-limit') seconds = Number(args[++i]);
    else if (arg === '--seed') seed = Number(args[++i]);
    else if ((arg === '-' || !arg.startsWith('--')) && file === undefined) file = arg;
    else {
      console.error(USAGE);
      return 2;
    }
  }
  if (!file || !(seconds > 0) || !Number.isInteger(seed)) {
    console.error(USAGE);
    return 2;
  }
  const options = { seed, timeLimitMs: seconds * 1000 };
  const text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
  if (file === '-' || file.endsWith('.json')) return vroom(text, options);
  try {
    const instance = parseInstance(file, text);
    const solution = await solveRouting(instance.problem, options);
    const asNodeId = (id: string) => (/^\d+$/.test(id) ? Number(id) : id);
    console.log(
      JSON.stringify({
        cost: reportedCost(solution.cost, instance.convention),
        vehicles: solution.routes.length,
        routes: solution.routes.map((r) => r.stops.map(asNodeId)),
        feasible: solution.feasible,
        ...(solution.unassigned.length > 0 ? { unassigned: solution.unassigned } : {}),
      }),
    );
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

/** As VROOM does: the solution on standard output, or `{"code": 2, "error"}` for a bad input (exit code 2). */
async function vroom(text: string, options: { seed: number; timeLimitMs: number }): Promise<number> {
  try {
    let input: unknown;
    try {
      input = JSON.parse(text);
    } catch {
      throw new InvalidProblemError('input', 'is not JSON');
    }
    console.log(JSON.stringify(await solveVroom(input, options)));
    return 0;
  } catch (error) {
    const known = error instanceof Error && (error.name === 'InvalidProblemError' || error.name === 'UnsolvableError');
    console.log(JSON.stringify({ code: known ? 2 : 1, error: error instanceof Error ? error.message : String(error) }));
    return known ? 2 : 1;
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
