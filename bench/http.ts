// HTTP helpers shared by the benchmarks that drive a real server: plain requests without a client-side time
// limit, sign-in, and a second user polling while a long request runs (how long others wait).
import { Agent, request, type IncomingHttpHeaders } from 'node:http';

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Exchange {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  /** false: a connection of its own. */
  agent?: Agent | false;
}

/**
 * One request and its whole answer. A request that finds its reused connection just closed by the server (the
 * door closes idle ones under pressure) is sent once more on a new one, as Node's documentation advises: the
 * server never read it.
 */
function exchange(url: string, options: Exchange): Promise<Answer> {
  const { method = 'GET', headers = {}, body, timeoutMs, agent = false } = options;
  return new Promise((resolve, reject) => {
    const sized = body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) };
    const req = request(url, { method, headers: sized, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    // Only when asked: the global agent's idle sockets time out after 5 s too, and that is no reason to give up.
    if (timeoutMs !== undefined) req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) => (req.reusedSocket && error.code === 'ECONNRESET' ? exchange(url, options).then(resolve, reject) : reject(error)));
    req.end(body);
  });
}

/**
 * One request on a connection of its own (a kept-alive socket that the server closes as it is reused answers
 * ECONNRESET), without a client-side time limit unless `timeoutMs` is given (fetch gives up on an answer
 * slower than 300 s).
 */
export const send = (url: string, options: Omit<Exchange, 'agent'>): Promise<Answer> => exchange(url, { ...options, agent: false });

/**
 * A load generator's client: node:http over at most `sockets` kept-alive connections. fetch spends about four
 * times its CPU per request (~330 against ~85 µs here), CPU that the server under test shares on two cores.
 */
export function keepAliveClient(sockets = Infinity) {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  return {
    post: (url: string, headers: Record<string, string>, body: unknown) => exchange(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), agent }),
    get: (url: string, headers: Record<string, string> = {}) => exchange(url, { headers, agent }),
    close: () => agent.destroy(),
  };
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
