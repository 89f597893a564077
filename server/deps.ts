// What every noun's routes are built with: the database, the live outbox and gateway, and the road network.
import type { Db } from './db/database.ts';
import type { LiveGateway } from './live/gateway.ts';
import type { Outbox } from './live/outbox.ts';
import type { RoadMap } from './network/network.service.ts';
import type { LoginLimits } from './auth/login-throttle.ts';
import type { OverloadLimits } from './http/overload.ts';
import type { JobQueue } from './jobs/jobs.service.ts';
import type { KnownSessions } from './auth/auth.service.ts';

export interface AppDeps {
  db: Db;
  /** The door to a transaction whose change announces live events. */
  outbox: Outbox;
  /** The sockets: transient broadcasts, and closing those of a revoked session or a changed user. */
  live: LiveGateway;
  /** The day's road network (built on first use). */
  roads: RoadMap;
  /** Plans, dispatches and re-plans, queued in the database and run by whichever process takes jobs. */
  jobs: JobQueue;
  /** Where the operation runs: shifts and time windows are its local times of day (default: the system's zone). */
  timeZone?: string;
  /** The map tile URL the web app was built with (VITE_TILE_URL), which the page's CSP must allow. */
  tileUrl?: string;
  /** How many failed sign-ins are allowed, per account and per address, in what window (default: defaultLoginLimits). */
  loginLimits?: LoginLimits;
  /** When requests are shed at the door: event-loop delay and requests in hand per lane (default: defaultOverloadLimits). */
  overload?: OverloadLimits;
  /** Sessions seen live lately (shared with the door in front of the app, which lets staff into its reserve). */
  sessions?: KnownSessions;
  /** Express's 'trust proxy': which proxies' X-Forwarded-For names the client (default: none, the socket's address). */
  trustProxy?: boolean | number | string;
}
