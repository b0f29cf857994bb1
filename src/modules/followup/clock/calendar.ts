/**
 * The SLA clock's calendar: which instants count as working time for a team.
 *
 * Pure maths, no I/O. A calendar is a time zone, the weekly opening hours in local wall-clock
 * time (or `null` for 24/7) and local holidays. Every function takes and returns epoch
 * milliseconds (UTC instants); the local clock is only used to lay the week out on the timeline.
 *
 * Wall-clock to instant: a local time `w` on a given date is the FIRST instant at which the
 * local clock reads `w` or later. So on the spring-forward day a window that starts in the
 * missing hour starts at the transition (the first valid instant), and on the fall-back day a
 * time inside the repeated hour means its first occurrence. A 09:00–17:00 day is 8 h of
 * working time on DST days too; a 01:00–03:00 window is 1 h or 3 h on those days, as the
 * clock on the wall says. `24:00` is the start of the next local day.
 *
 * Speed: time-zone offsets come from one cached `Intl.DateTimeFormat` per zone, probed once per
 * UTC day (cached), with a binary search (to the second) only on the days that contain an
 * offset change. Deadlines walk day by day through their intervals and skip whole weeks when a
 * week has no holiday and no offset change.
 *
 * Assumptions (true of the tz database for the years an SLA cares about): a zone changes its
 * offset at most once in any 24 h, and not twice (there and back) within the 9 days of a
 * skipped week; offset changes fall on whole seconds.
 */
import { z } from 'zod';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** How far to look for working time before giving up (a calendar whose hours all fall on holidays). */
const MAX_SCAN_DAYS = 366 * 50;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const ZClockTime = z
  .string()
  .regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/, 'expected a local time HH:MM from 00:00 to 24:00');

const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** One day's opening intervals: each start before its end, in order, not overlapping (touching is fine). */
const ZDayHours = z.array(z.tuple([ZClockTime, ZClockTime])).superRefine((intervals, ctx) => {
  let previousEnd = -1;
  intervals.forEach(([start, end], i) => {
    const s = toMinutes(start);
    const e = toMinutes(end);
    if (s >= e) {
      ctx.addIssue({ code: 'custom', path: [i], message: `interval ${start}–${end} must start before it ends` });
    } else if (s < previousEnd) {
      ctx.addIssue({
        code: 'custom',
        path: [i],
        message: `interval ${start}–${end} must start after the previous one ends (intervals are ordered and do not overlap)`,
      });
    }
    previousEnd = Math.max(previousEnd, e);
  });
});

const ZWeekHours = z
  .object({
    mon: ZDayHours,
    tue: ZDayHours,
    wed: ZDayHours,
    thu: ZDayHours,
    fri: ZDayHours,
    sat: ZDayHours,
    sun: ZDayHours,
  })
  .strict()
  .refine((week) => WEEKDAYS.some((d) => week[d].length > 0), {
    message: 'a calendar needs some working time in the week (use null for 24/7)',
  });

/** Answers already found: building a DateTimeFormat costs about 0.1 ms, and every task's calendar is checked. */
const timeZones = new Map<string, boolean>();

function isTimeZone(tz: string): boolean {
  const known = timeZones.get(tz);
  if (known !== undefined) return known;
  let valid = false;
  // IANA names only: no raw offsets like "+05:30" (which newer engines would accept).
  if (/^[A-Za-z]/.test(tz)) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      valid = true;
    } catch {
      valid = false;
    }
  }
  if (timeZones.size < 2000) timeZones.set(tz, valid);
  return valid;
}

const ZLocalDate = z.string().refine((s) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(2000, mo - 1, d));
  date.setUTCFullYear(y);
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}, 'expected a local calendar date YYYY-MM-DD');

export const ZCalendar = z.object({
  /** IANA time zone of the team, e.g. "Europe/Paris". */
  timeZone: z.string().refine(isTimeZone, 'unknown IANA time zone'),
  /** Weekly opening hours in local time; null means 24/7. */
  hours: ZWeekHours.nullable(),
  /** Local dates (YYYY-MM-DD) with no working time at all. */
  holidays: z.array(ZLocalDate),
});
export type Calendar = z.infer<typeof ZCalendar>;

export const TWENTY_FOUR_SEVEN: Calendar = Object.freeze({ timeZone: 'UTC', hours: null, holidays: [] });

// ---------------------------------------------------------------------------------------------
// Time zones: offsets probed once per UTC day, day layouts cached per local day.

/** Offsets of one local day: `offsets[k]` holds on [transitions[k-1], transitions[k]). */
interface DayLayout {
  transitions: number[];
  offsets: number[];
}

const CACHE_LIMIT = 200_000;

class Zone {
  private readonly formatter: Intl.DateTimeFormat;
  /** Offset (ms, local − UTC) at 00:00 UTC of a UTC day number. */
  private readonly probes = new Map<number, number>();
  private readonly layouts = new Map<number, DayLayout>();

