// HTTP for handover sheets: coordinators print them (PDF); the phone that scans a stop's code reads the stop
// and records its outcome, authorised by the code alone (sent in the X-Handover-Token header).
import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../deps.ts';
import { endpoint } from '../http/endpoint.ts';
import { idParam } from '../http/schemas.ts';
import { CodeThrottle } from '../residents/code-throttle.ts';
import { readerLang, type Lang } from '../residents/resident-texts.ts';
import { stopStatus } from './dispatch.schema.ts';
import { gateSheetBody, routeSheetBody, TOKEN_HEADER, type SheetLinks } from './handover.schema.ts';
import { handoverStop, issueSheet, lookUpCode, recordByCode, sheetLinks, type Sheet } from './handover.service.ts';
import { sheetPdf } from './handover-pdf.ts';

export function handoverRoutes({ db, outbox, timeZone }: AppDeps): Router {
  const router = Router();
  const tag = 'handover';
  const coordinators = ['coordinator', 'admin'] as const;
  const zone = timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  /** Wrong codes are counted per address and a right code's uses per code, as for residents' codes (429 past either). */
  const codes = new CodeThrottle(db, 'handover-code');
  const scanned = (req: Request, res: Response) => codes.attempt(req.ip ?? 'unknown', res, readerLang(req, undefined), () => lookUpCode(db, req.get(TOKEN_HEADER)));
  /** The sheet as a PDF (or its links as JSON) whose codes open this server's /s/<code> page. */
  const send = async (req: Request, res: Response, sheet: Sheet, options: { lang?: Lang; format: 'pdf' | 'json' }): Promise<SheetLinks | undefined> => {
    const origin = `${req.protocol}://${req.get('host')}`;
    const link = (code: string) => `${origin}/s/${code}`;
    if (options.format === 'json') return sheetLinks(sheet, link);
    const pdf = await sheetPdf(sheet, readerLang(req, options.lang), link, zone);
    res.type('application/pdf').attachment(`handover-sheet-${sheet.routes.map((r) => r.id).join('-')}.pdf`).set('Cache-Control', 'private, no-store').send(pdf);
    return undefined;
  };
  endpoint(
    router,
    db,
    { method: 'post', path: '/gates/:id/handover-sheet', summary: "Print a gate's handover sheet (PDF): the plan's walking routes from it, doors in walking order, a QR code per stop; printing again replaces the previous sheet's codes", tag, roles: coordinators, params: idParam, body: gateSheetBody, produces: 'application/pdf' },
    async ({ params, body, user, req, res }) => send(req, res, await issueSheet(outbox, user, { gateId: params.id, planId: body.planId }), body),
  );
  endpoint(
    router,
    db,
    { method: 'post', path: '/routes/:id/handover-sheet', summary: "Print a building leader's handover sheet (PDF): one walking route's doors in walking order, a QR code per stop", tag, roles: coordinators, params: idParam, body: routeSheetBody, produces: 'application/pdf' },
    async ({ params, body, user, req, res }) => send(req, res, await issueSheet(outbox, user, { routeId: params.id }), body),
  );
  endpoint(router, db, { method: 'get', path: '/handover', summary: 'The stop a handover sheet’s code is for (code in the X-Handover-Token header)', tag, roles: 'public' }, async ({ req, res }) =>
    handoverStop(db, await scanned(req, res)),
  );
  endpoint(
    router,
    db,
    { method: 'post', path: '/handover/status', summary: 'Record the outcome of the stop a handover sheet’s code is for, as the driver app does (code in the X-Handover-Token header; a delivery names who took it)', tag, roles: 'public', body: stopStatus },
    async ({ req, res, body }) => recordByCode(outbox, await scanned(req, res), body),
  );
  return router;
}
