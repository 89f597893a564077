// HTTP for donations and their public tracking.
import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { endpoint } from '../http/endpoint.ts';
import { idParam } from '../http/schemas.ts';
import { donationQuery, newDonation, receipt, trackingParam } from './donations.schema.ts';
import * as donations from './donations.service.ts';
import { grouped } from '../db/grouped.ts';

export function donationRoutes({ db }: AppDeps): Router {
  const router = Router();
  const tag = 'donations';
  // Concurrent pledges share one transaction and one commit, each in its own savepoint (db/grouped.ts).
  const intake = grouped(db);
  endpoint(
    router,
    intake,
    { method: 'post', path: '/donations', summary: 'Pledge a donation to a warehouse; returns its id and tracking code', tag, roles: ['charity', 'coordinator', 'admin'], body: newDonation, status: 201, idempotent: true },
    ({ body, user }) => donations.pledge(intake, body, user),
  );
  endpoint(
    router,
    db,
    { method: 'get', path: '/donations', summary: 'Donations (a charity sees its own)', tag, roles: ['charity', 'coordinator', 'admin'], query: donationQuery, list: 'page' },
    ({ query, user }) => donations.listDonations(db, user, query),
  );
  endpoint(
    router,
    db,
    { method: 'get', path: '/donations/:id', summary: 'One donation', tag, roles: ['charity', 'coordinator', 'admin'], params: idParam },
    ({ params, user }) => donations.getDonation(db, params.id, user),
  );
  endpoint(
    router,
    db,
    { method: 'post', path: '/donations/:id/receive', summary: 'Receive a donation: accepted and rejected quantities become lots in the ledger', tag, roles: ['coordinator', 'admin'], params: idParam, body: receipt, idempotent: true },
    ({ params, body, user }) => donations.receive(db, params.id, body, user),
  );
  endpoint(
    router,
    db,
    { method: 'get', path: '/track/:trackingCode', summary: 'The public journey of a donation, without personal data', tag, roles: 'public', params: trackingParam },
    ({ params }) => donations.track(db, params.trackingCode),
  );
  return router;
}
