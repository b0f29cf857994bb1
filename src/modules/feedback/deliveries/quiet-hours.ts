/**
 * Quiet hours in the customer's own time zone: is this instant inside them, and when do they
 * end. Pure (Intl only), so it is tested alone.
 */
export interface QuietHours {
  /** Local hour (0–23) at which quiet starts. */
  start: number;
  /** Local hour at which it ends; before `start` when it spans midnight (21 → 8). */
  end: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(tz: unknown): tz is string {
  if (typeof tz !== 'string' || tz.length === 0 || tz.length > 64) return false;
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function wallTime(ms: number, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1, hour: (parts.hour ?? 0) % 24, minute: parts.minute ?? 0, second: parts.second ?? 0 };
}

/** The zone's offset from UTC at an instant, in ms (Paris in winter: +3 600 000). */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallTime(ms, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - (ms - (((ms % 1000) + 1000) % 1000));
}

export const isQuietHour = (hour: number, quiet: QuietHours): boolean => (quiet.start < quiet.end ? hour >= quiet.start && hour < quiet.end : hour >= quiet.start || hour < quiet.end);

/**
 * When the quiet hours around `now` end (epoch ms), or undefined when `now` is not in them.
 * The end is the next local `end:00`; on a day when that hour does not exist (a DST gap), the
 * instant the clocks jump to.
 */
export function quietHoursEnd(now: number, timeZone: string, quiet: QuietHours | null): number | undefined {
  if (!quiet) return undefined;
  const w = wallTime(now, timeZone);
  if (!isQuietHour(w.hour, quiet)) return undefined;
  const tomorrow = quiet.start > quiet.end && w.hour >= quiet.start;
  const wall = Date.UTC(w.year, w.month - 1, w.day + (tomorrow ? 1 : 0), quiet.end, 0, 0);
  let at = wall - offsetAt(wall, timeZone);
  at = wall - offsetAt(at, timeZone);
  return at > now ? at : now;
}
