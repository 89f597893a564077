// Assembles the Express application: security headers, JSON parsing, authentication, every noun's
// routes under /api, the OpenAPI document, and the one error handler; and the live outbox and gateway,
// the gateway given sign-in from auth/ here (live/ imports nothing of auth/).
import express, { Router } from 'express';
import { ping, type Db } from './db/database.ts';
import type { AppDeps } from './deps.ts';
import { authenticate, KnownSessions, sessionForToken } from './auth/auth.service.ts';
import { handshakeToken } from './auth/web-session.ts';
import { Outbox } from './live/outbox.ts';
import { LiveGateway } from './live/gateway.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { endpoint } from './http/endpoint.ts';
import { NotFoundError, problemHandler } from './http/errors.ts';
import { openApiDocument } from './http/openapi.ts';
import { securityHeaders } from './http/headers.ts';
import { routeByFirstSegment } from './http/segments.ts';
import { defaultOverloadLimits, shedLoad } from './http/overload.ts';
import { warehouseRoutes } from './warehouses/warehouses.routes.ts';
import { commodityRoutes } from './commodities/commodities.routes.ts';
import { stockRoutes } from './stock/stock.routes.ts';
import { donationRoutes } from './donations/donations.routes.ts';
import { needRoutes } from './needs/needs.routes.ts';
import { zoneRoutes } from './zones/zones.routes.ts';
import { driverRoutes } from './drivers/drivers.routes.ts';
import { clientRoutes } from './client/static.ts';
import { networkRoutes } from './network/network.routes.ts';
import { planRoutes } from './plans/plans.routes.ts';
import { dispatchRoutes } from './dispatch/dispatch.routes.ts';
import { dashboardRoutes } from './dashboard/dashboard.routes.ts';
import { residentRoutes } from './residents/residents.routes.ts';
import { campaignRoutes } from './campaigns/campaigns.routes.ts';
import { echoToResidents, residentRooms } from './residents/live-pages.ts';
import { queueRoutes } from './queue/queue.routes.ts';
import { registrationRoutes } from './registrations/registrations.routes.ts';
import { auditRoutes } from './audit/audit.routes.ts';
import { vrpRoutes } from './vrp/vrp.routes.ts';
import { packRoutes } from './packs/packs.routes.ts';
import { jobRoutes } from './jobs/jobs.routes.ts';
import { JobQueue } from './jobs/jobs.service.ts';
import { solvePlanJob } from './plans/plans.service.ts';
import { dispatchJob } from './dispatch/dispatch.service.ts';
import { replan } from './dispatch/replan.service.ts';
import { reportRoutes } from './reports/reports.routes.ts';
import { handoverRoutes } from './dispatch/handover.routes.ts';

/** The outbox and the gateway that delivers its events, on one database. */
export function createLive(db: Db): Pick<AppDeps, 'outbox' | 'live'> {
  const outbox = new Outbox(db, echoToResidents);
  const live = new LiveGateway(outbox, {
    authenticate: async (handshake) => {
      const token = handshakeToken(handshake);
      return token ? sessionForToken(db, token) : undefined;
    },
    residentRoom: residentRooms(db),
  });
  return { outbox, live };
}

/** Who runs each kind of solve job, in any process that takes jobs (a server node or `lifeline worker`). */
export function solveJobs(deps: AppDeps): JobQueue {
  deps.jobs.handle('plan', (request, run) => solvePlanJob(deps, run.planId, request));
  deps.jobs.handle('dispatch', (input, run) => dispatchJob(deps, run.planId, input, run.retried));
  deps.jobs.handle('replan', ({ body, user }, run) => replan(deps, run.planId, body, user));
  return deps.jobs;
}

/** The app; without a job queue of its own it makes one that runs jobs here, started on first use. */
export function createApp(given: Omit<AppDeps, 'jobs'> & { jobs?: JobQueue }): express.Express {
  const deps: AppDeps = { ...given, jobs: given.jobs ?? new JobQueue(given.db) };
  solveJobs(deps);
  const { db } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(securityHeaders({ tileUrl: deps.tileUrl }));
  app.set('trust proxy', deps.trustProxy ?? false);
  const api = Router();
  const sessions = deps.sessions ?? new KnownSessions();
  // First of all, before bodies are parsed or sessions looked up: a rush is refused at the door, not inside.
  api.use(shedLoad(deps.overload ?? defaultOverloadLimits, (req) => sessions.laneOf(req)));
  // Routing problems carry their matrices: a larger limit for them alone (the parser below then skips the parsed body).
  api.use('/vrp', express.json({ limit: '64mb' }));
  api.use(express.json({ limit: '2mb' }));
  // CSV bodies are streamed by the route that takes them (needs/import), never parsed whole here.
  api.use(express.text({ type: ['text/plain'], limit: '10mb' }));
  api.use(authenticate(db, sessions));
  const nouns = [
    systemRoutes,
    authRoutes,
    residentRoutes,
    warehouseRoutes,
    commodityRoutes,
    stockRoutes,
    donationRoutes,
    needRoutes,
    zoneRoutes,
    driverRoutes,
    networkRoutes,
    planRoutes,
    dispatchRoutes,
    handoverRoutes,
    dashboardRoutes,
    campaignRoutes,
    queueRoutes,
    registrationRoutes,
    auditRoutes,
    vrpRoutes,
    packRoutes,
    jobRoutes,
    reportRoutes,
  ];
  api.use(routeByFirstSegment(nouns.map((routes) => routes(deps))));
  api.use((req) => {
    throw new NotFoundError('endpoint', `${req.method} ${req.originalUrl}`);
  });
  app.use('/api', api);
  app.use(clientRoutes());
  app.use(problemHandler);
  return app;
}

function systemRoutes({ db }: AppDeps): Router {
  const router = Router();
  endpoint(router, db, { method: 'get', path: '/health', summary: 'Liveness and database check', tag: 'system', roles: 'public' }, async () => {
    await ping(db);
    return { status: 'ok', db: db.kind };
  });
  endpoint(router, db, { method: 'get', path: '/openapi.json', summary: 'This API described (OpenAPI 3.1)', tag: 'system', roles: 'public' }, () =>
    openApiDocument(),
  );
  return router;
}
