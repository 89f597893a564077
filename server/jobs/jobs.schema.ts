// Solve jobs as the API shows them: which plan, how far, and the answer or the refusal it ended with.
import { z } from 'zod';
import type { ErrorCode } from '../http/errors.ts';

/** The solves that run as jobs: a plan's allocation, its dispatch, and a re-plan of its routes under way. */
export const jobKinds = ['plan', 'dispatch', 'replan'] as const;
export type JobKind = (typeof jobKinds)[number];

export type JobState = 'queued' | 'running' | 'done' | 'failed';

/** The refusal a job ended with, as the request that waited for it would have answered (problem+json). */
export interface JobError {
  status: number;
  code: ErrorCode;
  title: string;
  detail: string;
  extra: Record<string, unknown>;
}

export interface JobView {
  id: string;
  kind: JobKind;
  planId: number;
  /** queued (also while waiting for a retry), running, done, or failed (refused, or crashed on every attempt). */
  state: JobState;
  /** Runs started so far: more than one when a process stopped during a run and the job was retried. */
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  startedBy: number;
  /** What the job answered: a plan job `null` (read the plan), a dispatch `{routeIds, unassigned, uncollected, stats}`, a re-plan its outcome. */
  result: unknown;
  error: JobError | null;
}

export const jobParams = z.strictObject({ id: z.uuid().describe('the job id a start answered with') });
