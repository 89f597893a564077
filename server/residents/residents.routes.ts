// HTTP for residents: access codes issued and revoked by community workers, printable slips per
// community, and the public, code-opened view of one household's requests.
import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { endpoint } from '../http/endpoint.ts';
import { idParam } from '../http/schemas.ts';
import { communityScope } from '../auth/communities.ts';
import { needRoles } from '../needs/needs.routes.ts';
import { householdOfCode, issueCode, issueSlips, revokeCode } from './access.service.ts';
import { CodeThrottle } from './code-throttle.ts';
import { tooManyCodesText } from './resident-status.ts';
import { codeParam, communityParam, residentQuery, slipsBody } from './residents.schema.ts';
import { readerLang, residentView, UnknownCodeError } from './residents.service.ts';

export function residentRoutes({ db }: AppDeps): Router {
  const router = Router();
  const tag = 'residents';
  const roles = needRoles;
  const throttle = new CodeThrottle(db);
  endpoint(
    router,
    db,
    { method: 'post', path: '/households/:id/access', summary: "Issue the household's access code (its previous code stops working)", tag, roles, params: idParam, status: 201 },
    ({ params, user }) => issueCode(db, params.id, user.id, communityScope(user)),
  );
  endpoint(router, db, { method: 'delete', path: '/households/:id/access', summary: "Revoke the household's access code", tag, roles, params: idParam, status: 204 }, ({ params, user }) =>
    revokeCode(db, params.id, communityScope(user)),
  );
  endpoint(
    router,
    db,
    {
      method: 'post',
      path: '/communities/:community/access-slips',
      summary: 'Issue codes to print as slips: for households without one, or for all (reissue)',
      tag,
      roles,
      params: communityParam,
      body: slipsBody,
    },
    ({ params, body, user }) => issueSlips(db, params.community, body.reissue, user.id, communityScope(user)),
  );
  endpoint(
    router,
    db,
    { method: 'get', path: '/resident/:code', summary: "A household's requests and where each stands, opened by its code (no account)", tag, roles: 'public', params: codeParam, query: residentQuery },
    async ({ params, query, req, res }) => {
      const lang = readerLang(req, query.lang);
      // The code is a password: no cache keeps the page, and wrong guesses are throttled per address.
      res.set('Cache-Control', 'no-store');
      const householdId = await throttle.attempt(req.ip ?? 'unknown', res, (s) => tooManyCodesText(lang, s), () => householdOfCode(db, params.code));
      if (householdId === undefined) throw new UnknownCodeError(lang);
      return residentView(db, householdId, lang);
    },
  );
  return router;
}
