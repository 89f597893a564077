import { describe, expect, it } from 'vitest';
import { readConfig } from '../../server/config.ts';

describe('readConfig', () => {
  it('sends live events as frames unless told to use Socket.IO broadcasts', () => {
    expect(readConfig({}).liveFanout).toBe('frames');
    expect(readConfig({ LIFELINE_LIVE_FANOUT: 'socket.io' }).liveFanout).toBe('socket.io');
  });

  it('refuses an unknown fan-out, naming the variable and the choices', () => {
    expect(() => readConfig({ LIFELINE_LIVE_FANOUT: 'carrier-pigeon' })).toThrow('LIFELINE_LIVE_FANOUT: expected one of frames, socket.io, got "carrier-pigeon"');
  });

  it('takes the time zone of the operation, and refuses an unknown one', () => {
    expect(readConfig({ LIFELINE_TIMEZONE: 'Europe/Monaco' }).timeZone).toBe('Europe/Monaco');
    expect(readConfig({}).timeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(() => readConfig({ LIFELINE_TIMEZONE: 'Mars/Olympus' })).toThrow('LIFELINE_TIMEZONE: unknown time zone "Mars/Olympus"');
  });
});
