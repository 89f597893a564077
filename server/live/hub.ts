// The live hub: authenticates sockets with the HTTP token, puts each user in their own room (and
// coordinators on the board), replays what a reconnecting client missed, and delivers stored events
// after their transaction commits. With a PostgreSQL server it fans out across nodes through the
// Socket.IO Postgres adapter.
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { createAdapter } from '@socket.io/postgres-adapter';
import type { Db, Tx } from '../db/database.ts';
import { userForToken } from '../auth/auth.service.ts';
import type { Role, SignedInUser } from '../auth/auth.schema.ts';
import type { Envelope, Hello, LiveEventType, LiveEvents } from './events.ts';
import { boardRoom, sheetRoom, userRoom } from './rooms.ts';
import { enqueue, eventsAfter, lastSeqOf, recordAcks, usersWithRoles, type Outgoing } from './outbox.ts';

const ACK_TIMEOUT_MS = 10_000;
const DELIVER = 'live:deliver';
const ACK_FLUSH_MS = 200;
const boardRoles: readonly Role[] = ['coordinator', 'admin'];
const sheetRoles: readonly Role[] = ['community', 'coordinator', 'admin'];

/** Queues an event for users, inside the caller's transaction. */
export type Notify = <T extends LiveEventType>(userIds: number[], type: T, data: LiveEvents[T]) => Promise<void>;

export interface Audience {
  /** Every active coordinator and admin. */
  board(tx: Tx): Promise<number[]>;
  /** Everyone who may see the need sheets. */
  sheets(tx: Tx): Promise<number[]>;
}

export const audience: Audience = {
  board: (tx) => usersWithRoles(tx, boardRoles),
  sheets: (tx) => usersWithRoles(tx, sheetRoles),
};

export class LiveHub {
  private io: Server | undefined;
  private acks = new Map<number, number>();
  private ackTimer: NodeJS.Timeout | undefined;

  constructor(readonly db: Db) {}

  /** Runs `fn` in one transaction; the events it queues are sent once that transaction has committed. */
  async transaction<T>(fn: (tx: Tx, notify: Notify) => Promise<T>): Promise<T> {
    const outgoing: Outgoing[] = [];
    const result = await this.db.transaction((tx) =>
      fn(tx, async (userIds, type, data) => {
        outgoing.push(...(await enqueue(tx, userIds, type, data)));
      }),
    );
    this.deliver(outgoing);
    return result;
  }

  /** A transient event (progress, positions) to a room: not stored, not replayed, seq 0. */
  broadcast<T extends LiveEventType>(room: string, type: T, data: LiveEvents[T]): void {
    this.io?.to(room).emit(type, { seq: 0, type, data, at: new Date().toISOString() } satisfies Envelope<T>);
  }

  attach(server: HttpServer, options: { channel?: string } = {}): Server {
    const io = new Server(server, { serveClient: false, pingInterval: 10_000, pingTimeout: 8_000 });
    if (this.db.pool) io.adapter(createAdapter(this.db.pool, { channelPrefix: options.channel ?? 'lifeline', errorHandler: (e) => console.error('live adapter:', e.message) }));
    io.use(async (socket, next) => {
      const token = socket.handshake.auth?.token;
      const user = typeof token === 'string' ? await userForToken(this.db, token).catch(() => undefined) : undefined;
      if (!user) return next(new Error('unauthenticated: sign in and pass { auth: { token } }'));
      socket.data.user = user;
      next();
    });
    io.on('connection', (socket) => void this.welcome(socket));
    io.on(DELIVER, (outgoing: Outgoing[]) => this.deliverLocally(outgoing));
    this.io = io;
    return io;
  }

  async close(): Promise<void> {
    clearTimeout(this.ackTimer);
    await this.flushAcks();
    await new Promise<void>((resolve) => (this.io ? this.io.close(() => resolve()) : resolve()));
    this.io = undefined;
  }

  /**
   * Each node sends to the sockets it holds; one message tells the other nodes to do the same with
   * theirs (a per-recipient broadcast through the adapter would cost a round of NOTIFY per recipient).
   */
  private deliver(outgoing: Outgoing[]): void {
    if (!this.io || outgoing.length === 0) return;
    if (this.db.pool) this.io.serverSideEmit(DELIVER, outgoing);
    this.deliverLocally(outgoing);
  }

  private deliverLocally(outgoing: Outgoing[]): void {
    const io = this.io;
    if (!io) return;
    for (const { userId, envelope } of outgoing) {
      for (const id of io.sockets.adapter.rooms.get(userRoom(userId)) ?? []) {
        io.sockets.sockets.get(id)?.emit(envelope.type, envelope, () => this.acked(userId, envelope.seq));
      }
    }
  }

  private async welcome(socket: Socket): Promise<void> {
    const user = socket.data.user as SignedInUser;
    await socket.join(userRoom(user.id));
    if (boardRoles.includes(user.role)) await socket.join(boardRoom);
    socket.on('sheet:join', (payload: unknown, ack?: (answer: unknown) => void) => void this.joinSheet(socket, user, payload, ack));
    const lastSeq = Number(socket.handshake.auth?.lastSeq);
    let replayed = 0;
    if (Number.isInteger(lastSeq) && lastSeq >= 0) {
      for (const envelope of await eventsAfter(this.db, user.id, lastSeq)) {
        socket.timeout(ACK_TIMEOUT_MS).emit(envelope.type, envelope, (error: Error | null) => {
          if (!error) this.acked(user.id, envelope.seq);
        });
        replayed++;
      }
    }
    socket.emit('live:hello', { userId: user.id, lastSeq: await lastSeqOf(this.db, user.id), replayed } satisfies Hello);
  }

  private async joinSheet(socket: Socket, user: SignedInUser, payload: unknown, ack?: (answer: unknown) => void): Promise<void> {
    const community = (payload as { community?: unknown })?.community;
    if (!sheetRoles.includes(user.role)) return ack?.({ ok: false, error: 'forbidden: the need sheets are for community workers and coordinators' });
    if (typeof community !== 'string' || community.trim() === '') return ack?.({ ok: false, error: 'community: required' });
    await socket.join(sheetRoom(community));
    ack?.({ ok: true, community });
  }

  private acked(userId: number, seq: number): void {
    this.acks.set(userId, Math.max(seq, this.acks.get(userId) ?? 0));
    this.ackTimer ??= setTimeout(() => void this.flushAcks(), ACK_FLUSH_MS);
  }

  private async flushAcks(): Promise<void> {
    this.ackTimer = undefined;
    const batch = this.acks;
    this.acks = new Map();
    await recordAcks(this.db, batch).catch((e) => console.error('live: recording acks failed', e));
  }
}
