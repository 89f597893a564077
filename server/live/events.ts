// The live events Lifeline pushes, typed once for the server and the web app. Every stored event reaches
// its recipients as one envelope numbered in a single stream: a connection receives its events in number
// order, so a repeat is anything not above the last number handled, and 'live:ack' with a number
// acknowledges every event up to it. Transient ones (progress ticks, positions) carry seq 0 and are not replayed.
// The Socket.IO event maps (both directions) are built from them, for `new Server<…>` and the web app's socket.
import type { RouteView } from '../dispatch/dispatch.service.ts';

export interface LiveEvents {
  /**
   * A route was given to this driver or gate volunteer: the apps read it (GET /api/routes/:id). Like
   * 'route:updated' it carries no copy of the route, whose households a district's dispatch would otherwise
   * store thousands of times over in the event stream.
   */
  'route:assigned': { routeId: number; planId: number | null; version: number };
  /**
   * A route changed (re-plan, closure, recall, accepted, picked up, completed): what and why; the apps read
   * the route again. It carries no copy of the route: events are kept for replay, and a route's people should
   * not be copied into every change.
   */
  'route:updated': { routeId: number; reason: string; status: RouteView['status']; version: number };
  /** A stop was delivered, collected or failed (to the coordinators' board and the route's driver). */
  'stop:updated': { routeId: number; stopId: number; status: string; reason?: string | null };
  /** A plan changed status (ready, approved, dispatched, failed, stale). */
  'plan:status': { planId: number; status: string };
  /** A plan is still solving: how far along (transient). */
  'plan:progress': { planId: number; stage: string; fraction: number };
  /** A need changed on the need sheet (to community workers and coordinators). */
  'need:changed': { needId: number; community: string; version: number; change: 'created' | 'updated' | 'merged' | 'fulfilled'; by: number | null };
  /** A campaign was drawn, or its waiting list moved up (to the coordinators' board; every entrant's page reloads). */
  'campaign:changed': { campaignId: number; change: 'drawn' | 'moved-up' };
  /** Something a household's page shows changed (its need, plan or stop): the page reloads (to the code's room). */
  'resident:changed': { room: string };
  /** Where a driver is (transient, to the coordinators' board). */
  'board:position': { driverId: number; lat: number; lon: number };
}

export type LiveEventType = keyof LiveEvents;

export interface Envelope<T extends LiveEventType = LiveEventType> {
  seq: number;
  type: T;
  data: LiveEvents[T];
  at: string;
}

/** Sent once after connecting (and after any replay): the stream's latest number, a resume point for a new device. */
export interface Hello {
  userId: number;
  lastSeq: number;
  replayed: number;
  /** Events after the client's number were pruned (it stayed away longer than they are kept): reload what it shows. */
  resync: boolean;
}

/** What the server sends a socket: each live event as its envelope, and the hello once connected. */
export type ServerToClientEvents = { [T in LiveEventType]: (envelope: Envelope<T>) => void } & {
  'live:hello': (hello: Hello) => void;
};

/** What a socket sends the server. */
export interface ClientToServerEvents {
  /** Every event numbered up to `seq` was handled on this device. */
  'live:ack': (seq: number) => void;
}

/** Server nodes exchange nothing of their own: the Postgres adapter carries broadcasts and disconnections. */
export type InterServerEvents = Record<string, never>;
