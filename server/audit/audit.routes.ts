// HTTP for the audit log: admins search it, page through it and export it as CSV.
import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { endpoint } from '../http/endpoint.ts';
import { auditQuery } from './audit.schema.ts';
import { auditCsv, searchAudit } from './audit.service.ts';

export function auditRoutes({ db }: AppDeps): Router {
  const router = Router();
  endpoint(
    router,
    db,
    {
      method: 'get',
      path: '/audit',
      summary: 'Who changed which record, when, through which request, and its fields before and after (newest first; format=csv exports the page)',
      tag: 'audit',
      roles: ['admin'],
      query: auditQuery,
      list: 'cursor',
    },
    async ({ query, res }) => {
      const page = await searchAudit(db, query);
      if (query.format === 'json') return page;
      res.type('text/csv').attachment('audit.csv').send(auditCsv(page.items));
      return undefined;
    },
  );
  return router;
}
