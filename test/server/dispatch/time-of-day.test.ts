import { describe, expect, it } from 'vitest';
import { secondsOfDay } from '../../../server/dispatch/replan.service.ts';

describe('secondsOfDay', () => {
  it('reads the local time of day where the operation runs, summer time included', () => {
    expect(secondsOfDay(new Date('2026-11-26T09:30:15Z'), 'UTC')).toBe(9 * 3600 + 30 * 60 + 15);
    expect(secondsOfDay(new Date('2026-11-26T09:30:00Z'), 'Europe/Monaco')).toBe(10.5 * 3600);
    expect(secondsOfDay(new Date('2026-07-01T09:30:00Z'), 'Europe/Monaco')).toBe(11.5 * 3600);
    expect(secondsOfDay(new Date('2026-11-26T23:30:00Z'), 'Europe/Monaco')).toBe(30 * 60);
  });
});