  constructor(timeZone: string) {
    this.formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** Offset at an instant, straight from Intl (slow: use the cached probes where possible). */
  offsetAt(t: number): number {
    const second = Math.floor(t / 1000) * 1000;
    let y = 0;
    let mo = 0;
    let d = 0;
    let h = 0;
    let mi = 0;
    let s = 0;
    for (const p of this.formatter.formatToParts(second)) {
      switch (p.type) {
        case 'year': y = Number(p.value); break;
        case 'month': mo = Number(p.value); break;
        case 'day': d = Number(p.value); break;
        case 'hour': h = Number(p.value); break;
        case 'minute': mi = Number(p.value); break;
        case 'second': s = Number(p.value); break;
        default: break;
      }
    }
    const wall = new Date(0);
    wall.setUTCFullYear(y, mo - 1, d);
    wall.setUTCHours(h, mi, s, 0);
    return wall.getTime() - second;
  }

  /** Offset at 00:00 UTC of UTC day `n`, cached. */
  probe(n: number): number {
    let o = this.probes.get(n);
    if (o === undefined) {
      if (this.probes.size >= CACHE_LIMIT) this.probes.clear();
      o = this.offsetAt(n * DAY);
      this.probes.set(n, o);
    }
    return o;
  }

  /** Offsets around local day `day` (a window of UTC days day−1 … day+2 covers all its instants). */
  layout(day: number): DayLayout {
    let l = this.layouts.get(day);
    if (l !== undefined) return l;
    const transitions: number[] = [];
    const offsets: number[] = [this.probe(day - 1)];
    for (let n = day - 1; n < day + 2; n++) {
      const before = this.probe(n);
      const after = this.probe(n + 1);
      if (before === after) continue;
      // One change in this UTC day: find its first second with the new offset.
      let lo = n * 86_400; // seconds, offset `before`
      let hi = (n + 1) * 86_400; // seconds, offset `after`
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (this.offsetAt(mid * 1000) === before) lo = mid;
        else hi = mid;
      }
      transitions.push(hi * 1000);
      offsets.push(after);
    }
    l = { transitions, offsets };
    if (this.layouts.size >= CACHE_LIMIT) this.layouts.clear();
    this.layouts.set(day, l);
    return l;
  }

  /** The first instant at which the local clock reads `wall` (local ms since epoch) or later. */
  instant(day: number, wall: number): number {
    const { transitions, offsets } = this.layout(day);
    if (transitions.length === 0) return wall - offsets[0]!;
    let best = Infinity;
    for (let k = 0; k < offsets.length; k++) {
      const from = k === 0 ? -Infinity : transitions[k - 1]!;
      const to = k === transitions.length ? Infinity : transitions[k]!;
      const t = Math.max(wall - offsets[k]!, from);
      if (t < to && t < best) best = t;
    }
    return best;
  }

  /**
   * A local day number within one day of the local day of `t` (exact when the zone has no
   * change near `t`); callers start one day earlier and skip intervals that end before `t`.
   */
  approxDay(t: number): number {
    return Math.floor((t + this.probe(Math.floor(t / DAY))) / DAY);
  }

  /** The constant offset over local days day … day+6 when that can be taken for granted, else null. */
  steadyWeek(day: number): number | null {
    const o = this.probe(day - 1);
    return this.probe(day + 3) === o && this.probe(day + 8) === o ? o : null;
  }
}

const zones = new Map<string, Zone>();
function zoneOf(timeZone: string): Zone {
  let zone = zones.get(timeZone);
  if (zone === undefined) {
    zone = new Zone(timeZone);
    zones.set(timeZone, zone);
  }
  return zone;
}

// ---------------------------------------------------------------------------------------------
// Calendars compiled once per object (treat calendars as immutable).

interface Compiled {
  zone: Zone;
  /** Per weekday (0 = Monday): flat [start, end, start, end…] in minutes of the local day. */
  week: number[][];
  /** Nominal working ms in a week without holidays or offset changes. */
  weekMs: number;
  /** Sorted local day numbers of holidays. */
  holidays: number[];
  holidaySet: Set<number>;
  /** 24/7 with no holidays: working time is plain time. */
  plain: boolean;
}

const compiledCache = new WeakMap<Calendar, Compiled>();

function compile(cal: Calendar): Compiled {
  let c = compiledCache.get(cal);
  if (c !== undefined) return c;
  const parsed = ZCalendar.parse(cal);
  const week = WEEKDAYS.map((d) =>
    parsed.hours === null ? [0, 1440] : parsed.hours[d].flatMap(([s, e]) => [toMinutes(s), toMinutes(e)]),
  );
  let weekMinutes = 0;
  for (const day of week) for (let i = 0; i < day.length; i += 2) weekMinutes += day[i + 1]! - day[i]!;
  const holidays = [...new Set(parsed.holidays.map(localDayNumber))].sort((a, b) => a - b);
  c = {
    zone: zoneOf(parsed.timeZone),
    week,
    weekMs: weekMinutes * MINUTE,
    holidays,
    holidaySet: new Set(holidays),
    plain: parsed.hours === null && holidays.length === 0,
  };
  compiledCache.set(cal, c);
  return c;
}

