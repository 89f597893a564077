// The client side of the live benchmark, run as a child process so that the server's memory per
// socket is measured on its own: opens N phones, reports connect time and push latencies over IPC.
// Two kinds of phone: socket.io-client itself, and a lean one speaking the same protocol over a bare
// WebSocket. socket.io-client spends about 11 µs of CPU on each message (55 ms for 5,000); a real phone
// spends that on its own processor, but 5,000 simulated ones spend it in turn on a core of the server's
// machine, so the lean phone is the one that measures the server rather than its simulated clients.
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import type { Envelope } from '../server/live/events.ts';

export type PhoneKind = 'lean' | 'socket.io-client';

interface Start {
  url: string;
  tokens: string[];
  phones: PhoneKind;
}

interface Phone {
  ack(seq: number): void;
  close(): void;
}

type OnEvent = (type: string, envelope: Envelope) => void;

const now = () => performance.timeOrigin + performance.now();
let phones: Phone[] = [];
const lastSeq: number[] = [];
const latencies = new Map<string, number[]>();

/** socket.io-client, WebSocket only; resolves once the server's hello (after any replay) is in. */
function socketIoPhone(url: string, token: string, from: number, onEvent: OnEvent): Promise<Phone> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { auth: { token, lastSeq: from }, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.on('route:assigned', (envelope: Envelope) => onEvent('route:assigned', envelope));
    socket.once('live:hello', () => resolve({ ack: (seq) => socket.emit('live:ack', seq), close: () => socket.close() }));
    socket.once('connect_error', reject);
  });
}

/**
 * Engine.IO 4 and Socket.IO 5 over a bare WebSocket, as socket.io-client speaks them on a WebSocket-only
 * connection: answer the open packet with a connect carrying the auth, answer pings, read events.
 */
function leanPhone(url: string, token: string, from: number, onEvent: OnEvent): Promise<Phone> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
    const phone: Phone = { ack: (seq) => ws.send(`42${JSON.stringify(['live:ack', seq])}`), close: () => ws.close() };
    ws.on('message', (data: Buffer) => {
      const packet = data.toString();
      if (packet[0] === '0') ws.send(`40${JSON.stringify({ token, lastSeq: from })}`);
      else if (packet === '2') ws.send('3');
      else if (packet.startsWith('42')) {
        const [type, envelope] = JSON.parse(packet.slice(2)) as [string, Envelope];
        if (type === 'live:hello') resolve(phone);
        else onEvent(type, envelope);
      } else if (packet.startsWith('44')) reject(new Error((JSON.parse(packet.slice(2)) as { message: string }).message));
    });
    ws.once('error', reject);
  });
}

function open(start: Start, i: number): Promise<void> {
  const connect = start.phones === 'lean' ? leanPhone : socketIoPhone;
  return connect(start.url, start.tokens[i]!, lastSeq[i] ?? 0, (type, e) => {
    if (type !== 'route:assigned' || e.seq <= (lastSeq[i] ?? 0)) return;
    // The bench's pushes carry their label and send time beside the event's fields.
    const route = (e as Envelope<'route:assigned'>).data as unknown as { label: string; sentAt: number };
    const list = latencies.get(route.label) ?? [];
    list.push(now() - route.sentAt);
    latencies.set(route.label, list);
    lastSeq[i] = e.seq;
    // As the web app does: one cumulative acknowledgement a quarter of a second after the last event.
    setTimeout(() => phones[i]?.ack(lastSeq[i]!), 250);
  }).then((phone) => void (phones[i] = phone));
}

async function connectAll(start: Start): Promise<number> {
  const t0 = now();
  // A bounded number of handshakes in flight, as a city's phones would arrive.
  const batch = 200;
  for (let i = 0; i < start.tokens.length; i += batch) {
    await Promise.all(start.tokens.slice(i, i + batch).map((_, j) => open(start, i + j)));
  }
  return now() - t0;
}

let current: Start;
process.on('message', async (message: { cmd: string; label?: string; start?: Start }) => {
  if (message.cmd === 'connect') {
    current = message.start!;
    process.send!({ cmd: 'connected', ms: await connectAll(current) });
  } else if (message.cmd === 'disconnect') {
    for (const p of phones) p.close();
    phones = [];
    process.send!({ cmd: 'disconnected' });
  } else if (message.cmd === 'reconnect') {
    process.send!({ cmd: 'connected', ms: await connectAll(current) });
  } else if (message.cmd === 'count') {
    const list = latencies.get(message.label!) ?? [];
    process.send!({ cmd: 'count', received: list.length, latencies: list });
  } else if (message.cmd === 'exit') {
    for (const p of phones) p.close();
    process.exit(0);
  }
});
