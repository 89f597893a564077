// What the benchmarks share about how they are run: numeric options from the command line, and whether the
// PostgreSQL server (TEST_DATABASE_URL, else DATABASE_URL, else the local default) can be reached.
import { openTestDatabase } from '../test/support/app.ts';

/** `--name value` from the command line, else undefined. */
export function textOption(name: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** `--name N` from the command line, else the fallback. */
export function numberOption(name: string, fallback: number): number {
  const value = textOption(name);
  return value === undefined ? fallback : Number(value);
}

/** Whether a PostgreSQL server answers at TEST_DATABASE_URL (set from DATABASE_URL or the local default when unset). */
export async function postgresReachable(): Promise<boolean> {
  process.env.TEST_DATABASE_URL ??= process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  try {
    const db = await openTestDatabase('postgres');
    await db.drop();
    return true;
  } catch {
    return false;
  }
}
