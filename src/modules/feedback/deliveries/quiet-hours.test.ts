import { describe, expect, it } from 'vitest';
import { isQuietHour, isTimeZone, quietHoursEnd } from './quiet-hours.js';

const quiet = { start: 21, end: 8 };

describe('quiet hours', () => {
  it('spans midnight when start is after end', () => {
    expect([20, 21, 23, 0, 7, 8].map((h) => isQuietHour(h, quiet))).toEqual([false, true, true, true, true, false]);
    expect([12, 13, 14].map((h) => isQuietHour(h, { start: 13, end: 14 }))).toEqual([false, true, false]);
  });

  it('ends at the next local 08:00 in the customer’s zone', () => {
    // 22:30 in Paris (UTC+1 in January) → 08:00 Paris the next morning = 07:00 UTC.
    expect(quietHoursEnd(Date.UTC(2026, 0, 14, 21, 30), 'Europe/Paris', quiet)).toBe(Date.UTC(2026, 0, 15, 7));
    // 03:00 in Paris → 08:00 the same morning.
    expect(quietHoursEnd(Date.UTC(2026, 0, 15, 2), 'Europe/Paris', quiet)).toBe(Date.UTC(2026, 0, 15, 7));
    // 14:00 in New York is not quiet.
    expect(quietHoursEnd(Date.UTC(2026, 0, 15, 19), 'America/New_York', quiet)).toBeUndefined();
    // 23:00 in New York (UTC-5) → 08:00 there = 13:00 UTC.
    expect(quietHoursEnd(Date.UTC(2026, 0, 16, 4), 'America/New_York', quiet)).toBe(Date.UTC(2026, 0, 16, 13));
    // Summer time in Paris (UTC+2).
    expect(quietHoursEnd(Date.UTC(2026, 6, 1, 20), 'Europe/Paris', quiet)).toBe(Date.UTC(2026, 6, 2, 6));
    // Across the spring change (29 March 2026, Paris): 22:00 CET → 08:00 CEST.
    expect(quietHoursEnd(Date.UTC(2026, 2, 28, 21), 'Europe/Paris', quiet)).toBe(Date.UTC(2026, 2, 29, 6));
    expect(quietHoursEnd(Date.UTC(2026, 0, 15, 2), 'UTC', null)).toBeUndefined();
  });

  it('knows a time zone from a typo', () => {
    expect(isTimeZone('Asia/Tokyo')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone(42)).toBe(false);
  });
});
