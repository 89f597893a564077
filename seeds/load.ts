// Loads the demo into an empty database from the OpenStreetMap extract shipped in seeds/osm/.
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { Db } from '../server/db/database.ts';
import { parseOsmPbf } from '../solver/network/osm-pbf.ts';
import { isEmpty, seedDemo, type DemoLogin } from './demo.ts';

export const DEMO_MAP = fileURLToPath(new URL('./osm/monaco.osm.pbf', import.meta.url));

/** Seeds the demo when the database is empty; returns the logins it created, or undefined if it did nothing. */
export async function seedIfEmpty(db: Db, password: string): Promise<DemoLogin[] | undefined> {
  if (!(await isEmpty(db))) return undefined;
  const osm = parseOsmPbf(readFileSync(DEMO_MAP), (bytes) => inflateSync(bytes));
  return seedDemo(db, osm, password);
}
