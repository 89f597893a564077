import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serverBehindDoor } from '../../../server/http/door.ts';

describe('the door in front of Express', () => {
  let server: Server;
  const held: Socket[] = [];
  afterEach(async () => {
    for (const socket of held.splice(0)) socket.destroy();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const start = async (maxConnections: number, staffReserve: number, maxAcceptWaitMs = 1000) => {
    let served = 0;
    server = serverBehindDoor(
      (_req, res) => {
        served++;
        res.end('ok');
      },
      { maxConnections, staffReserve, maxAcceptWaitMs },
      (req) => req.headers.authorization === 'Bearer staff',
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { port: (server.address() as AddressInfo).port, served: () => served };
  };

  /** A connection that stays open and asks nothing (a slow phone). */
  const hold = async (port: number) => {
    const socket = connect(port, '127.0.0.1');
    held.push(socket);
    await new Promise((r) => socket.once('connect', r));
    // Counted by the server once it has accepted it.
    await new Promise((r) => setTimeout(r, 20));
  };

  const get = (port: number, staff = false) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
      const req = request({ port, host: '127.0.0.1', path: '/api/anything', agent: false, headers: staff ? { authorization: 'Bearer staff' } : {} }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });

  it('answers 503 problem+json with Retry-After past the cap, before the app; lets staff into the reserve; refuses everyone past it', async () => {
    const { port, served } = await start(2, 1);
    await hold(port);
    await hold(port);
    const refused = await get(port);
    expect(refused.status).toBe(503);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(JSON.parse(refused.body)).toMatchObject({ status: 503, code: 'busy' });
    expect(served()).toBe(0);
    expect((await get(port, true)).status).toBe(200);
    await hold(port);
    expect((await get(port, true)).status).toBe(503);
    expect(served()).toBe(1);
  });

  it('serves everyone below the cap', async () => {
    const { port } = await start(4, 1);
    await hold(port);
    expect((await get(port)).status).toBe(200);
  });

  it('closes idle keep-alive connections under pressure, so a newcomer gets a socket', async () => {
    const { port } = await start(3, 0);
    // Two keep-alive connections that asked once and now sit idle.
    const idle = await Promise.all(
      [0, 1].map(async () => {
        const socket = connect(port, '127.0.0.1');
        held.push(socket);
        await new Promise((r) => socket.once('connect', r));
        socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
        await new Promise((r) => socket.once('data', r));
        return socket;
      }),
    );
    const closed = idle.map((socket) => new Promise((r) => socket.once('close', r)));
    // A third connection puts the door under pressure: the idle two are closed.
    expect((await get(port)).status).toBe(200);
    await Promise.all(closed);
  });

  /** A connection whose request comes `afterMs` after it was accepted: its status. */
  const askLate = async (port: number, afterMs: number) => {
    const socket = connect(port, '127.0.0.1');
    held.push(socket);
    await new Promise((r) => socket.once('connect', r));
    await new Promise((r) => setTimeout(r, afterMs));
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    const answer = await new Promise<string>((r) => socket.once('data', (chunk) => r(String(chunk))));
    // Gone before the next one comes (the server counts it closed).
    socket.destroy();
    await new Promise((r) => setTimeout(r, 20));
    return Number(/^HTTP\/1\.1 (\d+)/.exec(answer)![1]);
  };

  it('under pressure, refuses a new connection whose first request came long after it was accepted; not on a quiet server', async () => {
    const { port, served } = await start(4, 0, 100);
    expect(await askLate(port, 150)).toBe(200);
    for (let i = 0; i < 3; i++) await hold(port);
    expect(await askLate(port, 150)).toBe(503);
    expect(await askLate(port, 0)).toBe(200);
    expect(served()).toBe(2);
  });
});
