import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { emitToRooms, textFrame } from '../../../server/live/fanout.ts';

/** A bare Socket.IO server whose sockets join the rooms named in their handshake. */
async function startServer(): Promise<{ io: Server; http: HttpServer; url: string }> {
  const http = createServer();
  const io = new Server(http, { serveClient: false });
  io.on('connection', (socket) => void socket.join((socket.handshake.auth.rooms as string[]) ?? []));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return { io, http, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

interface Phone {
  socket: Socket;
  got: { n: number; text?: string }[];
  serverSide: ServerSocket;
}

async function phone(io: Server, url: string, rooms: string[], transports: ('websocket' | 'polling')[]): Promise<Phone> {
  const got: Phone['got'] = [];
  const socket = connect(url, { auth: { rooms }, transports, reconnection: false, forceNew: true });
  socket.on('route:updated', (data: { n: number; text?: string }) => got.push(data));
  await new Promise<void>((resolve, reject) => (socket.once('connect', resolve), socket.once('connect_error', reject)));
  // Rooms are joined just after the connection: wait until the server side is in all of them.
  for (;;) {
    const serverSide = io.of('/').sockets.get(socket.id!);
    if (serverSide && rooms.every((r) => serverSide.rooms.has(r))) return { socket, got, serverSide };
    await new Promise((r) => setTimeout(r, 5));
  }
}

const settle = (ms = 150) => new Promise((r) => setTimeout(r, ms));

describe('textFrame', () => {
  it.each([
    [5, [0x81, 5]],
    [125, [0x81, 125]],
    [126, [0x81, 126, 0, 126]],
    [65535, [0x81, 126, 255, 255]],
    [65536, [0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0]],
  ])('frames a %i-byte payload with the header RFC 6455 gives', (length, head) => {
    const payload = Buffer.alloc(length, 'x');
    const frame = textFrame(payload);
    expect([...frame.subarray(0, head.length)]).toEqual(head);
    expect(frame.subarray(head.length).equals(payload)).toBe(true);
  });
});

describe('emitToRooms', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  const phones: Phone[] = [];
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    for (const p of phones) p.socket.close();
    await new Promise<void>((resolve) => server.io.close(() => resolve()));
  });
  const open = async (rooms: string[], transports: ('websocket' | 'polling')[] = ['websocket']) => {
    const p = await phone(server.io, server.url, rooms, transports);
    phones.push(p);
    return p;
  };

  it('reaches every socket in the rooms once, WebSocket and long-polling alike, and skips the others and the excepted', async () => {
    const ws = await open(['user:1', 'board']);
    const polling = await open(['user:2'], ['polling']);
    const excepted = await open(['user:1']);
    const outside = await open(['user:3']);
    emitToRooms(server.io, ['user:1', 'board', 'user:2'], [excepted.socket.id!], 'route:updated', { n: 1, text: 'étage 3 — 门 2' });
    await settle();
    expect(ws.got).toEqual([{ n: 1, text: 'étage 3 — 门 2' }]);
    expect(polling.got).toEqual([{ n: 1, text: 'étage 3 — 门 2' }]);
    expect(excepted.got).toEqual([]);
    expect(outside.got).toEqual([]);
  });

  it('writes straight to an idle WebSocket, and leaves long-polling to Socket.IO', async () => {
    const ws = await open(['direct']);
    const polling = await open(['direct'], ['polling']);
    const packets = new Map<Phone, number>([[ws, 0], [polling, 0]]);
    for (const p of [ws, polling]) p.serverSide.conn.on('packetCreate', (packet: { type: string }) => packet.type === 'message' && packets.set(p, packets.get(p)! + 1));
    emitToRooms(server.io, ['direct'], [], 'route:updated', { n: 1 });
    await settle();
    expect(ws.got).toEqual([{ n: 1 }]);
    expect(polling.got).toEqual([{ n: 1 }]);
    expect(packets.get(ws)).toBe(0);
    expect(packets.get(polling)).toBe(1);
  });

  it('leaves every socket to Socket.IO when the fan-out is set to socket.io', async () => {
    const ws = await open(['plain']);
    let packets = 0;
    ws.serverSide.conn.on('packetCreate', (packet: { type: string }) => packet.type === 'message' && packets++);
    emitToRooms(server.io, ['plain'], [], 'route:updated', { n: 1 }, 'socket.io');
    await settle();
    expect(ws.got).toEqual([{ n: 1 }]);
    expect(packets).toBe(1);
  });

  it('keeps the order of the calls when a socket still has a Socket.IO write in flight', async () => {
    const p = await open(['order']);
    p.serverSide.emit('route:updated', { n: 1 }); // through engine.io: its transport is busy until the write completes
    for (let n = 2; n <= 20; n++) emitToRooms(server.io, ['order'], [], 'route:updated', { n });
    p.serverSide.emit('route:updated', { n: 21 });
    emitToRooms(server.io, ['order'], [], 'route:updated', { n: 22 });
    await settle();
    expect(p.got.map((g) => g.n)).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
  });

  it('delivers large events intact (16- and 64-bit frame lengths)', async () => {
    const p = await open(['large']);
    for (const size of [200, 70_000]) emitToRooms(server.io, ['large'], [], 'route:updated', { n: size, text: 'ü'.repeat(size) });
    await settle(300);
    expect(p.got.map((g) => [g.n, g.text?.length])).toEqual([
      [200, 200],
      [70_000, 70_000],
    ]);
  });

  it('loses nothing and keeps the order while a connection upgrades from long-polling to WebSocket', async () => {
    let n = 0;
    const timer = setInterval(() => emitToRooms(server.io, ['upgrade'], [], 'route:updated', { n: ++n }), 2);
    const p = await open(['upgrade'], ['polling', 'websocket']);
    await new Promise<void>((resolve) => (p.socket.io.engine.transport.name === 'websocket' ? resolve() : p.socket.io.engine.once('upgrade', () => resolve())));
    await settle(100);
    clearInterval(timer);
    await settle();
    const seen = p.got.map((g) => g.n);
    expect(seen.length).toBeGreaterThan(10);
    expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => seen[0]! + i));
    expect(seen.at(-1)).toBe(n);
  });
});
