// Travel matrices across worker threads: the solver stays single-threaded and pure; this pool snaps the
// points once, sends the plain matrix job to each worker and hands out row ranges until all are done.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../workers/ts-worker.ts';
import {
  assembleMatrix,
  prepareMatrix,
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
  private queue: Promise<unknown> = Promise.resolve();
  private jobId = 0;

  constructor(size = availableParallelism()) {
    this.workers = Array.from({ length: Math.max(1, size) }, () => startTsWorker(new URL('./matrix.worker.ts', import.meta.url)));
  }

  /** Same answer as the solver's travelMatrix; calls are served one after another. */
  travelMatrix(network: RoadNetwork, points: LatLon[], mode: Mode, options: MatrixOptions = {}): Promise<TravelMatrix> {
    const run = this.queue.then(() => this.compute(network, points, mode, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private async compute(network: RoadNetwork, points: LatLon[], mode: Mode, options: MatrixOptions): Promise<TravelMatrix> {
    const { job, snapped } = prepareMatrix(network, points, mode, options);
    const jobId = ++this.jobId;
    const chunk = Math.max(1, Math.ceil(job.size / (this.workers.length * CHUNKS_PER_WORKER)));
    const ranges: [number, number][] = [];
    for (let from = 0; from < job.size; from += chunk) ranges.push([from, Math.min(job.size, from + chunk)]);
    const parts: MatrixRows[] = [];
    await Promise.all(
      this.workers.map(async (worker) => {
        worker.postMessage({ kind: 'job', jobId, job } satisfies MatrixWorkerRequest);
        for (let range = ranges.shift(); range; range = ranges.shift()) {
          parts.push(await this.rows(worker, { kind: 'rows', jobId, fromRow: range[0], toRow: range[1] }));
        }
      }),
    );
    return assembleMatrix(network, mode, snapped, parts);
  }

  private rows(worker: Worker, request: MatrixWorkerRequest): Promise<MatrixRows> {
    return new Promise((resolve, reject) => {
      const done = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
      };
      const onMessage = (rows: MatrixRows) => {
        done();
        resolve(rows);
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
