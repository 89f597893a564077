// HTTP for residents: access codes issued and revoked by community workers, printable slips per
// community, and the public, code-opened page of one household: its requests, the catalogue it may ask
// from, asking, and its contact phone.
import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../deps.ts';
import { endpoint } from '../http/endpoint.ts';
import { replayOrRecord } from '../http/idempotency.ts';
import { idParam } from '../http/schemas.ts';
import { communityScope } from '../auth/communities.ts';
import { needRoles } from '../needs/needs.routes.ts';
import { householdOfCode, issueCode, issueSlips, revokeCode, type OpenedCode } from './access.service.ts';
import { CodeThrottle } from './code-throttle.ts';
import { readerLang, speakResidentsLanguage, unknownCode, type Lang } from './resident-texts.ts';
import { askFor, catalogueFor, updatePhone } from './requests.service.ts';
import { codeParam, communityParam, phoneBody, residentAsk, residentQuery, slipsBody } from './residents.schema.ts';
import { residentView } from './residents.service.ts';

export function residentRoutes({ db, outbox, live }: AppDeps): Router {
  const router = Router();
  const tag = 'residents';
  const roles = needRoles;
  const throttle = new CodeThrottle(db);
  // A code that stops working closes the pages open with it at once.
  const closePages = (codeHash: string) => live.closeResident(codeHash);
  endpoint(
    router,
    db,
    { method: 'post', path: '/households/:id/access', summary: "Issue the household's access code (its previous code stops working)", tag, roles, params: idParam, status: 201 },
    ({ params, user }) => issueCode(db, params.id, user.id, communityScope(user), closePages),
  );
  endpoint(router, db, { method: 'delete', path: '/households/:id/access', summary: "Revoke the household's access code", tag, roles, params: idParam, status: 204 }, ({ params, user }) =>
    revokeCode(db, params.id, communityScope(user), closePages),
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
    ({ params, body, user }) => issueSlips(db, params.community, body.reissue, user.id, communityScope(user), closePages),
  );

  /** The household a request's code opens, for the reader in `lang`: throttled per address and per code; 404 otherwise. */
  const opened = async (req: Request, res: Response, code: string, lang: Lang): Promise<OpenedCode> => {
    // The code is a password: no cache keeps what it opens.
    res.set('Cache-Control', 'no-store');
    const found = await throttle.attempt(req.ip ?? 'unknown', res, lang, async () => {
      const opened = await householdOfCode(db, code);
      return opened && { key: opened.codeHash, found: opened };
    });
    if (!found) throw unknownCode(lang);
    return found;
  };
  const opens = { tag, roles: 'public' as const, params: codeParam, query: residentQuery };
  endpoint(router, db, { ...opens, method: 'get', path: '/resident/:code', summary: "A household's requests and where each stands, opened by its code (no account)" }, async ({ params, query, req, res }) => {
    const lang = readerLang(req, query.lang);
    return residentView(db, (await opened(req, res, params.code, lang)).householdId, lang);
  });
  endpoint(
    router,
    db,
    { ...opens, method: 'get', path: '/resident/:code/catalogue', summary: 'What the household may ask for: the items open to residents, with their limits' },
    async ({ params, query, req, res }) => catalogueFor(db, (await opened(req, res, params.code, readerLang(req, query.lang))).householdId),
  );
  endpoint(
    router,
    db,
    {
      ...opens,
      method: 'post',
      path: '/resident/:code/requests',
      summary: 'Ask for an item (merged into the household’s need of it; waits for the community worker). Idempotency-Key retries answer the first reply',
      body: residentAsk,
      status: 201,
    },
    async ({ params, query, body, req, res }) => {
      const lang = readerLang(req, query.lang);
      const { householdId } = await opened(req, res, params.code, lang);
      const run = async () => ({ status: 201, body: await askFor(outbox, householdId, body, lang) });
      const key = req.get('Idempotency-Key');
      // Households are not users: their replies are kept under the negative household id.
      return (key ? await replayOrRecord(db, -householdId, key, req, run) : await run()).body;
    },
  );
  endpoint(
    router,
    db,
    { ...opens, method: 'post', path: '/resident/:code/phone', summary: "Update the household's contact phone (a phone a worker corrected by hand stands)", body: phoneBody },
    async ({ params, query, body, req, res }) => {
      const lang = readerLang(req, query.lang);
      return updatePhone(outbox, (await opened(req, res, params.code, lang)).householdId, body.phone, lang);
    },
  );
  router.use(speakResidentsLanguage(/^\/resident\//));
  return router;
}
