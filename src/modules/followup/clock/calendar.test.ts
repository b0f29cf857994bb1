import { describe, expect, it } from 'vitest';
import { seededRandom, type Random } from '../../../platform/random.js';
import {
  addWorkingTime,
  isOpen,
  nextOpening,
  TWENTY_FOUR_SEVEN,
  WEEKDAYS,
  workingTimeBetween,
  ZCalendar,
  type Calendar,
} from './calendar.js';

const H = 3_600_000;
const MIN = 60_000;
const at = (iso: string): number => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`bad test instant ${iso}`);
  return t;
};

type Hours = NonNullable<Calendar['hours']>;
const week = (days: Partial<Hours>): Hours => ({ mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [], ...days });
const officeHours = (timeZone: string, holidays: string[] = []): Calendar =>
  ZCalendar.parse({
    timeZone,
    hours: week({ mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] }),
    holidays,
  });

describe('ZCalendar', () => {
  const issuePaths = (input: unknown): string[] => {
    const r = ZCalendar.safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
  };

  it('accepts several intervals a day, touching intervals, 24:00 and 24/7', () => {
    expect(issuePaths({ timeZone: 'Europe/Paris', hours: week({ mon: [['09:00', '12:00'], ['13:00', '17:30']], fri: [['22:00', '24:00']], sat: [['00:00', '02:00'], ['02:00', '03:00']] }), holidays: ['2024-12-25'] })).toEqual([]);
    expect(issuePaths(TWENTY_FOUR_SEVEN)).toEqual([]);
  });

  it('names the faulty field: zone, time, order, overlap, empty week, holiday', () => {
    const base = { timeZone: 'Europe/Paris', hours: week({ mon: [['09:00', '17:00']] }), holidays: [] };
    expect(issuePaths({ ...base, timeZone: 'Mars/Olympus' })).toEqual(['timeZone']);
    expect(issuePaths({ ...base, timeZone: '+05:30' })).toEqual(['timeZone']);
    expect(issuePaths({ ...base, hours: week({ mon: [['9:00', '17:00']] }) })).toEqual(['hours.mon.0.0']);
    expect(issuePaths({ ...base, hours: week({ tue: [['09:00', '24:01']] }) })).toEqual(['hours.tue.0.1']);
    expect(issuePaths({ ...base, hours: week({ wed: [['17:00', '09:00']] }) })).toEqual(['hours.wed.0']);
    expect(issuePaths({ ...base, hours: week({ thu: [['24:00', '24:00']] }) })).toEqual(['hours.thu.0']);
    expect(issuePaths({ ...base, hours: week({ fri: [['09:00', '12:00'], ['11:00', '17:00']] }) })).toEqual(['hours.fri.1']);
    expect(issuePaths({ ...base, hours: week({ sat: [['13:00', '17:00'], ['09:00', '12:00']] }) })).toEqual(['hours.sat.1']);
    expect(issuePaths({ ...base, hours: week({}) })).toEqual(['hours']);
    expect(issuePaths({ ...base, hours: { ...week({ mon: [['09:00', '17:00']] }), holiday: [] } })).toEqual(['hours']);
    expect(issuePaths({ ...base, holidays: ['2024-12-25', '2023-02-29'] })).toEqual(['holidays.1']);
    expect(issuePaths({ ...base, holidays: ['25/12/2024'] })).toEqual(['holidays.0']);
  });

  it('refuses an unvalidated calendar at use', () => {
    const bad = { timeZone: 'Nowhere/Land', hours: null, holidays: [] } as Calendar;
    expect(() => addWorkingTime(0, H, bad)).toThrow();
  });
});

