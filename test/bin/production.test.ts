// Production mode from the outside: `lifeline add-user` creates the first admin, the server starts with
// it, and refuses to start with the demo or with an account that still has the demo's password.
import { afterEach, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/open.ts';
import { createUser } from '../../server/auth/auth.service.ts';

const freshDataDir = () => mkdtempSync(join(tmpdir(), 'lifeline-prod-'));
const production = (dataDir: string, extra: Record<string, string> = {}) => ({ ...process.env, DATA_DIR: dataDir, LIFELINE_MODE: 'production', PORT: '0', ...extra });

/** Runs `lifeline <args>` with the password on stdin. */
function lifeline(env: NodeJS.ProcessEnv, stdin: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['bin/lifeline.js', ...args], { env, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(stdin);
  });
}

const servers: ChildProcess[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.kill('SIGTERM');
});

/** Starts the server; resolves with its URL once it listens, or with its exit code and output if it stops first. */
function start(env: NodeJS.ProcessEnv): Promise<{ url?: string; code?: number; output: string }> {
  const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { env });
  servers.push(server);
  let output = '';
  return new Promise((resolve) => {
    const read = (chunk: Buffer) => {
      output += chunk;
      const url = output.match(/running at (http:\/\/[^/\s]+)\//)?.[1];
      if (url) resolve({ url, output });
    };
    server.stdout.on('data', read);
    server.stderr.on('data', read);
    server.on('exit', (code) => resolve({ code: code ?? 1, output }));
  });
}

describe('production mode', () => {
  it('creates the first admin with `lifeline add-user` (password on stdin), starts on the loopback address, and prints no demo logins', async () => {
    const dataDir = freshDataDir();
    const added = await lifeline(production(dataDir), 'a-long-admin-secret\n', 'add-user', '--role', 'admin', '--email', 'Ada@Example.org', '--name', 'Ada Admin');
    expect(added, added.stderr).toMatchObject({ code: 0 });
    expect(added.stdout).toContain('Created admin ada@example.org');

    const started = await start(production(dataDir));
    expect(started.url, started.output).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(started.output).not.toContain('Demo logins');
    const login = await fetch(`${started.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ada@example.org', password: 'a-long-admin-secret' }) });
    expect(login.status).toBe(200);
    expect(((await login.json()) as { role: string }).role).toBe('admin');
  });

  it('refuses, in add-user, the published demo password and bad input, naming the field', async () => {
    const dataDir = freshDataDir();
    const published = await lifeline(production(dataDir), 'lifeline-demo\n', 'add-user', '--role', 'admin', '--email', 'a@example.org');
    expect(published.code).toBe(2);
    expect(published.stderr).toContain('published password');
    const bad = await lifeline(production(dataDir, { LIFELINE_PASSWORD: 'a-long-admin-secret' }), '', 'add-user', '--role', 'emperor', '--email', 'not-an-email');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/add-user: email: /);
    expect(bad.stderr).toMatch(/add-user: role: /);
  });

  it('refuses to start when asked to load the demo', async () => {
    const started = await start(production(freshDataDir(), { LIFELINE_SEED_DEMO: 'true' }));
    expect(started.code).toBe(1);
    expect(started.output).toContain('Lifeline cannot start: production mode does not load the demo or its passwords: unset LIFELINE_SEED_DEMO');
  });

  it('refuses to start while an account still has the demo’s published password', async () => {
    const dataDir = freshDataDir();
    const db = await openDatabase(readConfig({ DATA_DIR: dataDir }));
    await createUser(db, { email: 'admin@lifeline.local', name: 'Demo admin', role: 'admin', password: 'lifeline-demo' });
    await db.close();
    const started = await start(production(dataDir));
    expect(started.code).toBe(1);
    expect(started.output).toContain("Lifeline cannot start: in production mode, these accounts still have the demo's published password: admin@lifeline.local");
  });
});
