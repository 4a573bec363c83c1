import { systemClock, toIso } from '../../src/clock/clock.js';

describe('systemClock', () => {
  it('reads the wall clock as a UTC DateTime, formatted by toIso as records store it', () => {
    const before = Date.now();
    const now = systemClock.now();
    const after = Date.now();
    expect(now.toMillis()).toBeGreaterThanOrEqual(before);
    expect(now.toMillis()).toBeLessThanOrEqual(after);
    expect(now.zoneName).toBe('UTC');
    expect(now.toISO()).toMatch(/Z$/);
    expect(toIso(now)).toBe(new Date(now.toMillis()).toISOString());
    expect(now.plus({ days: 1 }).hour).toBe(now.hour); // no daylight saving in UTC
  });
});
