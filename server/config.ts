// Configuration from the environment, read once at start.
import { resolve } from 'node:path';
import { fanouts, type Fanout } from './live/fanout.ts';

export interface Config {
  port: number;
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
  /** How an event reaches this node's sockets: pre-built frames written to idle WebSockets, or Socket.IO's own broadcast. */
  liveFanout: Fanout;
  /** Where the operation runs: shifts are its local times of day. */
  timeZone: string;
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
    tileUrl: env.VITE_TILE_URL || undefined,
    liveChannel: env.LIFELINE_LIVE_CHANNEL ?? 'lifeline',
    liveKeepDays: Number(env.LIFELINE_LIVE_KEEP_DAYS ?? 7),
    liveFanout: oneOf('LIFELINE_LIVE_FANOUT', env.LIFELINE_LIVE_FANOUT ?? 'frames', fanouts),
    timeZone: knownTimeZone(env.LIFELINE_TIMEZONE ?? Intl.DateTimeFormat().resolvedOptions().timeZone),
  };
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
