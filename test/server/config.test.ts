import { describe, expect, it } from 'vitest';
import { readConfig } from '../../server/config.ts';

describe('readConfig', () => {
  it('takes the time zone of the operation, and refuses an unknown one', () => {
    expect(readConfig({ LIFELINE_TIMEZONE: 'Europe/Monaco' }).timeZone).toBe('Europe/Monaco');
    expect(readConfig({}).timeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(() => readConfig({ LIFELINE_TIMEZONE: 'Mars/Olympus' })).toThrow('LIFELINE_TIMEZONE: unknown time zone "Mars/Olympus"');
  });
});

describe('readConfig: demo and production', () => {
  it('listens on the loopback address unless HOST says otherwise', () => {
    expect(readConfig({}).host).toBe('127.0.0.1');
    expect(readConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it('runs the demo by default: seeded, with the published password', () => {
    expect(readConfig({})).toMatchObject({ mode: 'demo', seedDemo: true, demoPassword: 'lifeline-demo' });
    expect(readConfig({ LIFELINE_SEED_DEMO: 'false' }).seedDemo).toBe(false);
  });

  it('loads no demo in production mode (LIFELINE_MODE or NODE_ENV), and refuses to be asked for one', () => {
    expect(readConfig({ LIFELINE_MODE: 'production' })).toMatchObject({ mode: 'production', seedDemo: false });
    expect(readConfig({ NODE_ENV: 'production', LIFELINE_SEED_DEMO: 'false' })).toMatchObject({ mode: 'production', seedDemo: false });
    expect(() => readConfig({ LIFELINE_MODE: 'production', LIFELINE_SEED_DEMO: 'true' })).toThrow('production mode does not load the demo or its passwords: unset LIFELINE_SEED_DEMO');
    expect(() => readConfig({ NODE_ENV: 'production', LIFELINE_DEMO_PASSWORD: 'secret-demo' })).toThrow('unset LIFELINE_DEMO_PASSWORD');
    expect(() => readConfig({ LIFELINE_MODE: 'prod' })).toThrow('LIFELINE_MODE: expected one of demo, production, got "prod"');
  });
});
