// What the browser tests need: a real Lifeline server on port 0 with a fresh seeded demo database,
// the built web app, and the system Chromium driven by playwright-core (no browser download).
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createApp, createLive } from '../../server/app.ts';
import { JobQueue } from '../../server/jobs/jobs.service.ts';
import { RoadMap } from '../../server/network/network.service.ts';
import type { Db } from '../../server/db/database.ts';
import { openTestDatabase } from '../support/app.ts';
import { seedIfEmpty } from '../../seeds/load.ts';
import { SESSION_COOKIE } from '../../server/auth/web-session.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const DEMO_PASSWORD = 'lifeline-demo';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const screenshotDir = join(root, 'test-results', 'screenshots');

export const desktop = { width: 1280, height: 800 };

/** Where the map opens (client/src/components/map.tsx), to turn a place into a pixel. */
export const MAP_CENTRE = { lat: 43.7347, lon: 7.4206 };
export const MAP_ZOOM = 15;

/** Web Mercator: the pixel of a place on a map of the given size centred on `centre`. */
export function pixelOf(lat: number, lon: number, centre: { lat: number; lon: number }, zoom: number, size: { width: number; height: number }) {
  const scale = 256 * 2 ** zoom;
  const x = (lo: number) => ((lo + 180) / 360) * scale;
  const y = (la: number) => {
    const s = Math.sin((la * Math.PI) / 180);
    return (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * scale;
  };
  return { x: size.width / 2 + x(lon) - x(centre.lon), y: size.height / 2 + y(lat) - y(centre.lat) };
}
export const phone = { width: 390, height: 844 };

export interface Lifeline {
  url: string;
  db: Db;
  /** Drops a user's live connections as a network blip would (the web app reconnects by itself). */
  dropLive(userId: number): void;
  close(): Promise<void>;
}

/** The newest modification time under a folder (to know whether the built app is older than its source). */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Builds the web app when client/dist is missing or older than client/src (npm install builds it too). */
export async function ensureClientBuilt(): Promise<void> {
  const index = join(root, 'client', 'dist', 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newest(join(root, 'client', 'src'))) return;
  const { build } = await import('vite');
  await build({ root: join(root, 'client'), logLevel: 'warn' });
}

export async function startLifeline(): Promise<Lifeline> {
  const db = await openTestDatabase('pglite');
  await seedIfEmpty(db, DEMO_PASSWORD);
  const { outbox, live } = createLive(db);
  const jobs = new JobQueue(db);
  const app = createApp({ db, outbox, live, roads: new RoadMap(db), jobs });
  const server: Server = createServer(app);
  const io = await live.attach(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    db,
    dropLive: (userId) => {
      for (const socket of io.of('/').sockets.values()) if ((socket.data.user as { id: number }).id === userId) socket.conn.close();
    },
    close: async () => {
      await jobs.stop();
      await live.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await db.drop();
    },
  };
}

/**
 * The system Chromium, headless. Playwright gives each launch a fresh temporary profile (it passes its
 * own --user-data-dir), and each context below is a separate, clean browser profile in it.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

/** A browser context (its own storage: one person on one device) at a viewport. */
export async function openContext(browser: Browser, lifeline: Lifeline, viewport = desktop): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: lifeline.url, viewport, locale: 'en-GB', timezoneId: 'Europe/Monaco' });
  context.setDefaultTimeout(15_000);
  return context;
}

/** Signs in through the sign-in page, as a person would. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/**
 * A signed-in page without going through the form (for the second and later people in a journey): the
 * session cookie the web app's sign-in would have set, unless this context is signed in already.
 */
export async function signedInPage(context: BrowserContext, lifeline: Lifeline, email: string, path: string): Promise<Page> {
  if (!(await context.cookies(lifeline.url)).some((c) => c.name === SESSION_COOKIE)) {
    const token = await apiToken(lifeline, email);
    await context.addCookies([{ name: SESSION_COOKIE, value: token, url: lifeline.url, httpOnly: true, sameSite: 'Strict' }]);
  }
  const page = await context.newPage();
  await page.goto(path);
  return page;
}

/** Saves a screenshot of the page as it is now, under test-results/screenshots/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  const size = page.viewportSize();
  await page.screenshot({ path: join(screenshotDir, `${name}-${size && size.width < 600 ? 'phone' : 'desktop'}.png`) });
}

/** A token for API calls the test makes itself (to check what the server recorded). */
export async function apiToken(lifeline: Lifeline, email: string): Promise<string> {
  const res = await fetch(`${lifeline.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
  return ((await res.json()) as { token: string }).token;
}

export async function api<T>(lifeline: Lifeline, token: string, path: string): Promise<T> {
  const res = await fetch(`${lifeline.url}/api${path}`, { headers: { Authorization: `Bearer ${token}` } });
  return (await res.json()) as T;
}

/** An API call the test makes itself, failing loudly on anything but success. */
export async function call<T>(lifeline: Lifeline, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${lifeline.url}/api${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}
