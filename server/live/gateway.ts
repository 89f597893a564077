// The live gateway (Socket.IO): authenticates sockets with the HTTP token, puts each user in their own room
// (and coordinators on the board), closes sockets when their session expires or is revoked, replays what a
// reconnecting client missed, and delivers the outbox's stored events in the order of their numbers once their
// transaction has committed. With a PostgreSQL server, every node follows the stored stream (woken by
// NOTIFY) and sends to the sockets it holds; transient broadcasts and disconnections cross nodes through
// the Socket.IO Postgres adapter. Sign-in is injected (GatewayAuth): live/ uses nothing of auth/ at run time.
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { createAdapter } from '@socket.io/postgres-adapter';
import type { Pool, PoolClient } from 'pg';
import type { Db } from '../db/database.ts';
import type { Role, SignedInUser } from '../auth/roles.ts';
import type { ClientToServerEvents, Envelope, Hello, InterServerEvents, LiveEventType, LiveEvents, ServerToClientEvents } from './events.ts';
import { allWarehousesRoom, boardRoom, residentNamespace, residentRoom, sessionRoom, userRoom, warehouseRoom } from './rooms.ts';
import { REPLAY_PAGE, eventsFor, lastSeq, listen, pruneEvents, recordAcks, streamBetween, streamPosition, type Stored } from './outbox.repo.ts';
import type { Delivery, Outbox } from './outbox.ts';

const ACK_FLUSH_MS = 200;
const RETRY_MS = 1000;
const PRUNE_EVERY_MS = 3_600_000;
/** The longest delay a timer takes (about 24.8 days); a session ending later is checked again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const boardRoles: readonly Role[] = ['coordinator', 'admin'];

/** A signed-in session as the gateway sees it. */
export interface LiveSession {
  id: string;
  user: SignedInUser;
  expiresAt: Date;
}

/** What the gateway asks of sign-in, given by whoever assembles the server (server/app.ts). */
export interface GatewayAuth {
  /** The live session a socket's handshake opens (its `auth.token`, or the web app's cookie), if any. */
  authenticate(handshake: Socket['handshake']): Promise<LiveSession | undefined>;
  /** The room of the household page a handshake's access code opens (`auth.code`, throttled like the page), if any. */
  residentRoom(handshake: Socket['handshake']): Promise<string | undefined>;
}

/** What the gateway keeps on each socket (test/e2e/harness.ts finds a user's sockets by `user`). */
export interface SocketData {
  user: SignedInUser;
  session: LiveSession;
}

type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** A socket being sent what it missed: live events for it wait until the replay is out, to keep the order. */
interface Replaying {
  userId: number;
  held: Envelope[];
}

export class LiveGateway implements Delivery {
  private io: LiveServer | undefined;
  private acks = new Map<number, number>();
  private ackTimer: NodeJS.Timeout | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  /** Number of the last stored event this node has delivered. */
  private delivered = 0;
  /** Events this node stored and has not delivered yet (so it need not read them back). */
  private published = new Map<number, Stored>();
  private delivering: Promise<void> = Promise.resolve();
  private replaying = new Map<string, Replaying>();
  private listener: PoolClient | undefined;
  private wakeOn: string | undefined;
  readonly db: Db;

  constructor(outbox: Outbox, private readonly auth: GatewayAuth) {
    this.db = outbox.db;
    outbox.deliverBy(this);
  }

  /** The channel this node listens on, once it does: the outbox wakes the other nodes through it at each commit. */
  get wakeChannel(): string | undefined {
    return this.wakeOn;
  }

  /** Stored events of a committed transaction: delivered in number order after those before them. */
  committed(events: Stored[]): void {
    for (const event of events) this.published.set(event.envelope.seq, event);
    void this.deliverUpTo(events.at(-1)!.envelope.seq);
  }

  /** A transient event (progress, positions) to rooms: not stored, not replayed, seq 0. */
  broadcast<T extends LiveEventType>(room: string | string[], type: T, data: LiveEvents[T]): void {
    if (this.io) emitEnvelope(this.io.to(room), { seq: 0, type, data, at: new Date().toISOString() } satisfies Envelope<T>);
  }

  /** Disconnects the sockets opened with that session's token, on every node (the adapter forwards it). */
  closeSession(sessionId: string): void {
    this.io?.in(sessionRoom(sessionId)).disconnectSockets(true);
  }

  /** Disconnects the household pages open with a code that stopped working, on every node. */
  closeResident(codeHash: string): void {
    this.io?.of(residentNamespace).in(residentRoom(codeHash)).disconnectSockets(true);
  }

