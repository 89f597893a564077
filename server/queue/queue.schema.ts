// What the community worker's queue answers with, and the decision on what a resident asked (the web app imports these types).
import { z } from 'zod';
import type { AwaitingAsk } from '../needs/needs.repo.ts';
import type { PendingUrgent } from '../residents/requests.repo.ts';
import type { QueuedRegistration } from '../registrations/registrations.schema.ts';

export const askDecision = z.strictObject({ decision: z.enum(['confirm', 'decline']) });

export interface CommunityQueue {
  counts: { registrations: number; urgent: number; requests: number };
  registrations: QueuedRegistration[];
  urgent: PendingUrgent[];
  requests: AwaitingAsk[];
}