describe('working time in ordinary weeks', () => {
  const paris = ZCalendar.parse({
    timeZone: 'Europe/Paris',
    hours: week({
      mon: [['09:00', '12:00'], ['13:00', '17:00']],
      tue: [['09:00', '12:00'], ['13:00', '17:00']],
      wed: [['09:00', '12:00'], ['13:00', '17:00']],
      thu: [['09:00', '12:00'], ['13:00', '17:00']],
      fri: [['09:00', '12:00'], ['13:00', '17:00']],
    }),
    holidays: ['2024-12-25', '2025-01-01'],
  });

  it('skips the lunch break, the evening and the weekend', () => {
    expect(addWorkingTime(at('2024-06-03T11:00:00+02:00'), 2 * H, paris)).toBe(at('2024-06-03T14:00:00+02:00'));
    expect(addWorkingTime(at('2024-06-07T16:00:00+02:00'), 2 * H, paris)).toBe(at('2024-06-10T10:00:00+02:00'));
    expect(workingTimeBetween(at('2024-06-07T16:00:00+02:00'), at('2024-06-10T10:00:00+02:00'), paris)).toBe(2 * H);
    expect(workingTimeBetween(at('2024-06-03T00:00:00+02:00'), at('2024-06-10T00:00:00+02:00'), paris)).toBe(35 * H);
  });

  it('starts counting at the next opening when the clock starts outside hours', () => {
    const saturday = at('2024-06-08T10:00:00+02:00');
    expect(isOpen(saturday, paris)).toBe(false);
    expect(nextOpening(saturday, paris)).toBe(at('2024-06-10T09:00:00+02:00'));
    expect(addWorkingTime(saturday, 30 * MIN, paris)).toBe(at('2024-06-10T09:30:00+02:00'));
    expect(nextOpening(at('2024-06-10T12:00:00+02:00'), paris)).toBe(at('2024-06-10T13:00:00+02:00'));
  });

  it('is met at closing time when the target runs out exactly then, and at the start for a zero target', () => {
    expect(addWorkingTime(at('2024-06-07T16:00:00+02:00'), H, paris)).toBe(at('2024-06-07T17:00:00+02:00'));
    expect(addWorkingTime(at('2024-06-08T10:00:00+02:00'), 0, paris)).toBe(at('2024-06-08T10:00:00+02:00'));
    expect(isOpen(at('2024-06-07T17:00:00+02:00'), paris)).toBe(false);
    expect(isOpen(at('2024-06-07T16:59:59.999+02:00'), paris)).toBe(true);
    expect(isOpen(at('2024-06-07T09:00:00+02:00'), paris)).toBe(true);
  });

  it('has no working time on holidays', () => {
    // Tuesday 24 Dec 16:00 + 2 h: Christmas (Wednesday) is skipped.
    expect(addWorkingTime(at('2024-12-24T16:00:00+01:00'), 2 * H, paris)).toBe(at('2024-12-26T10:00:00+01:00'));
    expect(isOpen(at('2024-12-25T10:00:00+01:00'), paris)).toBe(false);
    expect(workingTimeBetween(at('2024-12-23T00:00:00+01:00'), at('2024-12-30T00:00:00+01:00'), paris)).toBe(28 * H);
  });

  it('reaches 500 working hours by skipping weeks, across a DST change too', () => {
    const cal = officeHours('Europe/Paris');
    // 500 h = 12 weeks of 40 h + 20 h (Mon 8, Tue 8, Wed 4).
    expect(addWorkingTime(at('2024-01-01T09:00:00+01:00'), 500 * H, cal)).toBe(at('2024-03-27T13:00:00+01:00'));
    expect(addWorkingTime(at('2024-03-04T09:00:00+01:00'), 500 * H, cal)).toBe(at('2024-05-29T13:00:00+02:00'));
    expect(workingTimeBetween(at('2024-03-04T09:00:00+01:00'), at('2024-05-29T13:00:00+02:00'), cal)).toBe(500 * H);
  });

  it('rejects negative or non-finite inputs', () => {
    expect(() => addWorkingTime(0, -1, paris)).toThrow(RangeError);
    expect(() => addWorkingTime(Number.NaN, 1, paris)).toThrow(RangeError);
    expect(() => workingTimeBetween(0, Infinity, paris)).toThrow(RangeError);
    expect(workingTimeBetween(at('2024-06-04T10:00:00+02:00'), at('2024-06-03T10:00:00+02:00'), paris)).toBe(0);
  });
});

