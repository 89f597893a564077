// `lifeline seed`: loads the demo scenario into the configured database if it is empty (demo mode only).
// `lifeline seed --district <households> [--seed N] [--map path]`: loads a generated district instead, and
// writes its road graph to an .osm.gz file for LIFELINE_MAP.
import { join } from 'node:path';
import { readConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/open.ts';
import { seedIfEmpty } from '../../seeds/load.ts';
import { isEmpty } from '../../seeds/demo.ts';
import { generateDistrict } from '../../seeds/district/generate.ts';
import { seedDistrict, writeDistrictMap } from '../../seeds/district/load.ts';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

export async function run(args: string[] = []): Promise<number> {
  const config = readConfig();
  if (config.mode === 'production') {
    console.error('seed: production mode does not load the demo (create accounts with `lifeline add-user`)');
    return 2;
  }
  const district = option(args, 'district');
  const households = Number(district);
  const seed = Number(option(args, 'seed') ?? 1);
  if (district !== undefined && !(Number.isInteger(households) && households > 0)) {
    console.error('seed: --district takes the number of households, e.g. --district 20000');
    return 2;
  }
  if (!Number.isInteger(seed)) {
    console.error('seed: --seed takes a whole number');
    return 2;
  }
  const db = await openDatabase(config);
  try {
    if (district === undefined) {
      const logins = await seedIfEmpty(db, config.demoPassword);
      console.log(logins ? `Seeded the demo: ${logins.length} logins, password ${config.demoPassword}` : 'The database is not empty; nothing seeded.');
      return 0;
    }
    if (!(await isEmpty(db))) {
      console.log('The database is not empty; nothing seeded.');
      return 0;
    }
    const generated = generateDistrict({ households, seed });
    const map = option(args, 'map') ?? join(config.dataDir, `district-${households}-${seed}.osm.gz`);
    writeDistrictMap(generated, map);
    const seeded = await seedDistrict(db, generated, config.demoPassword);
    console.log(`Seeded a district: ${Object.entries(seeded).map(([k, v]) => `${v} ${k}`).join(', ')}; password ${config.demoPassword}.`);
    console.log(`Its road graph is in ${map}: start the server with LIFELINE_MAP=${map}`);
    return 0;
  } finally {
    await db.close();
  }
}
