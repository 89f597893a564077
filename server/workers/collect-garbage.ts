// A full garbage collection when a worker asks for one: between a large solve and what it builds next.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/**
 * Collects garbage now. V8 lets a worker's heap grow far past what it still uses before a full collection, and
 * only a full collection frees WebAssembly memory nobody holds any more (a district's HiGHS models, ~600 MB);
 * a plan's worker built and sent its result on top of both and the server peaked at 4.4 GB. Workers cannot be
 * started with --expose-gc, so the flag is set here and gc taken from a fresh context, once.
 */
export async function collectGarbage(): Promise<void> {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  // The first collection leaves a WebAssembly module's memory to callbacks run in a later turn; the second frees it.
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
}
