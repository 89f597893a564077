// The day's road network: the OpenStreetMap extract built once (lazily), with the closures and sealed
// zones recorded in the database applied as edge state. Before each use the restrictions are brought in
// line with the database, touching only the roads they act on, so the next plan or re-route sees them.
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Db } from '../db/database.ts';
import { sealedZoneFingerprints, sealedZones } from '../zones/zones.service.ts';
import * as repo from './network.repo.ts';
import { NotFoundError, ConflictError, invalidField } from '../http/errors.ts';
import { InvalidProblemError } from '../../solver/errors.ts';
import {
  addClosure,
  buildRoadNetwork,
  findPath,
  liftClosure,
  liftSealedZone,
  tryRestriction,
  networkGeoJson,
  sealZone,
  type MatrixOptions,
  type TravelMatrix,
  type LatLon,
  type Mode,
  type OsmData,
  type RoadNetwork,
  type LayerName,
} from '../../solver/network/index.ts';
import { loadOsmFile } from './osm-file.ts';
import { MatrixPool } from './matrix-pool.ts';
import type { Closure, NewClosure, PathAnswer } from './network.schema.ts';
import { pageOf, type Page, type Paging } from '../http/paging.ts';
import { EncodedJson } from '../http/encoded-json.ts';

export const DEFAULT_MAP = fileURLToPath(new URL('../../seeds/osm/monaco.osm.pbf', import.meta.url));

/** A closure or sealed zone the database holds, as the network applies it. */
interface WantedRestriction {
  key: string;
  /** What it acts on: a restriction whose fingerprint changed is lifted and applied again. */
  fingerprint: string;
  apply(): void;
  lift(): void;
}

interface ZoneRestriction {
  id: number;
  fingerprint: string;
  polygon: { type: 'Polygon'; coordinates: number[][][] };
  gates: LatLon[];
}

// Parsing is the slow part and its result never changes: one parse per map file per process.
const parsedMaps = new Map<string, Promise<OsmData>>();
/** Map layers kept encoded (drive and walk at the default tolerance, and two others asked for lately). */
const KEPT_LAYERS = 4;

export class RoadMap {
  private built: Promise<RoadNetwork> | undefined;
  /** The restrictions applied to the network, by key ('closure 3', 'zone 5'). */
  private applied = new Map<string, WantedRestriction>();
  private syncing: Promise<void> = Promise.resolve();
  private geojson = new Map<string, Promise<EncodedJson>>();
  private pool: MatrixPool | undefined;

  constructor(
    private readonly db: Db,
    readonly mapFile: string = DEFAULT_MAP,
  ) {}

  /** The network with today's closures and sealed zones applied. */
  async network(): Promise<RoadNetwork> {
    const network = await (this.built ??= this.build());
    // One sync at a time: two interleaved would each see a new zone missing and both apply it.
    const sync = this.syncing.catch(() => {}).then(() => this.sync(network));
    this.syncing = sync;
    await sync;
    return network;
  }

  /**
   * A layer of the map as GeoJSON, encoded once. Only the last few asked for are kept: the tolerance is the
   * client's choice, and a layer is megabytes at district scale.
   */
  geoJson(layer: LayerName, simplifyToleranceM: number): Promise<EncodedJson> {
    const key = `${layer}:${simplifyToleranceM}`;
    const layerJson = this.geojson.get(key) ?? this.network().then((network) => EncodedJson.of(networkGeoJson(network, { layer, simplifyToleranceM })));
    this.geojson.delete(key);
    this.geojson.set(key, layerJson);
    while (this.geojson.size > KEPT_LAYERS) this.geojson.delete(this.geojson.keys().next().value!);
    layerJson.catch(() => this.geojson.delete(key));
    return layerJson;
  }

  async path(from: LatLon, to: LatLon, mode: Mode): Promise<PathAnswer> {
    const result = findPath(await this.network(), from, to, mode);
    return result.reachable
      ? { reachable: true, timeS: result.timeS, lengthM: result.lengthM, geometry: result.geometry, from: result.from.point, to: result.to.point }
      : { reachable: false, reason: result.reason };
  }

  /**
   * Travel times and distances between the points (Infinity, with `why`, where unreachable): from every
   * point, or from the first `sources` only. Computed on the matrix pool's worker threads, so a district's
   * matrix never holds up the server's requests.
   */
  async travelMatrix(points: LatLon[], mode: Mode, options: MatrixOptions = {}): Promise<TravelMatrix> {
    return this.matrixPool().travelMatrix(await this.network(), points, mode, options);
  }

  /** Many small matrices, each between its own points (a district's zones on foot), on the same threads. */
  async travelMatrices(pointSets: LatLon[][], mode: Mode): Promise<TravelMatrix[]> {
    return this.matrixPool().travelMatrices(await this.network(), pointSets, mode);
  }

  private matrixPool(): MatrixPool {
    return (this.pool ??= new MatrixPool(Math.min(2, availableParallelism())));
  }

  async listClosures(): Promise<Closure[]> {
    return repo.openClosures(this.db);
  }

