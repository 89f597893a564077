import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../../server/http/group-commit.ts';
import { BusyError } from '../../../server/http/errors.ts';

/** A write the test lets finish: each call's requests, and a way to end the call. */
function controlledWrite() {
  const calls: { requests: number[]; finish: () => void }[] = [];
  const write = (requests: number[]) =>
    new Promise<string[]>((resolve) => calls.push({ requests, finish: () => resolve(requests.map((r) => `done ${r}`)) }));
  return { calls, write };
}

const until = async (check: () => boolean) => {
  while (!check()) await new Promise((r) => setTimeout(r, 1));
};

describe('group commit', () => {
  it('writes what queued meanwhile as one batch, and answers each request after its batch', async () => {
    const { calls, write } = controlledWrite();
    const commit = new GroupCommit(write, { maxBatch: 100, lingerMs: 1, maxQueued: 1000, maxWaitMs: 1000, concurrency: 1 });
    const first = commit.submit(1);
    await until(() => calls.length === 1);
    const rest = [2, 3, 4].map((r) => commit.submit(r));
    expect(calls).toHaveLength(1);
    calls[0]!.finish();
    expect(await first).toBe('done 1');
    await until(() => calls.length === 2);
    expect(calls[1]!.requests).toEqual([2, 3, 4]);
    calls[1]!.finish();
    expect(await Promise.all(rest)).toEqual(['done 2', 'done 3', 'done 4']);
  });

  it('refuses at once with 503 and Retry-After when the queue is full, and takes requests again once it drains', async () => {
    const { calls, write } = controlledWrite();
    const commit = new GroupCommit(write, { maxBatch: 2, lingerMs: 1, maxQueued: 3, maxWaitMs: 1000, concurrency: 1 });
    const taken = [commit.submit(1)];
    await until(() => calls.length === 1);
    taken.push(commit.submit(2), commit.submit(3), commit.submit(4));
    const refused = await commit.submit(5).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BusyError);
    expect(refused).toMatchObject({ status: 503, code: 'busy', retryAfterS: 1 });
    expect(commit.refused).toBe(1);
    for (let i = 0; i < 3; i++) {
      calls[i]!.finish();
      await until(() => calls.length === i + 2 || i === 2);
    }
    expect(await Promise.all(taken)).toEqual(['done 1', 'done 2', 'done 3', 'done 4']);
    const again = commit.submit(6);
    await until(() => calls.length === 4);
    calls[3]!.finish();
    expect(await again).toBe('done 6');
  });

  it('always takes a request that fits in the next batch, however slow the last batch was', async () => {
    const { calls, write } = controlledWrite();
    const commit = new GroupCommit(write, { maxBatch: 2, lingerMs: 1, maxQueued: 100, maxWaitMs: 1, concurrency: 1 });
    const slow = commit.submit(1);
    await until(() => calls.length === 1);
    await new Promise((r) => setTimeout(r, 20));
    calls[0]!.finish();
    await slow;
    // The last batch took far longer than maxWaitMs, but nothing waits ahead: taken.
    const next = [commit.submit(2), commit.submit(3)];
    await until(() => calls.length === 2);
    // Behind a full batch now (and batches are slow): refused.
    commit.submit(4).catch(() => undefined);
    commit.submit(5).catch(() => undefined);
    expect(await commit.submit(6).catch((e: unknown) => e)).toBeInstanceOf(BusyError);
    calls[1]!.finish();
    expect(await Promise.all(next)).toEqual(['done 2', 'done 3']);
  });

  it('refuses, when their turn comes, those queued behind full batches who waited longer than maxWaitMs, and still serves the next batch', async () => {
    const { calls, write } = controlledWrite();
    const commit = new GroupCommit(write, { maxBatch: 2, lingerMs: 1, maxQueued: 100, maxWaitMs: 50, concurrency: 1 });
    const first = commit.submit(1);
    await until(() => calls.length === 1);
    // Nothing measured yet, so nobody is refused on arrival: 2 and 3 make the next batch, 4 and 5 queue behind it.
    const next = [commit.submit(2), commit.submit(3)];
    const behind = [commit.submit(4), commit.submit(5)].map((p) => p.catch((e: unknown) => e));
    await new Promise((r) => setTimeout(r, 80));
    calls[0]!.finish();
    expect(await first).toBe('done 1');
    await until(() => calls.length === 2);
    expect(calls[1]!.requests).toEqual([2, 3]);
    calls[1]!.finish();
    expect(await Promise.all(next)).toEqual(['done 2', 'done 3']);
    for (const refused of await Promise.all(behind)) expect(refused).toBeInstanceOf(BusyError);
    expect(calls).toHaveLength(2);
  });
});
