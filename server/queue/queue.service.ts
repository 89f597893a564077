// The community worker's queue: registrations beside their likely duplicates, urgent medical flags, and what
// residents asked that waits for confirmation — only in the worker's own communities.
import type { Queryable } from '../db/database.ts';
import type { CommunityScope } from '../auth/communities.ts';
import { awaitingConfirmation } from '../needs/needs.service.ts';
import { pendingUrgent } from '../residents/requests.service.ts';
import { queuedRegistrations } from '../registrations/registrations.service.ts';
import type { CommunityQueue } from './queue.schema.ts';

export async function communityQueue(db: Queryable, scope: CommunityScope): Promise<CommunityQueue> {
  const registrations = await queuedRegistrations(db, scope);
  const urgent = await pendingUrgent(db, scope);
  const requests = await awaitingConfirmation(db, scope);
  return { counts: { registrations: registrations.length, urgent: urgent.length, requests: requests.length }, registrations, urgent, requests };
}
