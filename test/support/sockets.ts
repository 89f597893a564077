// Real socket.io-client connections for live tests: connect, collect envelopes, wait for one.
import { io, type Socket } from 'socket.io-client';
import type { Envelope, Hello } from '../../server/live/events.ts';

export interface LiveClient {
  socket: Socket;
  received: Envelope[];
  hello: Promise<Hello>;
  /** Resolves with the first received envelope (already received or future) that matches. */
  next(match: (e: Envelope) => boolean, timeoutMs?: number): Promise<Envelope>;
  lastSeq(): number;
  close(): void;
}

const TYPES = ['route:assigned', 'route:updated', 'stop:updated', 'plan:status', 'plan:progress', 'need:changed', 'board:position'];

export function connect(url: string, token: string, lastSeq?: number): LiveClient {
  const socket = io(url, { auth: { token, ...(lastSeq !== undefined ? { lastSeq } : {}) }, transports: ['websocket'], reconnection: false, forceNew: true });
  const received: Envelope[] = [];
  const waiters: { match: (e: Envelope) => boolean; resolve: (e: Envelope) => void }[] = [];
  for (const type of TYPES) {
    socket.on(type, (envelope: Envelope) => {
      if (envelope.seq > 0) socket.emit('live:ack', envelope.seq);
      if (envelope.seq > 0 && received.some((r) => r.seq === envelope.seq)) return; // a repeat: already applied
      received.push(envelope);
      for (const w of [...waiters]) if (w.match(envelope)) (waiters.splice(waiters.indexOf(w), 1), w.resolve(envelope));
    });
  }
  const hello = new Promise<Hello>((resolve, reject) => {
    socket.once('live:hello', resolve);
    socket.once('connect_error', reject);
  });
  return {
    socket,
    received,
    hello,
    next: (match, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const found = received.find(match);
        if (found) return resolve(found);
        const timer = setTimeout(() => reject(new Error(`no matching live event within ${timeoutMs} ms; got ${JSON.stringify(received.map((r) => r.type))}`)), timeoutMs);
        waiters.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e)) });
      }),
    lastSeq: () => Math.max(0, ...received.map((r) => r.seq)),
    close: () => socket.close(),
  };
}
