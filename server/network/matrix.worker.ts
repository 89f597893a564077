// Worker thread of the matrix pool: keeps the current matrix job and computes the row ranges it is sent,
// with the same pure code as the single-threaded travelMatrix.
import { parentPort } from 'node:worker_threads';
import { computeMatrixRows, type MatrixJob } from '../../solver/network/index.ts';

export type MatrixWorkerRequest = { kind: 'job'; jobId: number; job: MatrixJob } | { kind: 'rows'; jobId: number; fromRow: number; toRow: number };

let current: { jobId: number; job: MatrixJob } | undefined;

parentPort!.on('message', (request: MatrixWorkerRequest) => {
  if (request.kind === 'job') {
    current = { jobId: request.jobId, job: request.job };
    return;
  }
  if (current?.jobId !== request.jobId) throw new Error(`matrix worker has no job ${request.jobId}`);
  const rows = computeMatrixRows(current.job, request.fromRow, request.toRow);
  parentPort!.postMessage(rows, [rows.timesS.buffer as ArrayBuffer, rows.distancesM.buffer as ArrayBuffer]);
});
