// HTTP for zones and their daily status.
import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { endpoint } from '../http/endpoint.ts';
import { idParam } from '../http/schemas.ts';
import { newZone, zoneQuery, zoneUpdate } from './zones.schema.ts';
import * as zones from './zones.service.ts';

export function zoneRoutes({ db, roads }: AppDeps): Router {
  const router = Router();
  const tag = 'zones';
  const roles = ['coordinator', 'admin'] as const;
  endpoint(router, db, { method: 'get', path: '/zones', summary: 'Zones with their polygons, status and gates', tag, roles: 'signed-in', query: zoneQuery, list: 'array' }, ({ query }) => zones.zonePage(db, query));
  endpoint(router, db, { method: 'get', path: '/zones/:id', summary: 'One zone', tag, roles: 'signed-in', params: idParam }, ({ params }) => zones.getZone(db, params.id));
  endpoint(router, db, { method: 'get', path: '/zones/:id/history', summary: 'The status history of a zone', tag, roles: 'signed-in', params: idParam }, ({ params }) =>
    zones.zoneHistory(db, params.id),
  );
  endpoint(
    router,
    db,
    { method: 'post', path: '/zones', summary: 'Draw a zone', tag, roles, body: newZone, status: 201, idempotent: true },
    async ({ body, user }) => {
      if (body.status === 'sealed') await roads.checkSealedZone(body.polygon, body.gates, 'body');
      return zones.createZone(db, body, user.id);
    },
  );
  endpoint(
    router,
    db,
    { method: 'put', path: '/zones/:id', summary: "Change a zone: its status for the day, polygon or gates", tag, roles, params: idParam, body: zoneUpdate },
    async ({ params, body, user }) => {
      const current = await zones.getZone(db, params.id);
      if ((body.status ?? current.status) === 'sealed') await roads.checkSealedZone(body.polygon ?? current.polygon, body.gates ?? current.gates, 'body');
      return zones.updateZone(db, params.id, body, user.id);
    },
  );
  return router;
}
