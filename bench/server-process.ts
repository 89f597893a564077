// The benchmarked server in a process of its own (bench/server.ts), so that the load generator does not
// share its event loop and its two cores' time is not counted as the server's; it can also be killed -9
// mid-burst. Shared by the rush and intake benches.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openPglite, type Db } from '../server/db/database.ts';
import { migrate } from '../server/db/migrate.ts';
import { databaseUrlOf, openTestDatabase, type DatabaseKind } from '../test/support/app.ts';

export interface ServerProcess {
  base: string;
  child: ChildProcess;
  /** Peak resident memory of the server process so far, in MiB. */
  peakRssMb(): number;
  /** CPU time the server process (all its threads) has used so far, in ms: a figure the other processes' load leaves alone. */
  cpuMs(): number;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Servers started and not yet exited: a bench that fails (a refusal it did not expect) must not leave them behind. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts bench/server.ts with these arguments (`--data-dir DIR`, `--database-url URL` or `--bare`); resolves once it listens. */
export async function startServer(where: string[]): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROF] : []), '--import', 'tsx', join(import.meta.dirname, 'server.ts'), ...where], { stdio: ['ignore', 'pipe', 'inherit'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^listening (\d+)$/.exec(line);
      if (m) resolve(Number(m[1]));
    });
  });
  return {
    base: `http://127.0.0.1:${port}`,
    child,
    peakRssMb: () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
    cpuMs: () => processCpuMs(child.pid!, false),
    kill: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

/**
 * CPU time of a process in ms: utime and stime, fields 14 and 15 of /proc/<pid>/stat (after the parenthesised
 * name), in clock ticks of 10 ms; with `children`, also that of its children that have exited (16 and 17).
 */
function processCpuMs(pid: number, children: boolean): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12]) + (children ? Number(fields[13]) + Number(fields[14]) : 0)) * 10;
}

/**
 * CPU time of the PostgreSQL server on this machine so far, in ms: every `postgres` process, with the backends
 * that have exited (counted in the postmaster's). The database's share of the cores, beside the server's.
 */
export function postgresCpuMs(): number {
  let ms = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') ms += processCpuMs(Number(pid), true);
    } catch {
      // The process ended while being read.
    }
  }
  return ms;
}

/** Runs `fn` on the database while no server holds it (PGlite has one connection per data folder). */
export type Use = <T>(fn: (db: Db) => Promise<T>) => Promise<T>;

/**
 * A fresh database for a benchmarked server: PGlite files in a temporary folder (as `npm start` runs) or a
 * fresh schema on the PostgreSQL server; `use` reaches it from the bench, `where` tells the server process.
 */
export async function benchDatabase(kind: DatabaseKind): Promise<{ use: Use; where: string[]; done: () => Promise<void> }> {
  if (kind === 'postgres') {
    const test = await openTestDatabase('postgres');
    return { use: (fn) => fn(test), where: ['--database-url', databaseUrlOf({ db: test })], done: () => test.drop() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  const use: Use = async (fn) => {
    const db = await openPglite(join(dir, 'pglite'));
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  };
  await use(migrate);
  return { use, where: ['--data-dir', dir], done: async () => rmSync(dir, { recursive: true, force: true }) };
}