describe('daylight saving, midnight and far time zones', () => {
  // Europe/Paris: 2024-03-31 02:00 → 03:00 (01:00Z), 2024-10-27 03:00 → 02:00 (01:00Z). Both Sundays.
  const sundays = (intervals: Array<[string, string]>): Calendar =>
    ZCalendar.parse({ timeZone: 'Europe/Paris', hours: week({ sun: intervals }), holidays: [] });

  it('a 09:00–17:00 day is 8 h on both DST days', () => {
    const cal = sundays([['09:00', '17:00']]);
    expect(workingTimeBetween(at('2024-03-30T00:00:00Z'), at('2024-04-01T00:00:00Z'), cal)).toBe(8 * H);
    expect(workingTimeBetween(at('2024-10-26T00:00:00Z'), at('2024-10-28T00:00:00Z'), cal)).toBe(8 * H);
    expect(addWorkingTime(at('2024-03-31T00:00:00Z'), 8 * H, cal)).toBe(at('2024-03-31T17:00:00+02:00'));
    expect(addWorkingTime(at('2024-10-27T00:00:00Z'), 8 * H, cal)).toBe(at('2024-10-27T17:00:00+01:00'));
    const ny = ZCalendar.parse({ timeZone: 'America/New_York', hours: week({ sun: [['09:00', '17:00']] }), holidays: [] });
    expect(addWorkingTime(at('2024-03-10T00:00:00Z'), 8 * H, ny)).toBe(at('2024-03-10T17:00:00-04:00'));
    expect(addWorkingTime(at('2024-11-03T00:00:00Z'), 8 * H, ny)).toBe(at('2024-11-03T17:00:00-05:00'));
  });

  it('a window starting in the missing hour starts at the first valid instant', () => {
    const cal = sundays([['02:30', '04:00']]);
    expect(nextOpening(at('2024-03-30T12:00:00Z'), cal)).toBe(at('2024-03-31T03:00:00+02:00'));
    expect(workingTimeBetween(at('2024-03-30T00:00:00Z'), at('2024-04-01T00:00:00Z'), cal)).toBe(1 * H);
    // A window entirely inside the missing hour has no working time that day.
    const gap = sundays([['02:10', '02:50'], ['10:00', '11:00']]);
    expect(workingTimeBetween(at('2024-03-30T00:00:00Z'), at('2024-04-01T00:00:00Z'), gap)).toBe(1 * H);
    expect(nextOpening(at('2024-03-31T00:00:00Z'), gap)).toBe(at('2024-03-31T10:00:00+02:00'));
  });

  it('on the fall-back day, wall-clock windows follow the wall clock (first occurrence of a repeated time)', () => {
    const cal = sundays([['01:00', '03:00']]);
    expect(workingTimeBetween(at('2024-10-26T00:00:00Z'), at('2024-10-28T00:00:00Z'), cal)).toBe(3 * H);
    const repeated = sundays([['02:30', '04:00']]);
    expect(nextOpening(at('2024-10-26T12:00:00Z'), repeated)).toBe(at('2024-10-27T02:30:00+02:00'));
    expect(workingTimeBetween(at('2024-10-26T00:00:00Z'), at('2024-10-28T00:00:00Z'), repeated)).toBe(2.5 * H);
  });

  it('runs on across midnight when one day closes at 24:00 and the next opens at 00:00', () => {
    const cal = ZCalendar.parse({ timeZone: 'America/New_York', hours: week({ fri: [['22:00', '24:00']], sat: [['00:00', '02:00']] }), holidays: [] });
    expect(isOpen(at('2024-06-08T00:00:00-04:00'), cal)).toBe(true);
    expect(isOpen(at('2024-06-07T23:59:59-04:00'), cal)).toBe(true);
    expect(addWorkingTime(at('2024-06-07T23:00:00-04:00'), 2 * H, cal)).toBe(at('2024-06-08T01:00:00-04:00'));
    expect(addWorkingTime(at('2024-06-08T01:00:00-04:00'), 2 * H, cal)).toBe(at('2024-06-14T23:00:00-04:00'));
    // A holiday on Saturday leaves Friday night alone.
    const sat = ZCalendar.parse({ ...cal, holidays: ['2024-06-08'] });
    expect(addWorkingTime(at('2024-06-07T23:00:00-04:00'), 2 * H, sat)).toBe(at('2024-06-14T23:00:00-04:00'));
  });

  it('handles half-hour offsets (Asia/Kolkata) and zones far from UTC (Pacific/Auckland)', () => {
    const kolkata = ZCalendar.parse({ ...officeHours('Asia/Kolkata'), hours: week({ mon: [['09:30', '18:00']], tue: [['09:30', '18:00']] }) });
    expect(nextOpening(at('2024-01-15T00:00:00Z'), kolkata)).toBe(at('2024-01-15T09:30:00+05:30'));
    expect(addWorkingTime(at('2024-01-15T17:00:00+05:30'), 2 * H, kolkata)).toBe(at('2024-01-16T10:30:00+05:30'));
    expect(addWorkingTime(at('2024-01-16T17:00:00+05:30'), 2 * H, kolkata)).toBe(at('2024-01-22T10:30:00+05:30'));

    // Auckland Monday 09:00 is Sunday 20:00 UTC (NZST, +12:00) or 21:00 UTC (NZDT, +13:00).
    const auckland = officeHours('Pacific/Auckland', ['2024-04-25']);
    expect(nextOpening(at('2024-06-08T12:00:00Z'), auckland)).toBe(at('2024-06-09T21:00:00Z'));
    expect(isOpen(at('2024-06-09T21:00:00Z'), auckland)).toBe(true);
    expect(isOpen(at('2024-06-09T20:59:00Z'), auckland)).toBe(false);
    // NZ falls back on Sunday 2024-04-07 and springs forward on Sunday 2024-09-29: Friday → Monday.
    expect(addWorkingTime(at('2024-04-05T16:00:00+13:00'), 2 * H, auckland)).toBe(at('2024-04-08T10:00:00+12:00'));
    expect(addWorkingTime(at('2024-09-27T16:00:00+12:00'), 2 * H, auckland)).toBe(at('2024-09-30T10:00:00+13:00'));
    // Anzac Day (Thursday) is a holiday.
    expect(workingTimeBetween(at('2024-04-22T00:00:00+12:00'), at('2024-04-29T00:00:00+12:00'), auckland)).toBe(32 * H);
  });

  it('handles a 30-minute DST shift (Australia/Lord_Howe)', () => {
    // 2024-10-06 02:00 → 02:30 (+10:30 → +11:00).
    const cal = ZCalendar.parse({ timeZone: 'Australia/Lord_Howe', hours: week({ sun: [['01:00', '03:00']] }), holidays: [] });
    expect(workingTimeBetween(at('2024-10-05T00:00:00Z'), at('2024-10-07T00:00:00Z'), cal)).toBe(1.5 * H);
  });
});

