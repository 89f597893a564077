import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createApp, createLive } from '../../../server/app.ts';
import { RoadMap } from '../../../server/network/network.service.ts';
import { createUser } from '../../../server/auth/auth.service.ts';
import { openPostgres, type Db } from '../../../server/db/database.ts';
import { defaultLoginLimits, type LoginLimits } from '../../../server/auth/login-throttle.ts';
import { readConfig } from '../../../server/config.ts';
import { databaseKinds, openTestDatabase, PASSWORD } from '../../support/app.ts';

const long: LoginLimits = { perAccount: 3, perAddress: 100, windowS: 600 };

describe.each(databaseKinds)('login throttling on %s', (kind) => {
  let db: Db & { drop(): Promise<void> };
  const others: Db[] = [];
  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(async () => {
    for (const other of others) await other.close();
    await db.drop();
  });

  /**
   * Users a@, b@, c@, d@ of this test, and an app on the database that trusts X-Forwarded-For unless told
   * not to: each test comes from addresses of its own. `second` serves another app over its own connection.
   */
  let tests = 0;
  async function setup(limits: LoginLimits, trustProxy = true) {
    const n = ++tests;
    const email = (name: string) => `${name}${n}@test.local`;
    for (const name of ['a', 'b', 'c', 'd']) await createUser(db, { email: email(name), name, role: 'driver', password: PASSWORD });
    const appOn = (on: Db) => request(createApp({ db: on, ...createLive(on), roads: new RoadMap(on), loginLimits: limits, trustProxy }));
    const login = (api: ReturnType<typeof appOn>, name: string, password: string, from = `192.0.2.${n}`) =>
      api.post('/api/auth/login').set('X-Forwarded-For', from).send({ email: email(name), password });
    const second = async () => {
      if (kind === 'pglite') return appOn(db);
      const other = await openPostgres(process.env.TEST_DATABASE_URL!, { schema: (db as unknown as { schema: string }).schema });
      others.push(other);
      return appOn(other);
    };
    return { api: appOn(db), login, second };
  }

  it('answers 429 with Retry-After (problem+json) once an account has had its failures', async () => {
    const { api, login } = await setup(long);
    for (let i = 0; i < long.perAccount; i++) await login(api, 'a', 'wrong').expect(401);
    const refused = await login(api, 'a', 'wrong').expect(429);
    expect(refused.type).toBe('application/problem+json');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(590);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(600);
    expect(refused.body).toMatchObject({ status: 429, title: 'Too many attempts', retryAfterS: Number(refused.headers['retry-after']) });
    // Another account is not locked by it.
    await login(api, 'b', PASSWORD).expect(200);
  });

  it('refuses the right password while the account is locked, and accepts it once the window has passed', async () => {
    const short = { ...long, windowS: 1.5 };
    const { api, login } = await setup(short);
    for (let i = 0; i < short.perAccount; i++) await login(api, 'a', 'wrong').expect(401);
    const locked = await login(api, 'a', PASSWORD).expect(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 1600));
    const res = await login(api, 'a', PASSWORD).expect(200);
    expect(res.body.token).toEqual(expect.any(String));
  });

  it('resets the account count on a successful sign-in', async () => {
    const { api, login } = await setup(long);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < long.perAccount - 1; i++) await login(api, 'a', 'wrong').expect(401);
      await login(api, 'a', PASSWORD).expect(200);
    }
    await login(api, 'a', 'wrong').expect(401);
  });

  it('limits one address across different accounts, and counts a proxied client by X-Forwarded-For only when told to trust the proxy', async () => {
    const limits = { ...long, perAddress: 3 };
    const trusted = await setup(limits, true);
    for (const name of ['a', 'b', 'c']) await trusted.login(trusted.api, name, 'wrong', '203.0.113.7').expect(401);
    const refused = await trusted.login(trusted.api, 'd', PASSWORD, '203.0.113.7').expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await trusted.login(trusted.api, 'd', PASSWORD, '198.51.100.1').expect(200);

    // Not trusted (the default): a forged X-Forwarded-For does not give a fresh count.
    const direct = await setup(limits, false);
    for (const name of ['a', 'b', 'c']) await direct.login(direct.api, name, 'wrong', `198.51.100.${name.charCodeAt(0)}`).expect(401);
    await direct.login(direct.api, 'd', PASSWORD, '198.51.100.200').expect(429);
  });

  it('holds the limit across two app instances on the same database', async () => {
    const { api, login, second } = await setup(long);
    const other = await second();
    for (let i = 0; i < long.perAccount; i++) await login(i % 2 ? other : api, 'a', 'wrong').expect(401);
    await login(api, 'a', 'wrong').expect(429);
    await login(other, 'a', PASSWORD).expect(429);
  });

  it('lets no more than the limit through when guesses arrive at once', async () => {
    const { api, login } = await setup(long);
    const answers = await Promise.all(Array.from({ length: 10 }, () => login(api, 'a', 'wrong')));
    expect(answers.filter((a) => a.status === 401)).toHaveLength(long.perAccount);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(10 - long.perAccount);
  });
});

describe('login limits from the environment', () => {
  it('reads the limits and the trusted proxies, and refuses a limit that is not a positive number', () => {
    expect(readConfig({}).loginLimits).toEqual(defaultLoginLimits);
    expect(readConfig({}).trustProxy).toBe(false);
    const env = { LIFELINE_LOGIN_MAX_FAILURES: '5', LIFELINE_LOGIN_MAX_FAILURES_PER_ADDRESS: '50', LIFELINE_LOGIN_WINDOW_S: '60', LIFELINE_TRUST_PROXY: '1' };
    expect(readConfig(env)).toMatchObject({ loginLimits: { perAccount: 5, perAddress: 50, windowS: 60 }, trustProxy: 1 });
    expect(readConfig({ LIFELINE_TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
    expect(() => readConfig({ LIFELINE_LOGIN_WINDOW_S: 'soon' })).toThrow('LIFELINE_LOGIN_WINDOW_S: expected a positive number, got "soon"');
  });
});
