// The driver's offline queue: actions taken without a connection wait on the phone (localStorage) and
// are sent in order when it returns, each with the Idempotency-Key it got when it was made, so a
// retried delivery is recorded exactly once.
import { ApiError, newIdempotencyKey, request } from './api.ts';

export interface QueuedAction {
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

let storageKey = 'lifeline.queue';
const listeners = new Set<() => void>();
let flushing: Promise<void> | undefined;

export function openQueue(userId: number): void {
  storageKey = `lifeline.queue.${userId}`;
  listeners.forEach((l) => l());
}

export function queued(): QueuedAction[] {
  try {
    return JSON.parse(localStorage.getItem(storageKey) ?? '[]') as QueuedAction[];
  } catch {
    return [];
  }
}

function save(actions: QueuedAction[]): void {
  localStorage.setItem(storageKey, JSON.stringify(actions));
  listeners.forEach((l) => l());
}

export function onQueueChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** Queues an action and tries to send everything waiting; resolves once this try is over. */
export async function perform(path: string, body: unknown, label: string): Promise<void> {
  save([...queued(), { key: newIdempotencyKey(), method: 'POST', path, body, label, madeAt: new Date().toISOString() }]);
  await flush();
}

/** Sends the waiting actions in order; stops at the first one that cannot reach the server. */
export function flush(): Promise<void> {
  flushing ??= (async () => {
    try {
      for (const action of queued().filter((a) => !a.refused)) {
        try {
          await request(action.method, action.path, { body: action.body, idempotencyKey: action.key });
          save(queued().filter((a) => a.key !== action.key));
        } catch (error) {
          if (error instanceof ApiError && error.body.carriedOut) {
            // The server did it before it stopped, and lost only its answer: done (the route reloads).
            save(queued().filter((a) => a.key !== action.key));
            continue;
          }
          if (error instanceof ApiError && !error.offline && error.status < 500 && !error.body.inProgress) {
            save(queued().map((a) => (a.key === action.key ? { ...a, refused: error.message } : a)));
            continue;
          }
          return; // offline, server trouble or still being processed: keep it and everything after it for the next try
        }
      }
    } finally {
      flushing = undefined;
    }
  })();
  return flushing;
}

export function dismiss(key: string): void {
  save(queued().filter((a) => a.key !== key));
}

window.addEventListener('online', () => void flush());
setInterval(() => {
  if (queued().some((a) => !a.refused)) void flush();
}, 15_000);
