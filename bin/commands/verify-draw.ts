// `lifeline verify-draw <results.json>`: recomputes a campaign's draw from its published results (the revealed
// seed and the entries' hashed receipts, tiers and quantities) and confirms it (exit 0) or names the first
// mismatch (exit 1). A file that cannot be read as results exits with 2.
import { readFile } from 'node:fs/promises';
import { verifyDraw, type DrawResults } from '../../server/campaigns/draw.ts';
import { drawResultsFile } from '../../server/campaigns/campaigns.schema.ts';

const USAGE = 'usage: lifeline verify-draw <results.json>   (the file GET /api/campaigns/:id/results answers)';

export async function run(args: string[]): Promise<number> {
  const [file] = args;
  if (!file || args.length > 1) {
    console.error(USAGE);
    return 2;
  }
  let results: DrawResults;
  try {
    const parsed = drawResultsFile.safeParse(JSON.parse(await readFile(file, 'utf8')));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      console.error(`not a results file: ${issue.path.join('.') || '(top)'}: ${issue.message}`);
      return 2;
    }
    results = parsed.data as unknown as DrawResults;
  } catch (error) {
    console.error(`cannot read ${file}: ${(error as Error).message}`);
    return 2;
  }
  const mismatch = verifyDraw(results);
  if (mismatch) {
    console.error(`REFUTED: ${mismatch}`);
    return 1;
  }
  const winners = results.entries.filter((e) => e.outcome === 'won').length;
  console.log(`CONFIRMED: seed matches seedHash; ${results.entries.length} entries, ${winners} winners, ranks and outcomes as published`);
  return 0;
}
