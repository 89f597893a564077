// Live updates over Socket.IO: one connection per signed-in user that remembers how far it got in the
// stream of events (on this device), asks for what it missed on reconnect, hands each event to the screens
// once, even when the server replays it, and then acknowledges how far it got.
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, Envelope, LiveEventType, LiveEvents, ServerToClientEvents } from '../../server/live/events.ts';

export type { Envelope, LiveEventType, LiveEvents };
export type LiveState = 'connecting' | 'live' | 'offline';

type Handler = (envelope: Envelope) => void;

let socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;
let seqKey = '';
let state: LiveState = 'offline';
const handlers = new Map<string, Set<Handler>>();
const stateListeners = new Set<(s: LiveState) => void>();
const resyncListeners = new Set<() => void>();

/**
 * Every event numbered up to `handled` has been handled by this tab. The server sends a connection its
 * events in number order (a replay first, then live ones), so anything not above `handled` is a repeat.
 * Each tab keeps its own count, starting from what this device stored; a device that never connected
 * starts from now instead of replaying history.
 */
let handled: number | undefined;
let ackTimer: ReturnType<typeof setTimeout> | undefined;
/** Acknowledgements are cumulative, so a burst of events is acknowledged once, shortly after its last. */
const ACK_AFTER_MS = 250;
const storedSeq = () => (localStorage.getItem(seqKey) === null ? undefined : Number(localStorage.getItem(seqKey)));

/** True the first time a sequence number is seen. */
function firstTime(seq: number): boolean {
  if (handled !== undefined && seq <= handled) return false;
  handled = seq;
  if (handled > (storedSeq() ?? 0)) localStorage.setItem(seqKey, String(handled));
  return true;
}

function acknowledge(): void {
  ackTimer ??= setTimeout(() => {
    ackTimer = undefined;
    if (handled !== undefined) socket?.emit('live:ack', handled);
  }, ACK_AFTER_MS);
}

function setState(next: LiveState): void {
  state = next;
  stateListeners.forEach((l) => l(next));
}

/** Connects as the signed-in user: the handshake carries the session cookie. */
export function connectLive(userId: number): void {
  disconnectLive();
  seqKey = `lifeline.lastSeq.${userId}`;
  setState('connecting');
  handled = storedSeq();
  socket = io({ auth: (cb) => cb({ lastSeq: handled }), transports: ['websocket', 'polling'] });
  socket.on('live:hello', (hello) => {
    if (hello.resync) resyncListeners.forEach((l) => l());
    if (handled === undefined) {
      handled = hello.lastSeq;
      localStorage.setItem(seqKey, String(handled));
    }
  });
  socket.on('connect', () => setState('live'));
  socket.on('disconnect', (reason) => {
    setState('offline');
    // The server closes a socket when the user's scope changes: come back into the new scope's rooms
    // (a revoked sign-in is then refused at the handshake and stays offline).
    if (reason === 'io server disconnect') socket?.connect();
  });
  socket.on('connect_error', () => setState('offline'));
  socket.onAny((type: string, payload: unknown) => {
    const envelope = payload as Envelope;
    if (!envelope || typeof envelope !== 'object' || !('seq' in envelope)) return;
    if (envelope.seq > 0 && !firstTime(envelope.seq)) return; // a replay of something already handled
    handlers.get(type)?.forEach((h) => h(envelope));
    handlers.get('*')?.forEach((h) => h(envelope));
    if (envelope.seq > 0) acknowledge();
  });
}

export function disconnectLive(): void {
  clearTimeout(ackTimer);
  ackTimer = undefined;
  socket?.disconnect();
  socket = undefined;
  setState('offline');
}

/** Subscribes to one event type (or '*' for all); returns the unsubscribe function. */
export function onLive<T extends LiveEventType>(type: T | '*', handler: (envelope: Envelope<T>) => void): () => void {
  const set = handlers.get(type) ?? new Set();
  handlers.set(type, set);
  set.add(handler as Handler);
  return () => void set.delete(handler as Handler);
}

/** Runs `fn` when the server says events this device missed were pruned: what the screen shows must be reloaded. */
export function onLiveResync(fn: () => void): () => void {
  resyncListeners.add(fn);
  return () => void resyncListeners.delete(fn);
}

export function onLiveState(listener: (s: LiveState) => void): () => void {
  stateListeners.add(listener);
  listener(state);
  return () => void stateListeners.delete(listener);
}