  /** A page of the closures in force (a few dozen on a bad day: held whole). */
  async closurePage(query: Paging<'id' | 'createdAt' | 'reason'> & { layer?: Closure['layer'] }): Promise<Page<Closure>> {
    const closures = (await this.listClosures()).filter((c) => !query.layer || c.layer === query.layer);
    return pageOf(closures, query, { id: (c) => c.id, createdAt: (c) => c.createdAt, reason: (c) => c.reason }, (c) => c.id);
  }

  /** Records a closure; one that matches no road is refused (400) and nothing is recorded. */
  async close(input: NewClosure, actorId: number): Promise<Closure & { segments: number }> {
    const network = await this.network();
    return this.db.transaction(async (tx) => {
      const closure = await repo.insertClosure(tx, { ...input, createdBy: actorId });
      // Trying it on the network validates it; the database row is the truth the next sync applies.
      const applied = tryRestriction(network, (n) => addClosure(n, { id: closure.id, layer: closure.layer, where: { near: closure, radiusM: closure.radiusM }, slowFactor: closure.slowFactor ?? undefined }));
      return { ...closure, segments: applied.segments };
    });
  }

  /**
   * Refuses a sealed zone the network cannot enforce (a gate no vehicle can reach): tried on the
   * network, then lifted again. `field` prefixes the offending part, e.g. `body.gates.0`.
   */
  async checkSealedZone(polygon: ZoneRestriction['polygon'], gates: LatLon[], field: string): Promise<void> {
    const network = await this.network();
    try {
      tryRestriction(network, (n) => sealZone(n, { id: -1, polygon, gates }));
    } catch (error) {
      if (error instanceof InvalidProblemError) throw invalidField(`${field}.${error.field.replace(/^gates\[(\d+)\]/, 'gates.$1')}`, error.reason);
      throw error;
    }
  }

  async lift(id: number, actorId: number, reason?: string): Promise<Closure> {
    const closure = await repo.findClosure(this.db, id);
    if (!closure) throw new NotFoundError('closure', id);
    if (closure.liftedAt) throw new ConflictError(`closure ${id} was lifted already`);
    return repo.liftClosure(this.db, id, actorId, reason ?? null);
  }

  private async build(): Promise<RoadNetwork> {
    let parsed = parsedMaps.get(this.mapFile);
    if (!parsed) parsedMaps.set(this.mapFile, (parsed = loadOsmFile(this.mapFile)));
    return buildRoadNetwork(await parsed);
  }

  /**
   * Brings the restrictions in line with the database, changing only what changed: a new closure is added
   * alone (re-applying a district's thousand zones for it took 0.4 s of the main thread), a lifted one or an
   * unsealed or redrawn zone lifted alone. Zones are compared by fingerprint; only new or redrawn ones are
   * read whole (reading every polygon took 160–350 ms of every use at 200,000 households).
   */
  private async sync(network: RoadNetwork): Promise<void> {
    const closures = await this.listClosures();
    const closureFingerprint = (c: Closure) => JSON.stringify([c.layer, c.lat, c.lon, c.radiusM, c.slowFactor]);
    const current = new Map<string, string>([
      ...closures.map((c) => [`closure ${c.id}`, closureFingerprint(c)] as const),
      ...(await sealedZoneFingerprints(this.db)).map((z) => [`zone ${z.id}`, z.fingerprint] as const),
    ]);
    for (const [key, applied] of this.applied) {
      if (current.get(key) === applied.fingerprint) continue;
      applied.lift();
      this.applied.delete(key);
    }
    const missing = [...current.keys()].filter((key) => !this.applied.has(key));
    if (missing.length === 0) return;
    const zones: ZoneRestriction[] = await sealedZones(this.db, missing.filter((key) => key.startsWith('zone ')).map((key) => Number(key.slice(5))));
    const wanted: WantedRestriction[] = [
      ...closures.filter((c) => !this.applied.has(`closure ${c.id}`)).map((c) => ({
        key: `closure ${c.id}`,
        fingerprint: closureFingerprint(c),
        apply: () => addClosure(network, { id: c.id, layer: c.layer, where: { near: c, radiusM: c.radiusM }, slowFactor: c.slowFactor ?? undefined }),
        lift: () => liftClosure(network, c.id),
      })),
      ...zones.map((zone) => ({
        key: `zone ${zone.id}`,
        fingerprint: zone.fingerprint,
        apply: () => sealZone(network, { id: zone.id, polygon: zone.polygon, gates: zone.gates }),
        lift: () => liftSealedZone(network, zone.id),
      })),
    ];
    for (const w of wanted) {
      try {
        w.apply();
        this.applied.set(w.key, w);
      } catch (error) {
        // Zones are checked when drawn; one that no longer fits the map must not stop every plan (nor be
        // tried again at every use: it is noted as it is, with nothing to lift).
        console.error(`network: ${w.key} not applied: ${(error as Error).message}`);
        this.applied.set(w.key, { ...w, lift: () => {} });
      }
    }
  }
}
