// Solves a VROOM-format problem off the request thread.
import { parentPort } from 'node:worker_threads';
import { solveVroom, type VroomSolution } from '../../solver/formats/vroom.ts';
import { answerOf } from '../workers/ts-worker.ts';

export type VrpJob = { input: unknown; options: { seed: number; timeLimitMs: number } };

parentPort!.once('message', async (job: VrpJob) => {
  parentPort!.postMessage(await answerOf<VroomSolution>(() => solveVroom(job.input, job.options)));
});
