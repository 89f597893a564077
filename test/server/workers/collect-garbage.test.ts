import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../../server/workers/collect-garbage.ts';

describe('collectGarbage', () => {
  it('frees what nothing holds any more, without --expose-gc', async () => {
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe('undefined');
    let held: object | undefined = { payload: new Array(1000).fill('x') };
    const weak = new WeakRef(held);
    held = undefined;
    await collectGarbage();
    expect(weak.deref()).toBeUndefined();
  });

  it('keeps what is still held', async () => {
    const held = { payload: [1, 2, 3] };
    const weak = new WeakRef(held);
    await collectGarbage();
    expect(weak.deref()).toBe(held);
  });
});
