// A pool of distinct good routes met during the search, kept for the set-partitioning step.
export interface PooledRoute {
  /** Vehicle class (index into the problem's vehicles) the route was costed for. */
  vehicleClass: number;
  nodes: number[];
  cost: number;
}

export class RoutePool {
  private readonly byKey = new Map<string, PooledRoute>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.byKey.size;
  }

  add(vehicleClass: number, nodes: number[], cost: number): void {
    if (nodes.length === 0 || this.byKey.size >= this.capacity || !(cost < Infinity)) return;
    const key = `${vehicleClass}:${nodes.join(',')}`;
    if (!this.byKey.has(key)) this.byKey.set(key, { vehicleClass, nodes: nodes.slice(), cost });
  }

  routes(): PooledRoute[] {
    return [...this.byKey.values()];
  }
}
