// HTTP for the deliveries report: JSON, CSV (one row per figure) or a printable PDF in zh or en.
import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { endpoint } from '../http/endpoint.ts';
import { readerLang } from '../residents/resident-texts.ts';
import { reportQuery } from './reports.schema.ts';
import { deliveriesReport } from './reports.service.ts';
import { reportCsv } from './report-csv.ts';
import { reportPdf } from './report-pdf.ts';

export function reportRoutes({ db, timeZone }: AppDeps): Router {
  const router = Router();
  endpoint(
    router,
    db,
    {
      method: 'get',
      path: '/reports/deliveries',
      summary:
        'Deliveries by need tier, community, commodity and period; fill rate and Gini over time; donations received and where they went; spoilage and recalls — summed from the stock ledger (format=csv|pdf; a coordinator tied to warehouses: theirs)',
      tag: 'reports',
      roles: ['coordinator', 'admin'],
      query: reportQuery,
    },
    async ({ query, user, req, res }) => {
      const report = await deliveriesReport(db, user, query, timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
      if (query.format === 'json') return report;
      const name = `deliveries-${query.from}-${query.to}`;
      if (query.format === 'csv') res.type('text/csv').attachment(`${name}.csv`).send(reportCsv(report));
      else res.type('application/pdf').attachment(`${name}.pdf`).set('Cache-Control', 'private, no-store').send(await reportPdf(report, readerLang(req, query.lang)));
      return undefined;
    },
  );
  return router;
}
