// Who may use which way and how fast: the drive and walk layers chosen from OSM tags, one-way rules,
// and the travel speed of each mode (car, van, cargo bike, on foot).
//
// Default speeds (km/h), used when a way has no usable `maxspeed`:
//   car: motorway 90, trunk 70, primary 50, secondary 45, tertiary 40, unclassified 30, residential 25,
//        road 25, service 15, living_street 10; *_link roads 60% of their class.
//   van: the car speed × 0.9, at most 80.   cargo_bike: min(car speed, 15), never on motorway or trunk.
//   foot: 4.5 on every walkable way, 2.25 on steps.
// A tagged `maxspeed` (number, "mph", "walk", or a country zone such as "FR:urban") replaces the car default.

import { InvalidProblemError } from '../errors.ts';

export type LayerName = 'drive' | 'walk';
export type Mode = 'car' | 'van' | 'cargo_bike' | 'foot';

export const MODES: readonly Mode[] = ['car', 'van', 'cargo_bike', 'foot'];
/** Throws InvalidProblemError unless `mode` is one of MODES (input may come straight from a request). */
export function checkMode(mode: unknown, field = 'mode'): asserts mode is Mode {
  if (!MODES.includes(mode as Mode)) throw new InvalidProblemError(field, `must be one of ${MODES.join(', ')}`);
}

export const LAYER_OF_MODE: Record<Mode, LayerName> = { car: 'drive', van: 'drive', cargo_bike: 'drive', foot: 'walk' };
export const MODES_OF_LAYER: Record<LayerName, readonly Mode[]> = { drive: ['car', 'van', 'cargo_bike'], walk: ['foot'] };

const CAR_KMH: Record<string, number> = {
  motorway: 90,
  trunk: 70,
  primary: 50,
  secondary: 45,
  tertiary: 40,
  unclassified: 30,
  residential: 25,
  road: 25,
  service: 15,
  living_street: 10,
};
const LINK_FACTOR = 0.6;
const VAN_FACTOR = 0.9;
const VAN_MAX_KMH = 80;
const CARGO_BIKE_KMH = 15;
const FOOT_KMH = 4.5;
const STEPS_FOOT_KMH = 2.25;

const WALK_ONLY = new Set(['footway', 'pedestrian', 'steps', 'path', 'track', 'cycleway', 'corridor', 'bridleway']);
const NO_WALK = new Set(['motorway', 'motorway_link', 'trunk', 'trunk_link']);
const DENIED = new Set(['no', 'private', 'agricultural', 'forestry', 'emergency']);
const ALLOWED = new Set(['yes', 'designated', 'permissive', 'destination', 'delivery', 'customers']);
const ZONE_KMH: Record<string, number> = { urban: 50, rural: 80, motorway: 130, trunk: 110, living_street: 20, walk: 6 };

function roadClass(highway: string): string {
  return highway.endsWith('_link') ? highway.slice(0, -5) : highway;
}

/** The most specific access tag decides (e.g. `motor_vehicle=yes` overrides `access=no`). */
function accessFor(tags: Record<string, string>, keys: readonly string[]): boolean | undefined {
  for (const key of keys) {
    const value = tags[key];
    if (value === undefined) continue;
    if (DENIED.has(value)) return false;
    if (ALLOWED.has(value)) return true;
  }
  return undefined;
}

export function isDrivable(tags: Record<string, string>): boolean {
  const highway = tags.highway;
  if (!highway || tags.area === 'yes' || !(roadClass(highway) in CAR_KMH)) return false;
  if (tags.oneway === 'reversible' || tags.oneway === 'alternating') return false;
  return accessFor(tags, ['motorcar', 'motor_vehicle', 'vehicle', 'access']) ?? true;
}

export function isWalkable(tags: Record<string, string>): boolean {
  const highway = tags.highway;
  if (!highway || !(WALK_ONLY.has(highway) || roadClass(highway) in CAR_KMH)) return false;
  const access = accessFor(tags, ['foot', 'access']);
  if (access !== undefined) return access;
  return !NO_WALK.has(highway);
}

/** +1: only along the drawing direction, -1: only against it, 0: both ways (for vehicles). */
export function onewayOf(tags: Record<string, string>): -1 | 0 | 1 {
  const oneway = tags.oneway;
  if (oneway === 'yes' || oneway === 'true' || oneway === '1') return 1;
  if (oneway === '-1' || oneway === 'reverse') return -1;
  if (oneway === 'no' || oneway === 'false' || oneway === '0') return 0;
  const highway = tags.highway ?? '';
  if (tags.junction === 'roundabout' || tags.junction === 'circular' || highway === 'motorway') return 1;
  return 0;
}

/** The posted limit in km/h, or NaN when untagged or unreadable. */
export function parseMaxspeed(value: string | undefined): number {
  if (value === undefined) return NaN;
  const text = value.trim().toLowerCase();
  if (text === 'walk') return ZONE_KMH.walk!;
  const zone = /^[a-z]{2}:([a-z_]+)$/.exec(text);
  if (zone) return ZONE_KMH[zone[1]!] ?? NaN;
  const number = /^(\d+(?:\.\d+)?)\s*(mph|km\/h|kmh)?$/.exec(text);
  if (!number) return NaN;
  const speed = Number(number[1]);
  return number[2] === 'mph' ? speed * 1.609344 : speed;
}

/** Travel speed in metres per second of `mode` on a way; 0 when the mode may not use it. */
export function speedMps(mode: Mode, highway: string, maxspeedKmh: number): number {
  if (mode === 'foot') return (highway === 'steps' ? STEPS_FOOT_KMH : FOOT_KMH) / 3.6;
  const road = roadClass(highway);
  const defaultKmh = (CAR_KMH[road] ?? CAR_KMH.road!) * (road === highway ? 1 : LINK_FACTOR);
  const carKmh = Number.isFinite(maxspeedKmh) && maxspeedKmh > 0 ? maxspeedKmh : defaultKmh;
  if (mode === 'car') return carKmh / 3.6;
  if (mode === 'van') return Math.min(carKmh * VAN_FACTOR, VAN_MAX_KMH) / 3.6;
  if (road === 'motorway' || road === 'trunk') return 0;
  return Math.min(carKmh, CARGO_BIKE_KMH) / 3.6;
}
