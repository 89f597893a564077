// What every noun's routes are built with: the database and the live hub.
import type { Db } from './db/database.ts';
import type { LiveHub } from './live/hub.ts';

export interface AppDeps {
  db: Db;
  live: LiveHub;
}
