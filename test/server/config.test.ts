import { describe, expect, it } from 'vitest';
import { readConfig } from '../../server/config.ts';

describe('readConfig', () => {
  it('takes the time zone of the operation, and refuses an unknown one', () => {
    expect(readConfig({ LIFELINE_TIMEZONE: 'Europe/Monaco' }).timeZone).toBe('Europe/Monaco');
    expect(readConfig({}).timeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(() => readConfig({ LIFELINE_TIMEZONE: 'Mars/Olympus' })).toThrow('LIFELINE_TIMEZONE: unknown time zone "Mars/Olympus"');
  });
});
