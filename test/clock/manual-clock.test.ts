import { ManualClock } from '../../src/clock/manual-clock.js';

describe('ManualClock', () => {
  it('wakes sleepers only when advanced past their time', async () => {
    const clock = new ManualClock('2026-01-01T00:00:00.000Z');
    let woke = false;
    const sleeping = clock.sleep(60_000).then(() => {
      woke = true;
    });
    clock.advance({ seconds: 59 });
    await Promise.resolve();
    expect(woke).toBe(false);
    clock.advance({ seconds: 1 });
    await sleeping;
    expect(woke).toBe(true);
    expect(clock.now().toISO()).toBe('2026-01-01T00:01:00.000Z');
  });

  it('refuses to go backwards', () => {
    const clock = new ManualClock();
    expect(() => clock.set(clock.now().minus({ seconds: 1 }))).toThrow(RangeError);
  });
});