// ---------------------------------------------------------------------------------------------
// An independent oracle: scan minute by minute with its own formatter, and lay out each interval
// as [first minute the wall clock reads ≥ start, first minute it reads ≥ end).

function oracle(cal: Calendar, from: number, to: number): { open: boolean[]; from: number } {
  const fmt = new Intl.DateTimeFormat('en-GB', {
    timeZone: cal.timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  });
  const margin = 2 * 24 * 60;
  const n = Math.round((to - from) / MIN) + 2 * margin;
  const start = from - margin * MIN;
  const walls: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = Object.fromEntries(fmt.formatToParts(start + i * MIN).map((x) => [x.type, x.value]));
    walls.push(Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute)));
  }
  const firstReach = (w: number): number => walls.findIndex((x) => x >= w);
  const working = new Array<boolean>(n).fill(false);
  const firstDay = Math.floor(walls[0]! / 86_400_000) + 1;
  const lastDay = Math.floor(walls[n - 1]! / 86_400_000) - 1;
  const holidays = new Set(cal.holidays);
  for (let day = firstDay; day <= lastDay; day++) {
    const date = new Date(day * 86_400_000);
    if (holidays.has(date.toISOString().slice(0, 10))) continue;
    const wd = WEEKDAYS[(date.getUTCDay() + 6) % 7]!;
    const intervals = cal.hours === null ? [['00:00', '24:00'] as const] : cal.hours[wd];
    for (const [s, e] of intervals) {
      const toMs = (hhmm: string): number => day * 86_400_000 + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) * MIN;
      for (let i = firstReach(toMs(s)); i < firstReach(toMs(e)); i++) working[i] = true;
    }
  }
  return { open: working.slice(margin, n - margin), from };
}

const ZONES = [
  'UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Pacific/Auckland', 'Australia/Lord_Howe', 'America/Santiago',
  'America/Havana', 'Pacific/Chatham', 'Asia/Tehran', 'Africa/Casablanca', 'America/St_Johns', 'Europe/London', 'Asia/Kathmandu',
];

