// Worker thread of the matrix pool: keeps the customized hierarchies it was sent until told to forget them
// (so that one is sent once per closure state, not once per matrix) and the current matrix job, and computes
// the target searches and row ranges it is sent with the same pure code as the single-threaded travelMatrix.
import { parentPort } from 'node:worker_threads';
import {
  computeMatrixRows,
  computeTargetSpaces,
  type CustomizedHierarchy,
  type MatrixJob,
  type TargetBuckets,
} from '../../solver/network/index.ts';

/** A job as sent: its hierarchy named by key, the hierarchy itself having been sent before. */
export type PostedMatrixJob = Omit<MatrixJob, 'hierarchy'> & { hierarchyKey: string };

export type MatrixWorkerRequest =
  | { kind: 'hierarchy'; hierarchy: CustomizedHierarchy }
  | { kind: 'forget'; key: string }
  | { kind: 'job'; jobId: number; job: PostedMatrixJob }
  | { kind: 'targets'; jobId: number; fromTarget: number; toTarget: number }
  | { kind: 'buckets'; jobId: number; buckets: TargetBuckets }
  | { kind: 'rows'; jobId: number; fromRow: number; toRow: number }
  /** A small matrix computed whole here (one of many a pool call hands out: a district's zones on foot). */
  | { kind: 'whole'; job: PostedMatrixJob };

const hierarchies = new Map<string, CustomizedHierarchy>();
let current: { jobId: number; job: MatrixJob } | undefined;

parentPort!.on('message', (request: MatrixWorkerRequest) => {
  if (request.kind === 'hierarchy') {
    hierarchies.set(request.hierarchy.key, request.hierarchy);
    return;
  }
  if (request.kind === 'forget') {
    hierarchies.delete(request.key);
    return;
  }
  if (request.kind === 'job') {
    current = { jobId: request.jobId, job: withHierarchy(request.job) };
    return;
  }
  if (request.kind === 'whole') {
    const rows = computeMatrixRows(withHierarchy(request.job), 0, request.job.size);
    parentPort!.postMessage(rows, [rows.timesS.buffer as ArrayBuffer, rows.distancesM.buffer as ArrayBuffer]);
    return;
  }
  if (current?.jobId !== request.jobId) throw new Error(`matrix worker has no job ${request.jobId}`);
  if (request.kind === 'targets') {
    const spaces = computeTargetSpaces(current.job, request.fromTarget, request.toTarget);
    parentPort!.postMessage(spaces, [spaces.start, spaces.node, spaces.timeS, spaces.lengthM].map((array) => array.buffer as ArrayBuffer));
    return;
  }
  if (request.kind === 'buckets') {
    current.job.buckets = request.buckets;
    return;
  }
  const rows = computeMatrixRows(current.job, request.fromRow, request.toRow);
  parentPort!.postMessage(rows, [rows.timesS.buffer as ArrayBuffer, rows.distancesM.buffer as ArrayBuffer]);
});

function withHierarchy({ hierarchyKey, ...legs }: PostedMatrixJob): MatrixJob {
  const hierarchy = hierarchies.get(hierarchyKey);
  if (!hierarchy) throw new Error(`matrix worker has no hierarchy ${hierarchyKey}`);
  return { ...legs, hierarchy };
}
