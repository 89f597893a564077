// Travel matrices across worker threads: the solver stays single-threaded and pure; this pool snaps the
// points once, sends the plain matrix job to each worker and hands out target ranges, then row ranges, until
// all are done. The customized hierarchy goes to each worker once per closure state (tens of MB on a city).
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../workers/ts-worker.ts';
import {
  assembleMatrix,
  prepareMatrix,
  sourcesOf,
  targetBuckets,
  type CustomizedHierarchy,
  type TargetSpaces,
  type LatLon,
  type MatrixOptions,
  type MatrixRows,
  type Mode,
  type RoadNetwork,
  type TravelMatrix,
} from '../../solver/network/index.ts';
import type { MatrixWorkerRequest } from './matrix.worker.ts';

/** Row ranges per worker: several, so that a worker slowed by other load does not hold up the rest. */
const CHUNKS_PER_WORKER = 4;

export class MatrixPool {
  private readonly workers: Worker[];
  /** Key of the hierarchy each worker holds, per metric (layer and mode): one each, the latest sent. */
  private readonly held: Map<string, string>[];
  private queue: Promise<unknown> = Promise.resolve();
  private jobId = 0;

  constructor(size = availableParallelism()) {
    this.workers = Array.from({ length: Math.max(1, size) }, () => startTsWorker(new URL('./matrix.worker.ts', import.meta.url)));
    // Idle workers must not keep a process alive (a server's listener does; a finished script need not wait).
    for (const worker of this.workers) worker.unref();
    this.held = this.workers.map(() => new Map());
  }

  /** Same answer as the solver's travelMatrix; calls are served one after another. */
  travelMatrix(network: RoadNetwork, points: LatLon[], mode: Mode, options: MatrixOptions = {}): Promise<TravelMatrix> {
    const run = this.queue.then(() => this.compute(network, points, mode, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Many small matrices (each between its own points), as travelMatrix would give them one by one: each
   * worker computes whole ones, taking the next as it finishes, instead of every worker a part of each.
   */
  travelMatrices(network: RoadNetwork, pointSets: LatLon[][], mode: Mode): Promise<TravelMatrix[]> {
    const run = this.queue.then(() => this.computeMany(network, pointSets, mode));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  /**
   * Two rounds over the workers: the targets' backward searches (ranges of targets, merged here into buckets
   * that every worker then receives), then the sources' rows. Both rounds hand out several ranges per worker.
   */
  private async compute(network: RoadNetwork, points: LatLon[], mode: Mode, options: MatrixOptions): Promise<TravelMatrix> {
    const { job, snapped } = prepareMatrix(network, points, mode, options);
    const jobId = ++this.jobId;
    const { hierarchy, ...legs } = job;
    this.workers.forEach((worker, w) => {
      this.sendHierarchy(w, hierarchy);
      worker.postMessage({ kind: 'job', jobId, job: { ...legs, hierarchyKey: hierarchy.key } } satisfies MatrixWorkerRequest);
    });
    const spaces = await this.inRanges<TargetSpaces>(job.size, (from, to) => ({ kind: 'targets', jobId, fromTarget: from, toTarget: to }));
    const buckets = targetBuckets(hierarchy, spaces);
    for (const worker of this.workers) worker.postMessage({ kind: 'buckets', jobId, buckets } satisfies MatrixWorkerRequest);
    const rows = sourcesOf(job.size, options);
    const parts = await this.inRanges<MatrixRows>(rows, (from, to) => ({ kind: 'rows', jobId, fromRow: from, toRow: to }));
    return assembleMatrix(network, mode, snapped, parts, rows);
  }

  /** Each set's points are snapped as a worker takes it, so that the main thread never snaps a district's doors in one go. */
  private async computeMany(network: RoadNetwork, pointSets: LatLon[][], mode: Mode): Promise<TravelMatrix[]> {
    const matrices = new Array<TravelMatrix>(pointSets.length);
    let next = 0;
    await Promise.all(
      this.workers.map(async (worker, w) => {
        for (let i = next++; i < pointSets.length; i = next++) {
          const { job, snapped } = prepareMatrix(network, pointSets[i], mode);
          const { hierarchy, ...legs } = job;
          this.sendHierarchy(w, hierarchy);
          const rows = await this.ask<MatrixRows>(worker, { kind: 'whole', job: { ...legs, hierarchyKey: hierarchy.key } });
          matrices[i] = assembleMatrix(network, mode, snapped, [rows]);
        }
      }),
    );
    return matrices;
  }

  /** Splits 0 .. size-1 into ranges and hands them to whichever worker is free. */
  private async inRanges<R>(size: number, request: (from: number, to: number) => MatrixWorkerRequest): Promise<R[]> {
    const chunk = Math.max(1, Math.ceil(size / (this.workers.length * CHUNKS_PER_WORKER)));
    const ranges: [number, number][] = [];
    for (let from = 0; from < size; from += chunk) ranges.push([from, Math.min(size, from + chunk)]);
    const results: R[] = [];
    await Promise.all(
      this.workers.map(async (worker) => {
        for (let range = ranges.shift(); range; range = ranges.shift()) results.push(await this.ask<R>(worker, request(...range)));
      }),
    );
    return results;
  }

  /** Sends the hierarchy unless the worker has it, and has the worker forget the one it replaces. */
  private sendHierarchy(w: number, hierarchy: CustomizedHierarchy): void {
    const held = this.held[w].get(hierarchy.metric);
    if (held === hierarchy.key) return;
    if (held !== undefined) this.workers[w].postMessage({ kind: 'forget', key: held } satisfies MatrixWorkerRequest);
    this.workers[w].postMessage({ kind: 'hierarchy', hierarchy } satisfies MatrixWorkerRequest);
    this.held[w].set(hierarchy.metric, hierarchy.key);
  }

  private ask<R>(worker: Worker, request: MatrixWorkerRequest): Promise<R> {
    return new Promise((resolve, reject) => {
      const done = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
      };
      const onMessage = (answer: R) => {
        done();
        resolve(answer);
      };
      const onError = (error: Error) => {
        done();
        reject(error);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.postMessage(request);
    });
  }
}
