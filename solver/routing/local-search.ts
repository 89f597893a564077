// Local search over granular neighbourhoods: for each customer in a work list, try every move with each
// of its neighbours and apply the first that lowers the cost; customers near a change are re-queued.
// When no such move helps, SWAP* tries the routes changed since it last looked, and the loop goes on
// around what it moved.
import type { Random } from '../random.ts';
import { crossExchange } from './moves/cross-exchange.ts';
import type { MoveFactory, RoutingMove } from './moves/move.ts';
import { orOpt } from './moves/or-opt.ts';
import { pairRelocate } from './moves/pair-relocate.ts';
import { relocate } from './moves/relocate.ts';
import { SwapStar } from './moves/swap-star.ts';
import { swap } from './moves/swap.ts';
import { twoOptStar } from './moves/two-opt-star.ts';
import { twoOpt } from './moves/two-opt.ts';
import type { SearchState } from './search-state.ts';

export const MOVES: MoveFactory[] = [relocate, swap, orOpt, twoOpt, twoOptStar, crossExchange];
const IMPROVEMENT = 1e-6;

export class LocalSearch {
  private readonly moves: RoutingMove[];
  private readonly queued: Uint8Array;
  private queue: number[] = [];
  /** Null where the problem's tasks do not move one by one on distance (see SwapStar.applies). */
  private readonly swapStar: SwapStar | null;
  movesApplied = 0;

  constructor(
    private readonly s: SearchState,
    private readonly neighbours: Int32Array[],
    private readonly random: Random,
    options: { swapStar?: boolean; moves?: MoveFactory[] } = {},
  ) {
    const moves = options.moves ?? MOVES;
    // Shipments add a move of their own; problems without them do not pay for it.
    this.moves = (s.pairs ? [...moves, pairRelocate] : moves).map((factory) => factory(s));
    this.queued = new Uint8Array(s.inst.customerCount);
    this.swapStar = options.swapStar !== false && SwapStar.applies(s) ? new SwapStar(s, neighbours) : null;
  }

  /** Improves the solution until no move helps around the given customers (default: all, in random order). */
  run(start?: Iterable<number>): void {
    const initial = start ? Array.from(start) : this.random.shuffle(Array.from({ length: this.s.inst.customerCount }, (_, i) => i));
    for (const c of initial) this.push(c);
    for (;;) {
      while (this.queue.length > 0) {
        const u = this.queue.pop()!;
        this.queued[u] = 0;
        if (this.s.routeOf[u] === -1) continue;
        this.improveAround(u);
      }
      const moved = this.swapStar?.run() ?? [];
      if (moved.length === 0) return;
      this.movesApplied++;
      for (const c of moved) this.touch(c);
    }
  }

  private improveAround(u: number): void {
    const { s } = this;
    for (const v of this.neighbours[u]!) {
      if (s.routeOf[v] === -1) continue;
      for (const move of this.moves) {
        if (move.evaluate(u, v) < -IMPROVEMENT) {
          move.apply();
          this.movesApplied++;
          this.touch(u);
          this.touch(v);
          return;
        }
      }
    }
  }

  /** Queues c and its current route neighbours: their best moves may have changed. */
  private touch(c: number): void {
    this.push(c);
    const r = this.s.routeOf[c]!;
    if (r === -1) return;
    const route = this.s.routes[r]!;
    const p = this.s.posOf[c]!;
    if (p > 1) this.push(route.nodes[p - 2]!);
    if (p < route.size) this.push(route.nodes[p]!);
  }

  private push(c: number): void {
    if (this.queued[c]) return;
    this.queued[c] = 1;
    this.queue.push(c);
  }
}
