// `lifeline vrp <instance> [--time-limit S] [--seed N]`: solves a CVRPLIB, VRPLIB-TW, Solomon or Cordeau
// file and prints {"cost","vehicles","routes","feasible"}, routes as the file's node ids.
import { readFile } from 'node:fs/promises';
import { parseInstance } from '../../solver/formats/index.ts';
import { reportedCost } from '../../solver/formats/instance.ts';
import { solveRouting } from '../../solver/routing/solve.ts';

const USAGE = 'usage: lifeline vrp <instance> [--time-limit seconds] [--seed N]';

export async function run(args: string[]): Promise<number> {
  let file: string | undefined;
  let seconds = 10;
  let seed = 1;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--time-limit') seconds = Number(args[++i]);
    else if (arg === '--seed') seed = Number(args[++i]);
    else if (!arg.startsWith('--') && file === undefined) file = arg;
    else {
      console.error(USAGE);
      return 2;
    }
  }
  if (!file || !(seconds > 0) || !Number.isInteger(seed)) {
    console.error(USAGE);
    return 2;
  }
  try {
    const instance = parseInstance(file, await readFile(file, 'utf8'));
    const solution = await solveRouting(instance.problem, { seed, timeLimitMs: seconds * 1000 });
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