  /** Disconnects every socket of the user, on every node. */
  closeUser(userId: number): void {
    this.io?.in(userRoom(userId)).disconnectSockets(true);
  }

  async attach(server: HttpServer, options: { channel?: string; keepDays?: number } = {}): Promise<LiveServer> {
    const io: LiveServer = new Server(server, { serveClient: false, pingInterval: 10_000, pingTimeout: 8_000 });
    if (options.keepDays !== undefined) this.keepPruning(options.keepDays);
    const channel = options.channel ?? 'lifeline';
    this.delivered = await lastSeq(this.db);
    if (this.db.pool) {
      io.adapter(createAdapter(this.db.pool, { channelPrefix: channel, errorHandler: (e) => console.error('live adapter:', e.message) }));
      await this.follow(this.db.pool, `${channel}#events`);
    }
    io.use(async (socket, next) => {
      const session = await this.auth.authenticate(socket.handshake).catch(() => undefined);
      if (!session) return next(new Error('unauthenticated: sign in and pass { auth: { token } }'));
      // The user also on its own: test/e2e/harness.ts finds a user's sockets by it.
      socket.data.user = session.user;
      socket.data.session = session;
      next();
    });
    io.on('connection', (socket) => void this.welcome(socket));
    this.openResidentPages(io);
    this.io = io;
    return io;
  }

  /**
   * In a process without sockets (`lifeline worker`): the events its changes store wake the server nodes, as
   * theirs do, and its transient broadcasts (a plan's progress) reach their sockets through the adapter.
   */
  async relay(channel = 'lifeline'): Promise<void> {
    if (!this.db.pool) return;
    const io: LiveServer = new Server({ serveClient: false });
    io.adapter(createAdapter(this.db.pool, { channelPrefix: channel, errorHandler: (e) => console.error('live adapter:', e.message) }));
    this.delivered = await lastSeq(this.db);
    this.wakeOn = `${channel}#events`;
    this.io = io;
  }

  /** Households' pages: a socket opened with a live access code joins that code's room and only hears that the page changed. */
  private openResidentPages(io: LiveServer): void {
    io.of(residentNamespace).use(async (socket, next) => {
      const room = await this.auth.residentRoom(socket.handshake).catch(() => undefined);
      if (!room) return next(new Error('not-found: this link is not valid (any more)'));
      await socket.join(room);
      next();
    });
  }

  /** Drops old acknowledged events now and every hour (any node may do it; the DELETE is idempotent). */
  private keepPruning(keepDays: number): void {
    const prune = () => void pruneEvents(this.db, keepDays).catch((e: Error) => console.error('live: pruning old events failed:', e.message));
    prune();
    this.pruneTimer = setInterval(prune, PRUNE_EVERY_MS).unref();
  }

  /** Resolves once every event this node knows of has been handed to the sockets it holds. */
  sent(): Promise<void> {
    return this.delivering;
  }

  async close(): Promise<void> {
    await this.sent();
    clearInterval(this.pruneTimer);
    // Sockets first, so that no acknowledgement arrives after the last flush.
    await new Promise<void>((resolve) => (this.io ? this.io.close(() => resolve()) : resolve()));
    this.io = undefined;
    clearTimeout(this.ackTimer);
    await this.flushAcks();
    // Ended, not returned to the pool, where it would go on listening.
    const listener = this.listener;
    this.listener = undefined;
    listener?.release(true);
  }

  /** Other nodes' events: a notification says up to which number there is something to deliver. */
  private async follow(pool: Pool, wakeChannel: string): Promise<void> {
    const listener = await pool.connect();
    listener.on('notification', (message) => {
      if (message.channel === wakeChannel) void this.deliverUpTo(Number(message.payload));
    });
    listener.on('error', (error) => {
      // Only the connection being followed: one that failed to LISTEN is ended below, one ended by close() is done.
      if (this.listener !== listener) return;
      console.error('live: lost the event stream connection, listening again:', error.message);
      this.listener = undefined;
      listener.release(error);
      this.followAgain(pool, wakeChannel);
    });
    try {
      await listen(listener, wakeChannel);
    } catch (error) {
      listener.release(error as Error);
      throw error;
    }
    this.listener = listener;
    this.wakeOn = wakeChannel;
  }

  /** Listens again after a lost connection, then catches up with what was stored meanwhile. */
  private followAgain(pool: Pool, wakeChannel: string): void {
    setTimeout(async () => {
      if (!this.io) return;
      try {
        await this.follow(pool, wakeChannel);
        await this.deliverUpTo(await lastSeq(this.db));
      } catch (error) {
        console.error('live: could not listen again yet:', (error as Error).message);
        this.followAgain(pool, wakeChannel);
      }
    }, RETRY_MS).unref();
  }

