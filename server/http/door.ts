// The door in front of Express: a cap on open connections, so that a rush cannot hold more sockets than the
// server serves. Past LIFELINE_MAX_CONNECTIONS, a new connection's requests are answered 503 with
// Retry-After (problem+json) and the connection closed, before Express, sign-in or any body is read; a
// reserve above the cap lets staff with a live session still in (coordinators must reach a rush's live
// view); under pressure, idle keep-alive connections are closed so that the sockets go to those asking; and
// under pressure, a new connection whose first request is read long after it was accepted (the server fell
// behind) is refused rather than served late.
// The listen backlog is deep (LISTEN_BACKLOG) so that a burst of connections waits for the door rather than
// being reset by the kernel.
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { BusyError, problemBody } from './errors.ts';

export interface DoorLimits {
  /** Connections open at once for everyone (LIFELINE_MAX_CONNECTIONS). */
  maxConnections: number;
  /** More connections for staff with a live session, above the cap. */
  staffReserve: number;
  /**
   * Under pressure, a new connection's first request that reaches the door this long after the connection
   * was accepted (the server fell behind reading its sockets) is refused rather than served late, in ms.
   */
  maxAcceptWaitMs: number;
}

export const defaultDoorLimits: DoorLimits = { maxConnections: 512, staffReserve: 64, maxAcceptWaitMs: 1000 };

export const LISTEN_BACKLOG = 4096;

/** Idle keep-alive connections are closed once this share of the cap is open (at most every IDLE_SWEEP_MS). */
const PRESSURE = 0.75;
const IDLE_SWEEP_MS = 250;

/** An HTTP server serving `app` behind the door; `isStaff` tells a request with a live staff session by its headers. */
export function serverBehindDoor(app: RequestListener, limits: DoorLimits, isStaff: (req: IncomingMessage) => boolean): Server {
  /** Connections past the cap: staff only. Past cap + reserve: nobody. */
  const reserve = new WeakSet<Socket>();
  const shut = new WeakSet<Socket>();
  /** When each connection was accepted, until its first request arrives. */
  const acceptedAt = new WeakMap<Socket, number>();
  let open = 0;
  let lastSweep = 0;
  const server = createServer((req, res) => {
    const at = acceptedAt.get(req.socket);
    acceptedAt.delete(req.socket);
    // Only under pressure: a slow phone on a quiet server is served however long its request took to come.
    const late = at !== undefined && open > limits.maxConnections * PRESSURE && performance.now() - at > limits.maxAcceptWaitMs;
    if (shut.has(req.socket) || (reserve.has(req.socket) && !isStaff(req)) || (late && !isStaff(req))) return refuse(req, res);
    app(req, res);
  });
  server.on('connection', (socket: Socket) => {
    open++;
    acceptedAt.set(socket, performance.now());
    socket.once('close', () => open--);
    if (open > limits.maxConnections + limits.staffReserve) shut.add(socket);
    else if (open > limits.maxConnections) reserve.add(socket);
    const now = performance.now();
    if (open > limits.maxConnections * PRESSURE && now - lastSweep > IDLE_SWEEP_MS) {
      lastSweep = now;
      server.closeIdleConnections();
    }
  });
  return server;
}

/** 503 with Retry-After, and the connection closed (its socket goes to someone else). */
function refuse(req: IncomingMessage, res: ServerResponse): void {
  const busy = new BusyError(1 + Math.floor(Math.random() * 3));
  const body = JSON.stringify(problemBody(busy, req.url ?? '/'));
  res.shouldKeepAlive = false;
  res.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': String(busy.retryAfterS), connection: 'close', 'content-length': Buffer.byteLength(body) });
  res.end(body);
  // The body, if any, is not read: the connection closes once the answer is out.
  req.resume();
}
