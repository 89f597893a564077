// HTTP for campaigns: coordinators open, watch and close them; households request with their code (or
// through their community worker) and read the public page, their own entry and the published draw.
import { Router, type Response } from 'express';
import type { AppDeps } from '../deps.ts';
import { endpoint } from '../http/endpoint.ts';
import { idParam } from '../http/schemas.ts';
import { communityScope } from '../auth/communities.ts';
import { needRoles } from '../needs/needs.routes.ts';
import { codeParam } from '../residents/residents.schema.ts';
import { householdOfCode } from '../residents/access.service.ts';
import { CodeThrottle } from '../residents/code-throttle.ts';
import { readerLang, unknownCode } from '../residents/resident-texts.ts';
import { campaignQuery, campaignRequest, newCampaign, workerRequest, type Entry } from './campaigns.schema.ts';
import * as campaigns from './campaigns.service.ts';
import { CampaignIntake } from './intake.ts';

const entryParams = idParam.extend({ code: codeParam.shape.code });

/** 201 for a new entry, 200 with the same receipt for a repeat. */
function sendEntry(res: Response, { entry, created }: { entry: Entry; created: boolean }): void {
  res.status(created ? 201 : 200).json({ receipt: entry.receipt, quantity: entry.quantity, status: entry.status });
}

export function campaignRoutes({ db, outbox }: AppDeps): Router {
  const router = Router();
  const tag = 'campaigns';
  const roles = ['coordinator', 'admin'] as const;
  const intake = new CampaignIntake(db);
  const throttle = new CodeThrottle(db);
  endpoint(
    router,
    db,
    { method: 'post', path: '/campaigns', summary: 'Open a campaign: a scarce item released by need tier, then a lottery seeded by a secret whose SHA-256 is published now', tag, roles, body: newCampaign, status: 201, idempotent: true },
    ({ body, user }) => campaigns.openCampaign(db, body, user.id),
  );
  endpoint(router, db, { method: 'get', path: '/campaigns', summary: 'Campaigns, newest first (their seeds stay secret until closed)', tag, roles: 'public', query: campaignQuery, list: 'array' }, ({ query }) =>
    campaigns.listCampaigns(db, query),
  );
  endpoint(
    router,
    db,
    { method: 'get', path: '/campaigns/:id', summary: "A campaign's public page: window, entries, units remaining (at most a second old)", tag, roles: 'public', params: idParam },
    ({ params }) => intake.page(params.id),
  );
  endpoint(
    router,
    db,
    {
      method: 'post',
      path: '/campaigns/:id/requests',
      summary: "A household's request with its access code: 201 with a receipt, 200 with the same receipt on a repeat (503/429 with Retry-After when busy)",
      tag,
      roles: 'public',
      params: idParam,
      body: campaignRequest,
      status: 201,
    },
    async ({ params, body, req, res }) => sendEntry(res, await intake.byCode(req, res, params.id, body.code, body.quantity)),
  );
  endpoint(
    router,
    db,
    { method: 'post', path: '/campaigns/:id/entries', summary: 'A request a community worker makes for a household of their communities (offline households)', tag, roles: needRoles, params: idParam, body: workerRequest, status: 201 },
    async ({ params, body, user, res }) => {
      await campaigns.checkHouseholdInScope(db, body.householdId, communityScope(user));
      sendEntry(res, await intake.byWorker(params.id, body.householdId, body.quantity));
    },
  );
  endpoint(
    router,
    db,
    { method: 'get', path: '/campaigns/:id/entries/:code', summary: "A household's own entry, opened by its code: its receipt, status and place on the waiting list", tag, roles: 'public', params: entryParams },
    async ({ params, req, res }) => {
      const lang = readerLang(req, undefined);
      res.set('Cache-Control', 'no-store');
      const opened = await throttle.attempt(req.ip ?? 'unknown', res, lang, async () => {
        const found = await householdOfCode(db, params.code);
        return found && { key: found.codeHash, found };
      });
      if (opened === undefined) throw unknownCode(lang);
      return campaigns.entryOf(db, params.id, opened.householdId);
    },
  );
  endpoint(
    router,
    db,
    { method: 'post', path: '/campaigns/:id/close', summary: 'Close a campaign: reveals the seed, runs the draw, turns the winners into needs for the next plan; answers the results', tag, roles, params: idParam },
    async ({ params, user }) => {
      const results = await campaigns.closeCampaign(outbox, params.id, user.id);
      intake.forget(params.id);
      return results;
    },
  );
  endpoint(
    router,
    db,
    { method: 'get', path: '/campaigns/:id/results', summary: 'The published draw of a closed campaign (the file `lifeline verify-draw` checks): seed, its hash, and per hashed receipt the tier, rank and outcome', tag, roles: 'public', params: idParam },
    ({ params }) => campaigns.results(db, params.id),
  );
  endpoint(
    router,
    db,
    { method: 'get', path: '/campaigns/:id/live', summary: "The coordinator's live view: entries per minute, tier mix, time left, the intake's queue", tag, roles, params: idParam },
    ({ params }) => campaigns.liveView(db, params.id, intake.stats()),
  );
  return router;
}
