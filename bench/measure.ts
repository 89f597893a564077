// Shared measuring and printing for the benchmarks: wall time, peak memory, one aligned line per case.

export interface Measured<T> {
  value: T;
  ms: number;
  /** Peak resident set size of this process so far, in MiB (run one heavy case per process for a clean figure). */
  peakRssMb: number;
  /** Heap growth during the call, in MiB (after a forced GC when --expose-gc is on). */
  heapDeltaMb: number;
}

export async function measure<T>(fn: () => T | Promise<T>): Promise<Measured<T>> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const start = performance.now();
  const value = await fn();
  const ms = performance.now() - start;
  const heapDeltaMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  return { value, ms, peakRssMb, heapDeltaMb };
}

/** Prints one row as `key=value` pairs, padded so that rows of one suite line up. */
export function printRow(fields: Record<string, string | number | boolean | undefined>): void {
  const parts = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? formatNumber(v) : String(v)}`.padEnd(k.length + 12));
  console.log(parts.join(' ').trimEnd());
}

function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(1) : n.toPrecision(4);
}
