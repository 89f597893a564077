// Picks the reader for a benchmark file from its name and content.
import { parseCordeau } from './cordeau.ts';
import type { BenchmarkInstance } from './instance.ts';
import { parseSolomon } from './solomon.ts';
import { parseVrplib } from './vrplib.ts';

export function parseInstance(fileName: string, text: string): BenchmarkInstance {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
  if (/\bNODE_COORD_SECTION\b/.test(text)) return parseVrplib(text, base);
  if (/CUST\s+NO\./i.test(text)) return parseSolomon(text);
  return parseCordeau(text, base);
}