const pad = (n: number): string => String(n).padStart(2, '0');
const hhmm = (m: number): string => `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
const pick = <T,>(rng: Random, xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)]!;
const int = (rng: Random, lo: number, hi: number): number => lo + Math.floor(rng.next() * (hi - lo + 1));

function randomCalendar(rng: Random, fromYear = 2020, toYear = 2030): Calendar {
  const timeZone = pick(rng, ZONES);
  let hours: Hours | null = null;
  if (rng.next() > 0.15) {
    hours = week({});
    for (const d of WEEKDAYS) {
      if (rng.next() < 0.3) continue;
      const k = int(rng, 1, 3);
      const marks = new Set<number>();
      // Boundaries on the quarter hour; a few at midnight and in the small hours, where DST bites.
      while (marks.size < 2 * k) marks.add(rng.next() < 0.15 ? pick(rng, [0, 60, 90, 120, 150, 180, 1440]) : int(rng, 0, 96) * 15);
      const sorted = [...marks].sort((a, b) => a - b);
      for (let i = 0; i < sorted.length; i += 2) hours[d].push([hhmm(sorted[i]!), hhmm(sorted[i + 1]!)]);
    }
    if (WEEKDAYS.every((d) => hours![d].length === 0)) hours.mon.push(['09:00', '17:00']);
  }
  const holidays: string[] = [];
  const nHolidays = int(rng, 0, 30);
  for (let i = 0; i < nHolidays; i++) {
    holidays.push(new Date(Date.UTC(int(rng, fromYear, toYear), 0, int(rng, 1, 365))).toISOString().slice(0, 10));
  }
  return ZCalendar.parse({ timeZone, hours, holidays });
}

const randomInstant = (rng: Random): number => Date.UTC(2021, 0, 1) + Math.floor(rng.next() * 8 * 365 * 86_400_000);
const randomTarget = (rng: Random): number =>
  rng.next() < 0.5 ? int(rng, 1, 8 * 60) * MIN : Math.floor(rng.next() * 600 * H);

describe('agrees with a minute-by-minute oracle around DST changes', () => {
  const changes: Array<[string, string]> = [
    ['Europe/Paris', '2024-03-31'], ['Europe/Paris', '2024-10-27'], ['America/New_York', '2024-03-10'], ['America/New_York', '2024-11-03'],
    ['Pacific/Auckland', '2024-04-07'], ['Pacific/Auckland', '2024-09-29'], ['Australia/Lord_Howe', '2024-04-07'],
    ['Australia/Lord_Howe', '2024-10-06'], ['America/Santiago', '2024-04-07'], ['America/Santiago', '2024-09-08'],
    ['America/Havana', '2024-03-10'], ['America/Havana', '2024-11-03'], ['Pacific/Chatham', '2024-04-07'], ['Africa/Casablanca', '2024-03-10'],
    ['Africa/Casablanca', '2024-04-14'], ['Asia/Kolkata', '2024-03-10'],
  ];
  it.each(changes)('%s around %s', (timeZone, date) => {
    const rng = seededRandom(timeZone.length * 1000 + Number(date.slice(5, 7)));
    for (let round = 0; round < 4; round++) {
      const cal = ZCalendar.parse({ ...randomCalendar(rng), timeZone, holidays: [] });
      const from = Date.parse(`${date}T00:00:00Z`) - 2 * 86_400_000;
      const to = from + 4 * 86_400_000;
      const { open } = oracle(cal, from, to);
      for (let i = 0; i < open.length; i += 7) expect(isOpen(from + i * MIN, cal), `${new Date(from + i * MIN).toISOString()}`).toBe(open[i]);
      for (let k = 0; k < 40; k++) {
        const i = int(rng, 0, open.length - 1);
        const j = int(rng, i, open.length);
        const expected = open.slice(i, j).filter(Boolean).length * MIN;
        expect(workingTimeBetween(from + i * MIN, from + j * MIN, cal)).toBe(expected);
        const next = open.indexOf(true, i);
        if (next >= 0) expect(nextOpening(from + i * MIN, cal)).toBe(from + next * MIN);
      }
    }
  });
});

describe('properties over random calendars (seeded)', () => {
  it('workingTimeBetween(s, addWorkingTime(s, m)) === m, and the deadline is the first such instant', () => {
    const rng = seededRandom(6);
    for (let i = 0; i < 400; i++) {
      const cal = randomCalendar(rng);
      const s = randomInstant(rng);
      const m = randomTarget(rng);
      const d = addWorkingTime(s, m, cal);
      expect(workingTimeBetween(s, d, cal), JSON.stringify({ cal, s, m })).toBe(m);
      expect(workingTimeBetween(s, d - 1, cal)).toBe(m - 1);
      expect(isOpen(d - 1, cal)).toBe(true);
    }
  });

  it('is monotonic in the start and in the target, and additive over adjacent ranges', () => {
    const rng = seededRandom(7);
    for (let i = 0; i < 300; i++) {
      const cal = randomCalendar(rng);
      const [s1, s2] = [randomInstant(rng), randomInstant(rng)].sort((a, b) => a - b) as [number, number];
      const [m1, m2] = [randomTarget(rng), randomTarget(rng)].sort((a, b) => a - b) as [number, number];
      expect(addWorkingTime(s1, m1, cal)).toBeLessThanOrEqual(addWorkingTime(s2, m1, cal));
      expect(addWorkingTime(s1, m1, cal)).toBeLessThanOrEqual(addWorkingTime(s1, m2, cal));
      if (m1 < m2) expect(addWorkingTime(s1, m1, cal)).toBeLessThan(addWorkingTime(s1, m2, cal));
      const mid = s1 + Math.floor(rng.next() * (s2 - s1));
      expect(workingTimeBetween(s1, mid, cal) + workingTimeBetween(mid, s2, cal)).toBe(workingTimeBetween(s1, s2, cal));
      expect(workingTimeBetween(s1, s2, cal)).toBeLessThanOrEqual(s2 - s1);
    }
  });

  it('skipping whole weeks gives the same total as walking day by day', () => {
    const rng = seededRandom(8);
    for (let i = 0; i < 30; i++) {
      const cal = randomCalendar(rng);
      const a = randomInstant(rng);
      const b = a + int(rng, 30, 200) * 86_400_000 + int(rng, 0, 86_400_000);
      let byDay = 0;
      for (let t = a; t < b; t += 86_400_000) byDay += workingTimeBetween(t, Math.min(t + 86_400_000, b), cal);
      expect(workingTimeBetween(a, b, cal)).toBe(byDay);
    }
  });

  it('24/7 without holidays is plain addition in any zone; 24/7 with holidays loses those local days', () => {
    const rng = seededRandom(9);
    for (let i = 0; i < 200; i++) {
      const cal = ZCalendar.parse({ timeZone: pick(rng, ZONES), hours: null, holidays: [] });
      const s = randomInstant(rng);
      const m = randomTarget(rng);
      expect(addWorkingTime(s, m, cal)).toBe(s + m);
      expect(addWorkingTime(s, m, TWENTY_FOUR_SEVEN)).toBe(s + m);
      expect(workingTimeBetween(s, s + m, cal)).toBe(m);
      expect(isOpen(s, cal)).toBe(true);
      expect(nextOpening(s, cal)).toBe(s);
    }
    // Paris, 2024-03-31 (23 h long) is a holiday.
    const cal = ZCalendar.parse({ timeZone: 'Europe/Paris', hours: null, holidays: ['2024-03-31'] });
    expect(workingTimeBetween(at('2024-03-30T00:00:00+01:00'), at('2024-04-02T00:00:00+02:00'), cal)).toBe(48 * H);
    expect(addWorkingTime(at('2024-03-30T23:00:00+01:00'), 2 * H, cal)).toBe(at('2024-04-01T01:00:00+02:00'));
  });
});

describe('speed', () => {
  /**
   * Reports only (no timing assertion): deadlines/s for random starts over 8 years, targets up to
   * 600 working hours, a lunch-break calendar with holidays in Europe/Paris. Run it alone with
   * `npx vitest run src/modules/followup/clock -t speed` and read the console line.
   */
  it('computes deadlines without walking minute by minute (report only)', () => {
    const rng = seededRandom(10);
    const cal = ZCalendar.parse({
      timeZone: 'Europe/Paris',
      hours: week(Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '12:30'], ['13:30', '18:00']]]))),
      holidays: Array.from({ length: 80 }, (_, i) => `${2021 + Math.floor(i / 10)}-${pad(1 + (i % 10))}-1${i % 10}`),
    });
    const n = 50_000;
    const starts = Array.from({ length: n }, () => randomInstant(rng));
    const targets = Array.from({ length: n }, () => randomTarget(rng));
    const run = (label: string): void => {
      const t0 = performance.now();
      let sink = 0;
      for (let i = 0; i < n; i++) sink += addWorkingTime(starts[i]!, targets[i]!, cal) % 7;
      const ms = performance.now() - t0;
      console.log(`calendar: ${label}: ${Math.round((n / ms) * 1000).toLocaleString('en')} deadlines/s (${n} in ${ms.toFixed(0)} ms, sink ${sink})`);
    };
    run('cold offset cache');
    run('warm offset cache');
    const big = Array.from({ length: 5_000 }, () => randomInstant(rng));
    const t0 = performance.now();
    for (const s of big) addWorkingTime(s, 500 * H, cal);
    console.log(`calendar: 500 working hours: ${Math.round((big.length / (performance.now() - t0)) * 1000).toLocaleString('en')} deadlines/s`);
  });
});