function localDayNumber(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d);
  return Math.round(t.getTime() / DAY);
}

/** 1970-01-01 (day 0) was a Thursday; 0 = Monday. */
const weekdayOf = (day: number): number => (((day + 3) % 7) + 7) % 7;

function hasHolidayIn(c: Compiled, from: number, to: number): boolean {
  const h = c.holidays;
  let lo = 0;
  let hi = h.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (h[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < h.length && h[lo]! < to;
}

/** Calls `visit(start, end)` for each non-empty working interval of local day `day`, in order; stops when it returns true. */
function eachInterval(c: Compiled, day: number, visit: (start: number, end: number) => boolean): boolean {
  if (c.holidaySet.has(day)) return false;
  const mins = c.week[weekdayOf(day)]!;
  const base = day * DAY;
  for (let i = 0; i < mins.length; i += 2) {
    const s = c.zone.instant(day, base + mins[i]! * MINUTE);
    const e = c.zone.instant(day, base + mins[i + 1]! * MINUTE);
    if (e > s && visit(s, e)) return true;
  }
  return false;
}

function checkInstant(name: string, t: number): void {
  if (!Number.isFinite(t)) throw new RangeError(`${name} must be a finite epoch-ms instant, got ${t}`);
}

// ---------------------------------------------------------------------------------------------
// The API.

/** Whether `t` is working time: inside an opening interval of a non-holiday local day. */
export function isOpen(t: number, cal: Calendar): boolean {
  checkInstant('t', t);
  const c = compile(cal);
  if (c.plain) return true;
  const d0 = c.zone.approxDay(t);
  for (let day = d0 - 1; day <= d0 + 1; day++) {
    if (eachInterval(c, day, (s, e) => s <= t && t < e)) return true;
  }
  return false;
}

/** The first instant ≥ `t` that is working time (`t` itself when open). */
export function nextOpening(t: number, cal: Calendar): number {
  checkInstant('t', t);
  const c = compile(cal);
  if (c.plain) return t;
  const d0 = c.zone.approxDay(t) - 1;
  let found = NaN;
  for (let day = d0; day < d0 + MAX_SCAN_DAYS; day++) {
    const hit = eachInterval(c, day, (s, e) => {
      if (e <= t) return false;
      found = Math.max(s, t);
      return true;
    });
    if (hit) return found;
  }
  throw new RangeError(`no working time within ${MAX_SCAN_DAYS} days of ${new Date(t).toISOString()}`);
}

/**
 * The instant at which `ms` of working time has elapsed after `start`. Counting begins at the
 * next opening when `start` is outside hours; a target of 0 is met at `start` itself; a target
 * that runs out exactly at closing time is met at closing time.
 */
export function addWorkingTime(start: number, ms: number, cal: Calendar): number {
  checkInstant('start', start);
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`working time must be a finite ms ≥ 0, got ${ms}`);
  const c = compile(cal);
  if (c.plain || ms === 0) return start + ms;
  const zone = c.zone;
  let remaining = ms;
  let result = NaN;
  const visit = (s: number, e: number): boolean => {
    if (e <= start) return false;
    const from = Math.max(s, start);
    if (remaining <= e - from) {
      result = from + remaining;
      return true;
    }
    remaining -= e - from;
    return false;
  };
  const first = zone.approxDay(start) - 1;
  let day = first;
  while (day < first + MAX_SCAN_DAYS) {
    // Whole weeks at once: no holiday, no offset change, and the week starts after `start`.
    while (remaining > c.weekMs && !hasHolidayIn(c, day, day + 7)) {
      const o = zone.steadyWeek(day);
      if (o === null || day * DAY - o < start) break;
      remaining -= c.weekMs;
      day += 7;
    }
    if (eachInterval(c, day, visit)) return result;
    day++;
  }
  throw new RangeError(`no working time within ${MAX_SCAN_DAYS} days of ${new Date(start).toISOString()}`);
}

/** Working milliseconds in [a, b); 0 when b ≤ a. */
export function workingTimeBetween(a: number, b: number, cal: Calendar): number {
  checkInstant('a', a);
  checkInstant('b', b);
  if (b <= a) return 0;
  const c = compile(cal);
  if (c.plain) return b - a;
  const zone = c.zone;
  let total = 0;
  let passedB = false;
  const visit = (s: number, e: number): boolean => {
    if (s >= b) {
      passedB = true;
      return true;
    }
    const from = Math.max(s, a);
    const to = Math.min(e, b);
    if (to > from) total += to - from;
    return false;
  };
  let day = zone.approxDay(a) - 1;
  const last = zone.approxDay(b) + 1;
  while (day <= last && !passedB) {
    while (!hasHolidayIn(c, day, day + 7)) {
      const o = zone.steadyWeek(day);
      if (o === null || day * DAY - o < a || (day + 7) * DAY - o > b) break;
      total += c.weekMs;
      day += 7;
    }
    eachInterval(c, day, visit);
    day++;
  }
  return total;
}
