// Worker thread that owns a PGlite instance: PGlite runs each statement synchronously in WebAssembly, so on
// the main thread every query would stop the event loop (and every other request) for its duration.
// The main side (pglite-thread.ts) sends numbered requests; a transaction's statements carry its id.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { typeParsers } from './types.ts';

export interface PgliteWorkerData {
  /** PGlite's folder, or undefined for a database in memory. */
  dataDir?: string;
}

export type PgliteRequest =
  | { id: number; op: 'query'; sql: string; params?: unknown[]; txId?: number }
  | { id: number; op: 'exec'; sql: string }
  | { id: number; op: 'begin' }
  | { id: number; op: 'commit' | 'rollback'; txId: number }
  | { id: number; op: 'close' };

/** An error as plain data: its message, name and the fields PostgreSQL gives it (code = SQLSTATE, detail, constraint…). */
export type ErrorData = { message: string; name: string } & Record<string, string | number | boolean>;

/** The answer to a request; id 0 answers the start (PGlite ready, or the error it failed with). */
export type PgliteAnswer = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: ErrorData };

const port = parentPort!;
const { dataDir } = workerData as PgliteWorkerData;

function errorData(error: unknown): ErrorData {
  const e = error instanceof Error ? error : new Error(String(error));
  const fields = Object.fromEntries(Object.entries(e).filter(([, value]) => ['string', 'number', 'boolean'].includes(typeof value)));
  return { ...fields, message: e.message, name: e.name };
}

async function answer(id: number, work: () => Promise<unknown>): Promise<void> {
  try {
    port.postMessage({ id, ok: true, value: await work() } satisfies PgliteAnswer);
  } catch (error) {
    port.postMessage({ id, ok: false, error: errorData(error) } satisfies PgliteAnswer);
  }
}

/** The requests waiting for one open transaction, handed to it one at a time. */
class Inbox {
  private readonly waiting: PgliteRequest[] = [];
  private wake?: () => void;

  push(request: PgliteRequest): void {
    this.waiting.push(request);
    this.wake?.();
  }

  async next(): Promise<PgliteRequest> {
    while (this.waiting.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
    return this.waiting.shift()!;
  }
}

const transactions = new Map<number, Inbox>();
let lastTxId = 0;

/**
 * Opens a transaction (PGlite holds every other statement until it ends) and runs the statements sent to it
 * until a commit or rollback; the begin request is answered with the transaction's id once it is open.
 */
function begin(lite: PGlite, request: PgliteRequest): void {
  const txId = ++lastTxId;
  const inbox = new Inbox();
  transactions.set(txId, inbox);
  let ending = request.id;
  lite
    .transaction(async (tx) => {
      port.postMessage({ id: request.id, ok: true, value: txId } satisfies PgliteAnswer);
      for (;;) {
        const next = await inbox.next();
        if (next.op === 'query') {
          await answer(next.id, async () => (await tx.query(next.sql, next.params)).rows);
          continue;
        }
        ending = next.id;
        if (next.op === 'rollback') await tx.rollback();
        return;
      }
    })
    .then(
      () => port.postMessage({ id: ending, ok: true, value: undefined } satisfies PgliteAnswer),
      (error: unknown) => port.postMessage({ id: ending, ok: false, error: errorData(error) } satisfies PgliteAnswer),
    )
    .finally(() => transactions.delete(txId));
}

function serve(lite: PGlite, request: PgliteRequest): void {
  if ('txId' in request && request.txId !== undefined) {
    const inbox = transactions.get(request.txId);
    if (inbox) inbox.push(request);
    else void answer(request.id, () => Promise.reject(new Error('Transaction is closed')));
    return;
  }
  switch (request.op) {
    case 'query':
      void answer(request.id, async () => (await lite.query(request.sql, request.params)).rows);
      return;
    case 'exec':
      void answer(request.id, async () => void (await lite.exec(request.sql)));
      return;
    case 'begin':
      begin(lite, request);
      return;
    case 'close':
      void answer(request.id, () => lite.close());
      return;
  }
}

try {
  const lite = new PGlite({ dataDir, parsers: typeParsers });
  await lite.waitReady;
  port.on('message', (request: PgliteRequest) => serve(lite, request));
  port.postMessage({ id: 0, ok: true, value: 'ready' } satisfies PgliteAnswer);
} catch (error) {
  port.postMessage({ id: 0, ok: false, error: errorData(error) } satisfies PgliteAnswer);
}
