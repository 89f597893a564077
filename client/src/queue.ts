// The driver's offline queue: actions taken without a connection wait on the phone in IndexedDB (photos and
// signatures included), survive a reload or a closed browser, and are sent in order when the connection
// returns, each with the Idempotency-Key it got when it was made, so each is recorded exactly once. The
// body is stored as it was at the tap, so the phone's time and position in a proof stay those of the tap.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { ApiError, newIdempotencyKey, request } from './api.ts';

export interface QueuedAction {
  /** The order actions were made in (IndexedDB's key). */
  id?: number;
  userId: number;
  key: string;
  method: 'POST';
  path: string;
  body: unknown;
  /** What the driver did, in words, for the "waiting to sync" list. */
  label: string;
  madeAt: string;
  /** Set when the server refused it for good (not a connection problem). */
  refused?: string;
}

interface QueueDb extends DBSchema {
  actions: { key: number; value: QueuedAction; indexes: { byUser: number } };
}

let database: Promise<IDBPDatabase<QueueDb>> | undefined;
const db = () =>
  (database ??= openDB<QueueDb>('lifeline-offline', 1, {
    upgrade: (d) => d.createObjectStore('actions', { keyPath: 'id', autoIncrement: true }).createIndex('byUser', 'userId'),
  }));

let userId: number | undefined;
/** The signed-in user's waiting actions as last read from IndexedDB, for the screen to show at once. */
let current: QueuedAction[] = [];
const listeners = new Set<() => void>();
let flushing: Promise<void> | undefined;

/** Opens the signed-in user's queue (each user on a shared phone has their own). */
export async function openQueue(id: number): Promise<void> {
  userId = id;
  await adoptStoredQueue(id);
  await reload();
}

/** Earlier versions kept the queue in localStorage: its waiting actions move here, keys and all. */
async function adoptStoredQueue(id: number): Promise<void> {
  const storageKey = `lifeline.queue.${id}`;
  const stored = localStorage.getItem(storageKey);
  if (stored === null) return;
  let actions: Omit<QueuedAction, 'userId'>[] = [];
  try {
    actions = JSON.parse(stored) as typeof actions;
  } catch {
    // unreadable: nothing to keep
  }
  const tx = (await db()).transaction('actions', 'readwrite');
  for (const action of actions) await tx.store.add({ ...action, userId: id });
  await tx.done;
  localStorage.removeItem(storageKey);
}

async function reload(): Promise<void> {
  const mine = userId;
  const actions = mine === undefined ? [] : await (await db()).getAllFromIndex('actions', 'byUser', mine);
  if (mine !== userId) return; // another user signed in meanwhile
  current = actions;
  listeners.forEach((l) => l());
}

export const queued = (): QueuedAction[] => current;

export function onQueueChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** Stores an action on the phone, then tries to send everything waiting; resolves once this try is over. */
export async function perform(path: string, body: unknown, label: string): Promise<void> {
  if (userId === undefined) throw new Error('the queue is opened when the user is known');
  await (await db()).add('actions', { userId, key: newIdempotencyKey(), method: 'POST', path, body, label, madeAt: new Date().toISOString() });
  await reload();
  await flush();
}

/** Sends the waiting actions in order; stops at the first one that cannot reach the server. */
export function flush(): Promise<void> {
  flushing ??= (async () => {
    try {
      await reload(); // another tab may have sent some already
      for (const action of current.filter((a) => !a.refused)) {
        if (!(await send(action))) return; // offline, server trouble or still being processed: keep it and everything after it
      }
    } finally {
      flushing = undefined;
    }
  })();
  return flushing;
}

/** Sends one action; false when it should be tried again later. */
async function send(action: QueuedAction): Promise<boolean> {
  try {
    await request(action.method, action.path, { body: action.body, idempotencyKey: action.key });
  } catch (error) {
    if (!(error instanceof ApiError)) return false;
    // carriedOut: the server did it before it stopped and lost only its answer, so it is done.
    if (!error.body.carriedOut) {
      if (error.offline || error.status >= 500 || error.body.inProgress) return false;
      await (await db()).put('actions', { ...action, refused: error.message });
      await reload();
      return true;
    }
  }
  await (await db()).delete('actions', action.id!);
  await reload();
  return true;
}

export async function dismiss(key: string): Promise<void> {
  const action = current.find((a) => a.key === key);
  if (action) await (await db()).delete('actions', action.id!);
  await reload();
}

window.addEventListener('online', () => void flush());
setInterval(() => {
  if (current.some((a) => !a.refused)) void flush();
}, 15_000);
