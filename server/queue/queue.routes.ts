// HTTP for the community worker's queue: registrations, what residents asked and the urgent medical flags
// they raised, each decided by a worker of the household's community (checked on the record as stored).
import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { endpoint } from '../http/endpoint.ts';
import { idParam } from '../http/schemas.ts';
import { communityScope } from '../auth/communities.ts';
import { needRoles } from '../needs/needs.routes.ts';
import { decideAsk } from '../needs/needs.service.ts';
import { decideUrgent } from '../residents/requests.service.ts';
import { askDecision } from './queue.schema.ts';
import { communityQueue } from './queue.service.ts';

export function queueRoutes({ db, outbox }: AppDeps): Router {
  const router = Router();
  const tag = 'community queue';
  const roles = needRoles;
  endpoint(
    router,
    db,
    { method: 'get', path: '/community-queue', summary: "What waits for a community worker in their communities: registrations beside likely duplicates, urgent flags, residents' requests", tag, roles },
    ({ user }) => communityQueue(db, communityScope(user)),
  );
  endpoint(
    router,
    db,
    { method: 'post', path: '/community-queue/requests/:id', summary: "Confirm (the need counts in plans, with the larger quantity asked) or decline what a resident asked of a need", tag, roles, params: idParam, body: askDecision },
    ({ params, body, user }) => decideAsk(outbox, params.id, body.decision, user.id, communityScope(user)),
  );
  endpoint(
    router,
    db,
    { method: 'post', path: '/community-queue/urgent/:id', summary: 'Confirm (the need becomes critical) or decline an urgent medical flag a resident raised', tag, roles, params: idParam, body: askDecision },
    ({ params, body, user }) => decideUrgent(outbox, params.id, body.decision, user.id, communityScope(user)),
  );
  return router;
}
