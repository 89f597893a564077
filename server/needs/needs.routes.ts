// HTTP for needs and households: the need sheet, CSV import, corrections with history.
import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { endpoint } from '../http/endpoint.ts';
import { idParam } from '../http/schemas.ts';
import { communityScope } from '../auth/communities.ts';
import { householdPatch, importQuery, mapQuery, needCommunityQuery, needPatch, needQuery, newNeed, reviewDecision, reviewQuery } from './needs.schema.ts';
import * as reviews from './household-reviews.service.ts';
import * as needs from './needs.service.ts';
import { needMap } from './need-map.service.ts';
import * as households from './households.service.ts';
import { importNeedsCsv } from './needs.import.ts';
import { spoolBody } from '../http/spool.ts';
import { grouped } from '../db/grouped.ts';

/** Who may see households' addresses, phones and health flags. */
export const needRoles = ['community', 'coordinator', 'admin'] as const;
/** Who decides on reports held because they matched another community's household. */
const reviewerRoles = ['coordinator', 'admin'] as const;

export function needRoutes({ db, outbox }: AppDeps): Router {
  const router = Router();
  const tag = 'needs';
  // Another community's need or household answers 404 to a worker tied to communities, as a missing one does.
  const roles = needRoles;
  // Concurrent creates share one transaction and one commit, each in its own savepoint (db/grouped.ts).
  const intake = grouped(db);
  endpoint(router, db, { method: 'get', path: '/needs', summary: 'Needs with their households (filter by community, status, commodity, zone)', tag, roles, query: needQuery, list: 'page' }, ({ query, user }) =>
    needs.listNeeds(db, { ...query, communities: communityScope(user) }),
  );
  // Before /needs/:id, which would take "communities" for an id.
  endpoint(
    router,
    db,
    { method: 'get', path: '/needs/communities', summary: "The communities whose households you may see, each with its open needs' count (the need sheet's picker)", tag, roles, query: needCommunityQuery, list: 'page' },
    ({ query, user }) => needs.needCommunities(db, query, communityScope(user)),
  );
  endpoint(
    router,
    db,
    {
      method: 'get',
      path: '/map/needs',
      summary: "The open needs in a map view (bbox=west,south,east,north, zoom): clusters of nearby needs (count, centre, tiers, worst tier, share delivered) and single needs where few lie together or from zoom 18",
      tag,
      roles,
      query: mapQuery,
    },
    ({ query, user }) => needMap(db, query, communityScope(user)),
  );
  endpoint(router, db, { method: 'get', path: '/needs/:id', summary: 'One need with its household', tag, roles, params: idParam }, ({ params, user }) =>
    needs.getNeed(db, params.id, communityScope(user)),
  );
  endpoint(
    router,
    intake,
    { method: 'post', path: '/needs', summary: 'Record a need (a second report of the same open need merges)', tag, roles, body: newNeed, status: 201, idempotent: true },
    ({ body, user }) => needs.createNeed(outbox.through(intake), body, user.id, communityScope(user)),
  );
  endpoint(
    router,
    db,
    { method: 'patch', path: '/needs/:id', summary: 'Edit a need; send the version you edited', tag, roles, params: idParam, body: needPatch },
    ({ params, body, user }) => needs.updateNeed(outbox, params.id, body, user.id, communityScope(user)),
  );
  // A CSV file of any size is streamed to disk as it arrives, never held in memory.
  router.post('/needs/import', spoolBody(['text/csv']));
  endpoint(
    router,
    db,
    {
      method: 'post',
      path: '/needs/import',
      summary: 'Import needs from CSV (text/csv, streamed, any size): a file with a bad row is refused whole, naming each bad line; ?preview=true tells what it would do',
      tag,
      roles,
      query: importQuery,
      idempotent: true,
    },
    ({ req, query, user }) => importNeedsCsv(outbox, req.body, { source: query.source, preview: query.preview, actorId: user.id, scope: communityScope(user) }),
  );
  endpoint(router, db, { method: 'get', path: '/households/:id', summary: 'One household', tag, roles, params: idParam }, ({ params, user }) =>
    households.householdFor(db, params.id, communityScope(user)),
  );
  endpoint(router, db, { method: 'get', path: '/households/:id/history', summary: 'Every value each field had, and its source', tag, roles, params: idParam }, ({ params, user }) =>
    households.householdHistory(db, params.id, communityScope(user)),
  );
  endpoint(
    router,
    db,
    { method: 'patch', path: '/households/:id', summary: 'Correct a household by hand; later imports will not overwrite it', tag, roles, params: idParam, body: householdPatch },
    ({ params, body, user }) => households.correctHousehold(db, params.id, body, user.id, communityScope(user)),
  );
  endpoint(
    router,
    db,
    { method: 'get', path: '/household-reviews', summary: "Reports held because they matched a household outside the reporter's communities", tag, roles: reviewerRoles, query: reviewQuery, list: 'page' },
    ({ query }) => reviews.listReviews(db, query),
  );
  endpoint(
    router,
    db,
    { method: 'post', path: '/household-reviews/:id/decide', summary: 'Accept (record the need on the matched household) or reject a held report', tag, roles: reviewerRoles, params: idParam, body: reviewDecision },
    ({ params, body, user }) => reviews.decideReview(outbox, params.id, body.decision, user.id),
  );
  return router;
}
