/** The home page's period filter: the last 30 / 90 days or 12 months (UTC days, today included), and the equal-length period before. */
const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const HOME_PERIODS = [
  { value: '30', label: 'Last 30 days', previous: 'the 30 days before', slug: 'last-30-days' },
  { value: '90', label: 'Last 90 days', previous: 'the 90 days before', slug: 'last-90-days' },
  { value: '365', label: 'Last 12 months', previous: 'the 12 months before', slug: 'last-12-months' },
] as const;

export type HomePeriod = (typeof HOME_PERIODS)[number];
export type HomePeriodValue = HomePeriod['value'];

export const DEFAULT_PERIOD: HomePeriodValue = '30';

export function homePeriod(value: string | null): HomePeriod {
  return HOME_PERIODS.find((p) => p.value === value) ?? (HOME_PERIODS[0] as HomePeriod);
}

export interface Ranges {
  current: { from: string; to: string };
  previous: { from: string; to: string };
}

/** `to` is inclusive (a date-only `to` covers its whole day in the API). */
export function periodRanges(period: HomePeriod, now = Date.now()): Ranges {
  const days = Number(period.value);
  const today = Math.floor(now / DAY) * DAY;
  const from = today - (days - 1) * DAY;
  return {
    current: { from: isoDay(from), to: isoDay(today) },
    previous: { from: isoDay(from - days * DAY), to: isoDay(from - DAY) },
  };
}
