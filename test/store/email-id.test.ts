import { ManualClock } from '../../src/clock/manual-clock.js';
import { newEmailId } from '../../src/store/email-id.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const timeOf = (id: string): number => parseInt(id.replace(/-/g, '').slice(0, 12), 16);
const sorted = (ids: string[]): boolean => ids.every((id, i) => i === 0 || (ids[i - 1] as string) < id);

describe('newEmailId', () => {
  it('is a UUID version 7 whose first 48 bits are the clock time in milliseconds', () => {
    const clock = new ManualClock('2026-11-24T10:00:00.123Z');
    const id = newEmailId(clock);
    expect(id).toMatch(UUID_V7);
    expect(timeOf(id)).toBe(Date.parse('2026-11-24T10:00:00.123Z'));
  });

  it('is strictly increasing, also within one millisecond', () => {
    const clock = new ManualClock('2026-11-24T11:00:00.000Z');
    const ids: string[] = [];
    for (let i = 0; i < 300; i += 1) {
      ids.push(newEmailId(clock), newEmailId(clock), newEmailId(clock));
      clock.advance({ milliseconds: 1 });
    }
    expect(sorted(ids)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => UUID_V7.test(id))).toBe(true);
  });

  it('moves the time field one millisecond ahead when 4,096 ids share a millisecond, and stays sorted', () => {
    const clock = new ManualClock('2026-11-24T12:00:00.000Z');
    const ids = Array.from({ length: 10_000 }, () => newEmailId(clock));
    expect(sorted(ids)).toBe(true);
    expect(timeOf(ids[0] as string)).toBe(Date.parse('2026-11-24T12:00:00.000Z'));
    expect(timeOf(ids[4095] as string)).toBe(Date.parse('2026-11-24T12:00:00.000Z'));
    expect(timeOf(ids[4096] as string)).toBe(Date.parse('2026-11-24T12:00:00.001Z'));
    expect(timeOf(ids[9999] as string)).toBe(Date.parse('2026-11-24T12:00:00.002Z'));
  });

  it('follows a clock set back by more than a second (ids stay unique)', () => {
    const ahead = newEmailId(new ManualClock('2026-11-24T13:00:00.000Z'));
    const behind = newEmailId(new ManualClock('2026-01-01T00:00:00.000Z'));
    expect(timeOf(behind)).toBe(Date.parse('2026-01-01T00:00:00.000Z'));
    expect(behind < ahead).toBe(true);
  });

  it('keeps the time field in range for an instant before 1970', () => {
    const id = newEmailId({ now: () => ({ toMillis: () => -5 }) } as unknown as ManualClock);
    expect(id).toMatch(UUID_V7);
    expect(timeOf(id)).toBe(0);
  });
});
