// Serves the built web app (client/dist) at /, with every unknown non-API path answered by the app's
// index.html so that links into the app work on reload. The service worker (sw.js) is always revalidated,
// so a new version of the app reaches phones that keep the old one cached for offline use.
import express, { Router } from 'express';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const clientDist = fileURLToPath(new URL('../../client/dist/', import.meta.url));

export function clientRoutes(): Router {
  const router = Router();
  const index = join(clientDist, 'index.html');
  router.use(
    express.static(clientDist, {
      index: false,
      maxAge: '1h',
      setHeaders: (res, path) => {
        if (path.endsWith('sw.js')) res.setHeader('Cache-Control', 'no-cache');
      },
    }),
  );
  router.get(/^(?!\/api\/|\/socket\.io\/).*/, (_req, res) => {
    if (existsSync(index)) res.sendFile(index, { headers: { 'Cache-Control': 'no-cache' } });
    else res.status(503).type('text/plain').send('The web app is not built yet: run `npm run build` (npm install does it).');
  });
  return router;
}
