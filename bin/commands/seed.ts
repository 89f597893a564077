// `lifeline seed`: loads the demo scenario into the configured database if it is empty (demo mode only).
import { readConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/open.ts';
import { seedIfEmpty } from '../../seeds/load.ts';

export async function run(): Promise<number> {
  const config = readConfig();
  if (config.mode === 'production') {
    console.error('seed: production mode does not load the demo (create accounts with `lifeline add-user`)');
    return 2;
  }
  const db = await openDatabase(config);
  try {
    const logins = await seedIfEmpty(db, config.demoPassword);
    console.log(logins ? `Seeded the demo: ${logins.length} logins, password ${config.demoPassword}` : 'The database is not empty; nothing seeded.');
    return 0;
  } finally {
    await db.close();
  }
}
