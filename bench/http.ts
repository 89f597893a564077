// HTTP helpers shared by the benchmarks that drive a real server: plain requests without a client-side time
// limit, sign-in, and a second user polling while a long request runs (how long others wait).
import { request } from 'node:http';

/** One request without a client-side time limit unless `timeoutMs` is given (fetch gives up on an answer slower than 300 s). */
export function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // A fresh connection each time: a kept-alive socket that the server closes as it is reused answers ECONNRESET.
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    // Only when asked: the global agent's idle sockets time out after 5 s too, and that is no reason to give up.
    if (options.timeoutMs !== undefined) req.setTimeout(options.timeoutMs, () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on('error', reject).end(options.body);
  });
}

export async function signIn(base: string, email: string, password: string): Promise<string> {
  const res = await send(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  return (JSON.parse(res.body) as { token: string }).token;
}

/**
 * Asks GET /api/auth/me every `everyMs` (one request at a time) until `stop` settles: the answer times in ms,
 * and how many failed (a request the server cannot even read for a minute is dropped by its headers timeout).
 */
export async function poll(base: string, token: string, everyMs: number, stop: Promise<unknown>): Promise<{ times: number[]; failed: number }> {
  const times: number[] = [];
  let failed = 0;
  let done = false;
  void stop.finally(() => (done = true)).catch(() => undefined);
  while (!done) {
    const start = performance.now();
    const ok = await send(`${base}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status === 200, () => false);
    times.push(performance.now() - start);
    if (!ok) failed++;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return { times: times.sort((a, b) => a - b), failed };
}

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
