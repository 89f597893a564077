// What every noun's routes are built with: the database, the live hub and the road network.
import type { Db } from './db/database.ts';
import type { LiveHub } from './live/hub.ts';
import type { RoadMap } from './network/network.service.ts';
import type { LoginLimits } from './auth/login-throttle.ts';

export interface AppDeps {
  db: Db;
  live: LiveHub;
  /** The day's road network (built on first use). */
  roads: RoadMap;
  /** Where the operation runs: shifts and time windows are its local times of day (default: the system's zone). */
  timeZone?: string;
  /** The map tile URL the web app was built with (VITE_TILE_URL), which the page's CSP must allow. */
  tileUrl?: string;
  /** How many failed sign-ins are allowed, per account and per address, in what window (default: defaultLoginLimits). */
  loginLimits?: LoginLimits;
  /** Express's 'trust proxy': which proxies' X-Forwarded-For names the client (default: none, the socket's address). */
  trustProxy?: boolean | number | string;
}
