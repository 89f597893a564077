// Configuration from the environment, read once at start.
import { resolve } from 'node:path';
import { defaultLoginLimits, type LoginLimits } from './auth/login-throttle.ts';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  demoPassword: string;
  seedDemo: boolean;
  /** The OpenStreetMap extract of the area served (.osm.pbf, .osm or .osm.gz). */
  mapFile: string | undefined;
  /** Servers sharing a database pass live events on this channel (one per deployment). */
  liveChannel: string;
  /** Stored live events older than this, and acknowledged by every recipient, are dropped. */
  liveKeepDays: number;
  /** Where the operation runs: shifts are its local times of day. */
  timeZone: string;
  /** Failed sign-ins allowed per account and per address within a window. */
  loginLimits: LoginLimits;
  /** Which proxies in front are trusted to name the client in X-Forwarded-For (Express's 'trust proxy'); false: none. */
  trustProxy: boolean | number | string;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    demoPassword: env.LIFELINE_DEMO_PASSWORD ?? 'lifeline-demo',
    seedDemo: env.LIFELINE_SEED_DEMO !== 'false',
    mapFile: env.LIFELINE_MAP ? resolve(env.LIFELINE_MAP) : undefined,
    liveChannel: env.LIFELINE_LIVE_CHANNEL ?? 'lifeline',
    liveKeepDays: Number(env.LIFELINE_LIVE_KEEP_DAYS ?? 7),
    timeZone: knownTimeZone(env.LIFELINE_TIMEZONE ?? Intl.DateTimeFormat().resolvedOptions().timeZone),
    loginLimits: {
      perAccount: positive('LIFELINE_LOGIN_MAX_FAILURES', env.LIFELINE_LOGIN_MAX_FAILURES, defaultLoginLimits.perAccount),
      perAddress: positive('LIFELINE_LOGIN_MAX_FAILURES_PER_ADDRESS', env.LIFELINE_LOGIN_MAX_FAILURES_PER_ADDRESS, defaultLoginLimits.perAddress),
      windowS: positive('LIFELINE_LOGIN_WINDOW_S', env.LIFELINE_LOGIN_WINDOW_S, defaultLoginLimits.windowS),
    },
    trustProxy: trustProxy(env.LIFELINE_TRUST_PROXY),
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

function knownTimeZone(zone: string): string {
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw new Error(`LIFELINE_TIMEZONE: unknown time zone "${zone}" (an IANA name such as Europe/Monaco)`);
  }
}
