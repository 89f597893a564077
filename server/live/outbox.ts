// The outbox's unit of work, the one door to a transaction that announces something: `transaction` opens
// it, collects the events the change queues for their audiences, stores them at its end (same commit as the
// change) and, once committed, hands them to this node's gateway for delivery. A transaction that announces
// nothing opens through `db.transaction`; `notify` exists only inside `outbox.transaction`, so no change can
// queue an event that would not be stored with it.
import { lastIn, type Db, type Tx } from '../db/database.ts';
import type { LiveEventType, LiveEvents } from './events.ts';
import { store, type Pending, type Stored } from './outbox.repo.ts';

export type { Pending };

/** Queues an event for users, inside the caller's transaction. */
export type Notify = <T extends LiveEventType>(userIds: number[], type: T, data: LiveEvents[T]) => Promise<void>;

/**
 * More events a transaction's events call for, stored with them (given by whoever assembles the server, so live/
 * knows no noun): e.g. a need that changed tells the open pages of its household.
 */
export type Echo = (tx: Tx, pending: Pending[]) => Promise<Pending[]>;

/** One transaction's events: queued, then as stored. */
interface Queued {
  pending: Pending[];
  stored: Stored[];
}

/** Who delivers what committed: this node's gateway. */
export interface Delivery {
  /** The stored events of one committed transaction, in number order. */
  committed(events: Stored[]): void;
  /** The PostgreSQL channel that wakes the other server nodes at commit, once this node follows it. */
  readonly wakeChannel: string | undefined;
}

export class Outbox {
  private deliveredBy: Delivery | undefined;

  constructor(
    readonly db: Db,
    private readonly echo?: Echo,
    /** The outbox this one opens transactions for through another door (see `through`). */
    private readonly parent?: Outbox,
  ) {}

  /** The gateway that delivers this outbox's events (until then they are only stored). */
  deliverBy(delivery: Delivery): void {
    this.deliveredBy = delivery;
  }

  private get delivery(): Delivery | undefined {
    return this.parent ? this.parent.delivery : this.deliveredBy;
  }

  /** The same outbox (same echo, same gateway), its transactions opened through `db` (e.g. db/grouped.ts). */
  through(db: Db): Outbox {
    return new Outbox(db, this.echo, this);
  }

  /** Runs `fn` in one transaction; the events it queues are stored at its end and delivered once it has committed. */
  async transaction<T>(fn: (tx: Tx, notify: Notify) => Promise<T>): Promise<T> {
    let queued: Queued = { pending: [], stored: [] };
    const result = await this.db.transaction(async (tx) => {
      // Afresh for each run of `fn` (a grouped batch may run it again).
      queued = { pending: [], stored: [] };
      const mine = queued;
      const value = await fn(tx, async (userIds, type, data) => {
        const recipients = [...new Set(userIds)];
        if (recipients.length > 0) mine.pending.push({ recipients, type, data } as Pending);
      });
      // Last in the transaction; in a grouped batch at the batch's end, for all its transactions in one statement
      // (the counter's lock is held until commit), after the batch's other works, which may queue events too.
      await lastIn(tx, this.root.storeAll, mine, true);
      return value;
    });
    if (queued.stored.length > 0) this.delivery?.committed(queued.stored);
    return result;
  }

  /** The outbox whose transactions this one's join in a batch (the same for every door). */
  private get root(): Outbox {
    return this.parent?.root ?? this;
  }

  /**
   * Stores the events of transactions that end together, with the further events their echo calls for, in one
   * statement; each transaction delivers its own once committed (the echoed ones go with the last).
   */
  private readonly storeAll = async (tx: Tx, transactions: Queued[]): Promise<void> => {
    const pending = transactions.flatMap((t) => t.pending);
    if (pending.length === 0) return;
    const echoed = this.echo ? await this.echo(tx, pending) : [];
    const stored = await store(tx, [...pending, ...echoed], this.delivery?.wakeChannel);
    let at = 0;
    for (const [i, t] of transactions.entries()) {
      const end = i === transactions.length - 1 ? stored.length : at + t.pending.length;
      t.stored = stored.slice(at, end);
      at = end;
    }
  };
}
