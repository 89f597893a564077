// Sends one event to many sockets of this node. Socket.IO's broadcast takes every socket through
// engine.io's per-packet bookkeeping (packet objects, flush and drain events, a write callback): 15–20 ms
// of the 60–70 ms a 5,000-socket push spends in its send loop on a 2-core machine. A socket on an idle WebSocket instead gets
// the same pre-built frame written straight to its connection; any other socket (long-polling, upgrading,
// a write still in flight) goes through Socket.IO as usual, so per socket the order stays that of the calls.
import type { Server, Socket } from 'socket.io';

/** `frames` (the default) writes as above; `socket.io` leaves every socket to Socket.IO's broadcast. */
export const fanouts = ['frames', 'socket.io'] as const;
export type Fanout = (typeof fanouts)[number];

/** Socket.IO's packet type for an event, and engine.io's for a message (the protocol's first two characters). */
const SOCKET_IO_EVENT = 2;
const ENGINE_IO_MESSAGE = '4';

/**
 * The part of a WebSocket transport used here. `_sender.sendFrame` is the entry engine.io itself writes
 * pre-encoded frames through, so it moves in step with the engine.io version installed.
 */
interface FrameSender {
  sendFrame(frame: Buffer[]): void;
}

interface WebSocketTransport {
  name: string;
  writable: boolean;
  perMessageDeflate?: unknown;
  socket?: { readyState: number; _sender?: FrameSender };
}

interface EngineConnection {
  readyState: string;
  upgrading: boolean;
  writeBuffer: unknown[];
  transport: WebSocketTransport;
}

const WEBSOCKET_OPEN = 1;

/** The sender of a socket whose WebSocket is open and has nothing queued or in flight, if it has one. */
function idleSender(socket: Socket): FrameSender | undefined {
  const conn = socket.conn as unknown as EngineConnection;
  const transport = conn.transport;
  if (conn.readyState !== 'open' || conn.upgrading || conn.writeBuffer.length > 0) return undefined;
  if (transport.name !== 'websocket' || !transport.writable || transport.perMessageDeflate) return undefined;
  if (transport.socket?.readyState !== WEBSOCKET_OPEN) return undefined;
  return typeof transport.socket._sender?.sendFrame === 'function' ? transport.socket._sender : undefined;
}

/** A final, unmasked text frame (RFC 6455 §5.2) holding `payload`, as a server sends it. */
export function textFrame(payload: Buffer): Buffer {
  const length = payload.length;
  const head = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(head + length);
  frame[0] = 0x81;
  if (head === 2) frame[1] = length;
  else if (head === 4) (frame[1] = 126), frame.writeUInt16BE(length, 2);
  else (frame[1] = 127), frame.writeBigUInt64BE(BigInt(length), 2);
  payload.copy(frame, head);
  return frame;
}

/** The frame Socket.IO would write for this event on the default namespace, or undefined if it takes more than one. */
function eventFrame(io: Server, type: string, data: unknown): Buffer | undefined {
  const encoded = io.encoder.encode({ type: SOCKET_IO_EVENT, nsp: '/', data: [type, data] }) as unknown[];
  if (encoded.length !== 1 || typeof encoded[0] !== 'string') return undefined;
  return textFrame(Buffer.from(ENGINE_IO_MESSAGE + encoded[0]));
}

/** Emits `type` with `data` to the sockets of this node in `rooms`, except the socket ids in `except`. */
export function emitToRooms(io: Server, rooms: string[], except: string[], type: string, data: unknown, fanout: Fanout = 'frames'): void {
  const frame = fanout === 'frames' ? eventFrame(io, type, data) : undefined;
  if (!frame) return void io.local.to(rooms).except(except).emit(type, data);
  const namespace = io.of('/');
  const skip = new Set(except);
  const others: string[] = [];
  for (const room of rooms) {
    for (const id of namespace.adapter.rooms.get(room) ?? []) {
      if (skip.has(id)) continue;
      skip.add(id);
      const socket = namespace.sockets.get(id);
      if (!socket) continue;
      const sender = idleSender(socket);
      if (sender) sender.sendFrame([frame]);
      else others.push(id);
    }
  }
  // A socket id is also the name of a room holding only that socket.
  if (others.length > 0) io.local.to(others).emit(type, data);
}
