// Sign-in, sign-out, who am I, and user administration.
import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { endpoint } from '../http/endpoint.ts';
import { idParam } from '../http/schemas.ts';
import { loginBody, newUserBody, userPatch, userQuery } from './auth.schema.ts';
import * as auth from './auth.service.ts';
import { listUsers } from './auth.repo.ts';
import { LoginThrottle } from './login-throttle.ts';
import { WEB_CLIENT_HEADER, clearSessionCookie, isWebClient, requestToken, setSessionCookie } from './web-session.ts';

export function authRoutes({ db, live, loginLimits }: AppDeps): Router {
  const router = Router();
  const tag = 'auth';
  const throttle = new LoginThrottle(db, loginLimits);
  endpoint(
    router,
    db,
    {
      method: 'post',
      path: '/auth/login',
      summary: `Sign in; returns a bearer token and the role (with ${WEB_CLIENT_HEADER}: web, sets an httpOnly session cookie instead of returning the token); 429 with Retry-After after too many failures`,
      tag,
      roles: 'public',
      body: loginBody,
    },
    async ({ req, res, body }) => {
      const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
      const { token, ...signedIn } = await throttle.attempt(body.email, address, res, () => auth.login(db, body.email, body.password));
      if (!isWebClient(req)) return { token, ...signedIn };
      setSessionCookie(req, res, token, auth.SESSION_HOURS);
      return signedIn;
    },
  );
  endpoint(router, db, { method: 'post', path: '/auth/logout', summary: 'Revoke the token used for this request, clear the session cookie and close the sign-in\'s live sockets', tag, roles: 'signed-in', status: 204 }, async ({ req, res }) => {
    await auth.logout(db, live, requestToken(req)!.token);
    clearSessionCookie(req, res);
  });
  endpoint(router, db, { method: 'get', path: '/auth/me', summary: 'The signed-in user', tag, roles: 'signed-in' }, ({ user }) => user);
  endpoint(router, db, { method: 'get', path: '/users', summary: 'Users (filter by role, active)', tag, roles: ['admin'], query: userQuery, list: 'array' }, ({ query }) => listUsers(db, query));
  endpoint(
    router,
    db,
    { method: 'post', path: '/users', summary: 'Create a user with a role', tag, roles: ['admin'], body: newUserBody, status: 201, idempotent: true },
    ({ body }) => auth.createUser(db, body),
  );
  endpoint(
    router,
    db,
    { method: 'patch', path: '/users/:id', summary: 'Tie a community worker to communities or a coordinator to warehouses (null: all), or (de)activate a user', tag, roles: ['admin'], params: idParam, body: userPatch },
    ({ params, body }) => auth.updateUser(db, live, params.id, body),
  );
  return router;
}
