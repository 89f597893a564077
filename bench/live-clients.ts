// The client side of the live benchmark, run as a child process so that the server's memory per
// socket is measured on its own: opens N sockets, reports connect time and push latencies over IPC.
import { io, type Socket } from 'socket.io-client';

interface Start {
  url: string;
  tokens: string[];
}

const now = () => performance.timeOrigin + performance.now();
let sockets: Socket[] = [];
const lastSeq: number[] = [];
const latencies = new Map<string, number[]>();

function open(url: string, token: string, i: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { auth: { token, lastSeq: lastSeq[i] ?? 0 }, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.on('route:assigned', (e: { seq: number; data: { route: { label: string; sentAt: number } } }) => {
      if (e.seq <= (lastSeq[i] ?? 0)) return;
      const list = latencies.get(e.data.route.label) ?? [];
      list.push(now() - e.data.route.sentAt);
      latencies.set(e.data.route.label, list);
      lastSeq[i] = e.seq;
      // As the web app does: one cumulative acknowledgement a quarter of a second after the last event.
      setTimeout(() => socket.emit('live:ack', lastSeq[i]), 250);
    });
    socket.once('live:hello', () => resolve());
    socket.once('connect_error', reject);
    sockets[i] = socket;
  });
}

async function connectAll(start: Start): Promise<number> {
  const t0 = now();
  // A bounded number of handshakes in flight, as a city's phones would arrive.
  const batch = 200;
  for (let i = 0; i < start.tokens.length; i += batch) {
    await Promise.all(start.tokens.slice(i, i + batch).map((token, j) => open(start.url, token, i + j)));
  }
  return now() - t0;
}

let current: Start;
process.on('message', async (message: { cmd: string; label?: string; start?: Start }) => {
  if (message.cmd === 'connect') {
    current = message.start!;
    process.send!({ cmd: 'connected', ms: await connectAll(current) });
  } else if (message.cmd === 'disconnect') {
    for (const s of sockets) s.close();
    sockets = [];
    process.send!({ cmd: 'disconnected' });
  } else if (message.cmd === 'reconnect') {
    process.send!({ cmd: 'connected', ms: await connectAll(current) });
  } else if (message.cmd === 'count') {
    const list = latencies.get(message.label!) ?? [];
    process.send!({ cmd: 'count', received: list.length, latencies: list });
  } else if (message.cmd === 'exit') {
    for (const s of sockets) s.close();
    process.exit(0);
  }
});