  /** Delivers, one batch after another and in number order, every stored event up to `seq`. */
  private deliverUpTo(seq: number): Promise<void> {
    this.delivering = this.delivering.then(async () => {
      if (seq <= this.delivered) return;
      const batch: Stored[] = [];
      for (let next = this.delivered + 1; this.published.has(next); next++) batch.push(this.published.get(next)!);
      const known = this.delivered + batch.length;
      if (known < seq) {
        // Numbers are gapless and commit in order, so everything up to `seq` is there to read.
        const rest = await streamBetween(this.db, known, seq).catch((error: Error) => {
          console.error('live: reading the event stream failed, retrying:', error.message);
          setTimeout(() => void this.deliverUpTo(seq), RETRY_MS).unref();
          return [];
        });
        batch.push(...rest);
      }
      for (const event of batch) {
        this.send(event);
        this.published.delete(event.envelope.seq);
        this.delivered = event.envelope.seq;
      }
    });
    return this.delivering;
  }

  /** One encoded message to every recipient's sockets on this node, except those still being replayed to. */
  private send({ recipients, envelope }: Stored): void {
    const io = this.io;
    if (!io) return;
    if (envelope.type === 'resident:changed') {
      emitEnvelope(io.of(residentNamespace).local.to((envelope.data as LiveEvents['resident:changed']).room), envelope);
    }
    // No recipients is no user (to() of no room would be everyone).
    if (recipients.length === 0) return;
    const held: string[] = [];
    if (this.replaying.size > 0) {
      const wanted = new Set(recipients);
      for (const [socketId, replaying] of this.replaying) {
        if (!wanted.has(replaying.userId)) continue;
        replaying.held.push(envelope);
        held.push(socketId);
      }
    }
    emitEnvelope(io.local.to(recipients.map(userRoom)).except(held), envelope);
  }

  private async welcome(socket: LiveSocket): Promise<void> {
    const session = socket.data.session;
    const user = session.user;
    closeAtExpiry(socket, session.expiresAt);
    const from = Number(socket.handshake.auth?.lastSeq);
    const replay = Number.isInteger(from) && from >= 0;
    const replaying: Replaying = { userId: user.id, held: [] };
    if (replay) this.replaying.set(socket.id, replaying);
    socket.on('live:ack', (seq: unknown) => {
      if (Number.isSafeInteger(seq) && (seq as number) > 0) this.acked(user.id, seq as number);
    });
    try {
      await socket.join([userRoom(user.id), sessionRoom(session.id)]);
      if (boardRoles.includes(user.role)) await socket.join([boardRoom, ...(user.warehouseIds?.map(warehouseRoom) ?? [allWarehousesRoom])]);
      let replayed = 0;
      let last = from;
      if (replay) {
        let page: Envelope[];
        // A page shorter than a full one is the last: no extra query per reconnecting socket.
        do {
          page = await eventsFor(this.db, user.id, last);
          for (const envelope of page) emitEnvelope(socket, envelope);
          replayed += page.length;
          last = page.at(-1)?.seq ?? last;
        } while (page.length === REPLAY_PAGE);
      }
      const stream = await streamPosition(this.db);
      // No await from here on: what was held back goes out, then (finally) the socket takes live events directly.
      for (const envelope of replaying.held) if (envelope.seq > last) emitEnvelope(socket, envelope);
      const resync = replay && from < stream.prunedThrough;
      socket.emit('live:hello', { userId: user.id, lastSeq: stream.lastSeq, replayed, resync } satisfies Hello);
    } finally {
      this.replaying.delete(socket.id);
    }
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

/** A socket, or sockets in rooms, as far as sending envelopes goes. */
interface EnvelopeTarget {
  emit(type: LiveEventType, envelope: Envelope): unknown;
}

/**
 * Sends an envelope under its own type. A stored envelope's type is known only at run time, and TypeScript
 * cannot pair it with its payload in the event map: the pairing holds because `store` wrote them together.
 */
const emitEnvelope = (to: EnvelopeTarget, envelope: Envelope) => to.emit(envelope.type, envelope);

/** Disconnects the socket when its session expires (unless it has gone by then). */
function closeAtExpiry(socket: LiveSocket, expiresAt: Date): void {
  const wait = () => Math.min(expiresAt.getTime() - Date.now(), MAX_TIMER_MS);
  let timer: NodeJS.Timeout;
  const check = () => {
    if (wait() > 0) timer = setTimeout(check, wait()).unref();
    else socket.disconnect(true);
  };
  check();
  socket.once('disconnect', () => clearTimeout(timer));
}
