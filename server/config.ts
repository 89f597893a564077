// Configuration from the environment, read once at start.
import { resolve } from 'node:path';
import { defaultLoginLimits, type LoginLimits } from './auth/login-throttle.ts';
import { defaultOverloadLimits, type OverloadLimits } from './http/overload.ts';
import { defaultDoorLimits, type DoorLimits } from './http/door.ts';

/** The demo's password, published in the README: no account may keep it in production. */
export const PUBLISHED_DEMO_PASSWORD = 'lifeline-demo';

export const modes = ['demo', 'production'] as const;
/** demo: loads the demo scenario and prints its logins; production: refuses anything demo. */
export type Mode = (typeof modes)[number];

export interface Config {
  mode: Mode;
  port: number;
  /** Loopback unless HOST says otherwise, so that a demo is not served to the whole network. */
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  demoPassword: string;
  seedDemo: boolean;
  /** The OpenStreetMap extract of the area served (.osm.pbf, .osm or .osm.gz). */
  mapFile: string | undefined;
  /** The map tile URL template the web app was built with (VITE_TILE_URL); the CSP allows its images. */
  tileUrl: string | undefined;
  /** Servers sharing a database pass live events on this channel (one per deployment). */
  liveChannel: string;
  /** Stored live events older than this, and acknowledged by every recipient, are dropped. */
  liveKeepDays: number;
  /** Where the operation runs: shifts are its local times of day. */
  timeZone: string;
  /** Failed sign-ins allowed per account and per address within a window. */
  loginLimits: LoginLimits;
  /** When the public's requests are refused at the door (503, Retry-After): event-loop delay and requests in hand. */
  overload: OverloadLimits;
  /** Connections open at once, and the staff's reserve above them (the door in front of Express). */
  door: DoorLimits;
  /** Which proxies in front are trusted to name the client in X-Forwarded-For (Express's 'trust proxy'); false: none. */
  trustProxy: boolean | number | string;
  /** Solve jobs: whether this process runs them, how many of each kind at once, how long a request waits for one. */
  jobs: { process: boolean; concurrency: number; waitMs: number; schema: string };
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const mode = env.NODE_ENV === 'production' ? 'production' : oneOf('LIFELINE_MODE', env.LIFELINE_MODE ?? 'demo', modes);
  if (mode === 'production') refuseDemo(env);
  if (env.LIFELINE_JOBS === 'off' && !env.DATABASE_URL) {
    throw new Error('LIFELINE_JOBS=off leaves plans and dispatches to `lifeline worker` processes, which share a PostgreSQL server: set DATABASE_URL too');
  }
  return {
    mode,
    port: Number(env.PORT ?? 3000),
    host: env.HOST || '127.0.0.1',
    dataDir: resolve(env.DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    demoPassword: env.LIFELINE_DEMO_PASSWORD ?? PUBLISHED_DEMO_PASSWORD,
    seedDemo: mode === 'demo' && env.LIFELINE_SEED_DEMO !== 'false',
    mapFile: env.LIFELINE_MAP ? resolve(env.LIFELINE_MAP) : undefined,
    tileUrl: env.VITE_TILE_URL || undefined,
    liveChannel: env.LIFELINE_LIVE_CHANNEL ?? 'lifeline',
    liveKeepDays: Number(env.LIFELINE_LIVE_KEEP_DAYS ?? 7),
    timeZone: knownTimeZone(env.LIFELINE_TIMEZONE ?? Intl.DateTimeFormat().resolvedOptions().timeZone),
    loginLimits: {
      perAccount: positive('LIFELINE_LOGIN_MAX_FAILURES', env.LIFELINE_LOGIN_MAX_FAILURES, defaultLoginLimits.perAccount),
      perAddress: positive('LIFELINE_LOGIN_MAX_FAILURES_PER_ADDRESS', env.LIFELINE_LOGIN_MAX_FAILURES_PER_ADDRESS, defaultLoginLimits.perAddress),
      windowS: positive('LIFELINE_LOGIN_WINDOW_S', env.LIFELINE_LOGIN_WINDOW_S, defaultLoginLimits.windowS),
    },
    overload: {
      ...defaultOverloadLimits,
      maxDelayMs: positive('LIFELINE_SHED_DELAY_MS', env.LIFELINE_SHED_DELAY_MS, defaultOverloadLimits.maxDelayMs),
      targetMs: positive('LIFELINE_SHED_TARGET_MS', env.LIFELINE_SHED_TARGET_MS, defaultOverloadLimits.targetMs),
      maxInFlight: { ...defaultOverloadLimits.maxInFlight, public: positive('LIFELINE_MAX_IN_FLIGHT', env.LIFELINE_MAX_IN_FLIGHT, defaultOverloadLimits.maxInFlight.public) },
    },
    door: { ...defaultDoorLimits, maxConnections: Math.ceil(positive('LIFELINE_MAX_CONNECTIONS', env.LIFELINE_MAX_CONNECTIONS, defaultDoorLimits.maxConnections)) },
    trustProxy: trustProxy(env.LIFELINE_TRUST_PROXY),
    jobs: {
      process: oneOf('LIFELINE_JOBS', env.LIFELINE_JOBS || 'on', ['on', 'off']) === 'on',
      concurrency: Math.ceil(positive('LIFELINE_JOB_CONCURRENCY', env.LIFELINE_JOB_CONCURRENCY, 2)),
      waitMs: 1000 * positive('LIFELINE_JOB_WAIT_S', env.LIFELINE_JOB_WAIT_S, 60),
      schema: env.LIFELINE_JOBS_SCHEMA || 'pgboss',
    },
  };
}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!(n > 0)) throw new Error(`${name}: expected a positive number, got "${value}"`);
  return n;
}

/** 'true' (every proxy), a number of hops, or addresses and subnets ('loopback', '10.0.0.0/8, 172.16.0.0/12'). */
function trustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** Production never loads the demo or its passwords; asking for them there is a mistake worth stopping for. */
function refuseDemo(env: NodeJS.ProcessEnv): void {
  const asked = [env.LIFELINE_SEED_DEMO && env.LIFELINE_SEED_DEMO !== 'false' && 'LIFELINE_SEED_DEMO', env.LIFELINE_DEMO_PASSWORD !== undefined && 'LIFELINE_DEMO_PASSWORD'].filter(Boolean);
  if (asked.length) {
    throw new Error(`production mode does not load the demo or its passwords: unset ${asked.join(' and ')} (or run without LIFELINE_MODE/NODE_ENV=production for the demo)`);
  }
}

function knownTimeZone(zone: string): string {
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw new Error(`LIFELINE_TIMEZONE: unknown time zone "${zone}" (an IANA name such as Europe/Monaco)`);
  }
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new Error(`${name}: expected one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}
