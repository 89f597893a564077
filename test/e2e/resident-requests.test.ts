// On a phone, in Chinese and English: a household asks for an item from its own page, a person not yet
// known asks to be registered and follows the answer, and the community worker decides both from the queue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiToken, ensureClientBuilt, hasChromium, launchChromium, phone, signedInPage, startLifeline, type Lifeline } from './harness.ts';

describe.skipIf(!hasChromium)('residents asking, and asking to be registered', () => {
  let lifeline: Lifeline;
  let browser: Browser;
  let coordinator: string;
  const codes: string[] = [];

  const call = async <T,>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${lifeline.url}/api${path}`, { method, headers: { Authorization: `Bearer ${coordinator}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const phoneIn = async (locale: 'zh-CN' | 'en-GB') => {
    const context = await browser.newContext({ baseURL: lifeline.url, viewport: phone, locale, timezoneId: 'Europe/Monaco' });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && !/status of (401|404|409)/.test(m.text()) && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    return { context, page, problems };
  };
  const ask = async (page: Page, item: string, quantity: string, send: string) => {
    await page.locator('select[name=commodityId]').selectOption({ label: item });
    await page.locator('input[name=quantity]').fill(quantity);
    await page.getByRole('button', { name: send }).click();
  };

  beforeAll(async () => {
    [lifeline, browser] = await Promise.all([startLifeline(), launchChromium(), ensureClientBuilt()]).then(([l, b]) => [l, b] as const);
    coordinator = await apiToken(lifeline, 'coordinator@lifeline.local');
    const households = await lifeline.db.query<{ id: number }>(`SELECT id FROM households WHERE community = (SELECT min(community) FROM households) ORDER BY id LIMIT 2`);
    for (const h of households) codes.push((await call<{ code: string }>('POST', `/households/${h.id}/access`)).code);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await lifeline?.close();
  });

  it('asks for an item from the household’s page in Chinese: received, waiting for the community worker', async () => {
    const { context, page, problems } = await phoneIn('zh-CN');
    await page.goto(`/h/${codes[0]}`);
    await page.getByRole('heading', { name: '申请物资' }).waitFor();
    await ask(page, 'Rice (5 kg bag)', '2', '提交申请');
    await page.getByRole('status').filter({ hasText: '已收到。社区工作人员将确认您的需求。' }).waitFor();
    await page.locator('.resident-request', { hasText: 'Rice' }).getByText('已收到', { exact: true }).waitFor();
    await page.screenshot({ path: '/tmp/residents-ask-zh.png', fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('asks in English, is told the limit when asking for too much, and flags an urgent medical need', async () => {
    const { context, page, problems } = await phoneIn('en-GB');
    await page.goto(`/h/${codes[1]}`);
    await page.getByRole('heading', { name: 'Ask for something' }).waitFor();
    await ask(page, 'Paracetamol (box of 16)', '3', 'Send request');
    await page.getByText('A household may ask for at most 1 × box of 16 at once.').first().waitFor();
    await page.screenshot({ path: '/tmp/residents-ask-limit-en.png', fullPage: true });
    await page.locator('input[name=quantity]').fill('1');
    await page.getByLabel('Urgent medical need').check();
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.getByText('Marked urgent (medical). A community worker will call or visit to confirm.').first().waitFor();
    await page.screenshot({ path: '/tmp/residents-ask-en.png', fullPage: true });
    // The worker confirms: the open page shows it at once (live), long before its 30-second refresh.
    const [flag] = await lifeline.db.query<{ id: number }>(`SELECT id FROM resident_requests WHERE urgent = 'pending' ORDER BY id DESC LIMIT 1`);
    await call('POST', `/community-queue/urgent/${flag!.id}`, { decision: 'confirm' });
    await page.getByText('Urgent (medical): confirmed by your community.').waitFor({ timeout: 10_000 });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('asks to be registered in Chinese and in English and follows the answer; the worker sees the likely duplicate beside it and approves', async () => {
    const [known] = await lifeline.db.query<{ name: string; address: string; community: string }>('SELECT name, address, community FROM households ORDER BY id LIMIT 1');
    const references: string[] = [];
    for (const [locale, texts] of [
      ['zh-CN', { title: '申请登记', name: '姓名', address: '地址', people: '家庭人数', send: '提交', pending: '已收到。社区工作人员将核实您的登记，可能会给您打电话。', flag: '孕妇' }],
      ['en-GB', { title: 'Ask to be registered', name: 'Name', address: 'Address', people: 'People in the household', send: 'Send', pending: 'Received. A community worker will check your registration and may call you.', flag: 'pregnant' }],
    ] as const) {
      const { context, page, problems } = await phoneIn(locale);
      await page.goto('/register');
      await page.getByRole('heading', { name: texts.title }).waitFor();
      await page.getByLabel(texts.name, { exact: true }).fill(locale === 'zh-CN' ? known!.name : 'Jeanne Martin');
      await page.getByLabel(texts.address, { exact: true }).fill(locale === 'zh-CN' ? known!.address : '7 Avenue Saint-Michel');
      await page.getByLabel(texts.people).fill('3');
      await page.locator('select[name=community]').selectOption(known!.community);
      await page.getByLabel(texts.flag).check();
      await page.screenshot({ path: `/tmp/residents-register-form-${locale}.png`, fullPage: true });
      await page.getByRole('button', { name: texts.send, exact: true }).click();
      await page.getByText(texts.pending).waitFor();
      references.push(new URL(page.url()).pathname.split('/').pop()!);
      await page.screenshot({ path: `/tmp/residents-register-sent-${locale}.png`, fullPage: true });
      expect(problems).toEqual([]);
      await context.close();
    }

    const worker = await browser.newContext({ baseURL: lifeline.url, viewport: phone, locale: 'en-GB', timezoneId: 'Europe/Monaco' });
    const page = await signedInPage(worker, lifeline, 'community@lifeline.local', '/community');
    await page.locator('.queue-counts').getByText('2 registrations').waitFor();
    await page.screenshot({ path: '/tmp/residents-worker-home.png' });
    await page.locator('.queue-counts').click();
    const duplicate = page.locator('.queue-duplicate', { hasText: 'same address' }).first();
    await duplicate.waitFor();
    await page.screenshot({ path: '/tmp/residents-queue.png', fullPage: true });
    await page.locator('.queue-item', { hasText: 'Jeanne Martin' }).getByRole('button', { name: 'Approve as a new household' }).click();
    await page.getByRole('status').filter({ hasText: /Jeanne Martin has an access code: [0-9A-HJKMNP-TV-Z]{16}/ }).waitFor();
    await worker.close();

    const { context, page: person } = await phoneIn('en-GB');
    await person.goto(`/r/${references[1]}`);
    await person.getByText('You are registered. Your community worker will bring you a slip with the link to your own page.').waitFor();
    await person.screenshot({ path: '/tmp/residents-register-approved-en.png', fullPage: true });
    await context.close();
  });
});
