// HTTP for registrations: the public form and status page (by reference), the communities to choose from,
// and the community worker's decision.
import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { endpoint } from '../http/endpoint.ts';
import { idParam } from '../http/schemas.ts';
import { communityScope } from '../auth/communities.ts';
import { attemptCounter, countAttempt } from '../auth/login-throttle.ts';
import { needRoles } from '../needs/needs.routes.ts';
import { communityPage } from '../needs/households.service.ts';
import { CodeThrottle } from '../residents/code-throttle.ts';
import { readerLang, say, speakResidentsLanguage } from '../residents/resident-texts.ts';
import { communityQuery, langQuery, newRegistration, referenceParam, registrationDecision } from './registrations.schema.ts';
import { decideRegistration, register, registrationStatus, unknownReference } from './registrations.service.ts';

/** Registrations one client address may send per hour. */
const PER_ADDRESS_PER_HOUR = 10;

export function registrationRoutes({ db }: AppDeps): Router {
  const router = Router();
  const tag = 'registrations';
  const submissions = attemptCounter(db, 'registration', PER_ADDRESS_PER_HOUR, 3600);
  const references = new CodeThrottle(db, 'registration-reference');
  endpoint(router, db, { method: 'get', path: '/communities', summary: 'The communities one may ask to be registered in', tag, roles: 'public', query: communityQuery, list: 'array' }, ({ query }) =>
    communityPage(db, query),
  );
  endpoint(
    router,
    db,
    {
      method: 'post',
      path: '/registrations',
      summary: 'Ask to be registered (no account): a community worker checks it; follow it with the reference answered',
      tag,
      roles: 'public',
      query: langQuery,
      body: newRegistration,
      status: 202,
    },
    async ({ body, query, req, res }) => {
      const lang = readerLang(req, query.lang);
      await countAttempt(res, [submissions.consume(req.ip ?? 'unknown')], (s) => say(lang, 'tooManyRegistrations', s));
      return register(db, body, lang);
    },
  );
  endpoint(
    router,
    db,
    { method: 'get', path: '/registrations/:reference', summary: 'Where a registration stands, by its reference', tag, roles: 'public', params: referenceParam, query: langQuery },
    async ({ params, query, req, res }) => {
      const lang = readerLang(req, query.lang);
      res.set('Cache-Control', 'no-store');
      const view = await references.attempt(req.ip ?? 'unknown', res, lang, () => registrationStatus(db, params.reference, lang));
      if (!view) throw unknownReference(lang);
      return view;
    },
  );
  endpoint(
    router,
    db,
    {
      method: 'post',
      path: '/registrations/:id/decide',
      summary: 'Approve (a new household with an access code), merge into a household, or reject a registration of your communities',
      tag,
      roles: needRoles,
      params: idParam,
      body: registrationDecision,
    },
    ({ params, body, user }) => decideRegistration(db, params.id, body, user.id, communityScope(user)),
  );
  // The person registering reads the form's and the status page's refusals in their language.
  router.use(speakResidentsLanguage(/^\/registrations(\/[^/]+)?$/));
  return router;
}
