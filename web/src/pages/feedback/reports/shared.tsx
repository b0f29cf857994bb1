/** Pieces shared by the Responses and Reports pages: the sub-navigation, badges, ranges and formatting. Everything renders as text. */
import { Badge, Group, Select, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { NavLink } from 'react-router';
import type { Category, Metric, SentimentLabel } from '../../../api/feedback-reports';
import { listSurveys, surveyKeys } from '../../../api/surveys';

export const METRIC_LABEL: Record<Metric, string> = { nps: 'NPS', csat: 'CSAT', ces: 'CES' };
export const METRIC_HINT: Record<Metric, string> = {
  nps: '% promoters (9–10) − % detractors (0–6), from −100 to 100',
  csat: '% of answers 4 or 5 on a 1–5 scale',
  ces: '% of answers 5–7 on a 1–7 scale ("easy")',
};

const CATEGORY_COLOUR: Record<Category, string> = {
  promoter: 'teal',
  satisfied: 'teal',
  passive: 'yellow',
  neutral: 'yellow',
  detractor: 'red',
  dissatisfied: 'red',
};

export const CATEGORY_LABEL: Record<Category, string> = {
  promoter: 'Promoter',
  passive: 'Passive',
  detractor: 'Detractor',
  satisfied: 'Satisfied',
  neutral: 'Neutral',
  dissatisfied: 'Dissatisfied',
};

const SENTIMENT_COLOUR: Record<SentimentLabel, string> = { positive: 'teal', neutral: 'gray', negative: 'red' };

/** Surveys · Responses · Reports, shown on the two report pages. */
export function FeedbackNav({ workspaceId }: { workspaceId: string }) {
  const base = `/w/${encodeURIComponent(workspaceId)}/feedback`;
  const links = [
    { to: base, label: 'Surveys', end: true },
    { to: `${base}/responses`, label: 'Responses', end: false },
    { to: `${base}/reports`, label: 'Reports', end: false },
  ];
  return (
    <Group gap={4} component="nav" aria-label="Feedback sections">
      {links.map((l) => (
        <NavLink key={l.to} to={l.to} end={l.end} style={{ textDecoration: 'none' }}>
          {({ isActive }) => (
            <Badge component="span" size="lg" radius="sm" variant={isActive ? 'filled' : 'light'} color={isActive ? 'blue' : 'gray'} style={{ cursor: 'pointer', textTransform: 'none' }}>
              {l.label}
            </Badge>
          )}
        </NavLink>
      ))}
    </Group>
  );
}

export function ScoreBadge({ metric, score, category }: { metric: Metric; score: number; category: Category | null }) {
  return (
    <Tooltip label={category ? `${METRIC_LABEL[metric]} ${score}: ${CATEGORY_LABEL[category].toLowerCase()}` : `${METRIC_LABEL[metric]} ${score}`}>
      <Badge
        variant="filled"
        color={category ? CATEGORY_COLOUR[category] : 'gray'}
        radius="sm"
        data-testid={`score-${metric}`}
        data-category={category ?? undefined}
        style={{ fontVariantNumeric: 'tabular-nums', textTransform: 'none' }}
      >
        {METRIC_LABEL[metric]} {score}
      </Badge>
    </Tooltip>
  );
}

export function SentimentBadge({ label, score }: { label: SentimentLabel; score: number }) {
  return (
    <Tooltip label={`Sentiment score ${score.toFixed(2)} (−1 … 1)`}>
      <Badge variant="light" color={SENTIMENT_COLOUR[label]} radius="sm" data-testid="sentiment" style={{ textTransform: 'none' }}>
        {label}
      </Badge>
    </Tooltip>
  );
}

export function ThemeBadge({ theme }: { theme: string }) {
  return (
    <Badge variant="outline" color="grape" radius="sm" data-testid="theme" style={{ textTransform: 'none' }}>
      {theme}
    </Badge>
  );
}

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Date ranges offered by both pages: the last n days (UTC), today included. */
export const RANGES = [
  { value: '7', label: 'Last 7 days' },
  { value: '30', label: 'Last 30 days' },
  { value: '90', label: 'Last 90 days' },
  { value: '365', label: 'Last 12 months' },
] as const;

/** `from`/`to` (ISO dates) of a range; `all` leaves `from` open. */
export function rangeDates(range: string, now = Date.now()): { from?: string; to?: string } {
  const days = Number(range);
  if (!Number.isFinite(days) || days <= 0) return {};
  const today = Math.floor(now / DAY) * DAY;
  return { from: isoDay(today - (days - 1) * DAY), to: isoDay(today) };
}

/** The survey filter: every survey of the workspace (any status). */
export function SurveySelect({ workspaceId, value, onChange }: { workspaceId: string; value: string | null; onChange: (v: string | null) => void }) {
  const surveys = useQuery({ queryKey: [...surveyKeys.list(workspaceId), 'all'], queryFn: () => listSurveys(workspaceId) });
  return (
    <Select
      label="Survey"
      placeholder="All surveys"
      clearable
      searchable
      data={(surveys.data?.surveys ?? []).map((s) => ({ value: s.id, label: s.name }))}
      value={value}
      onChange={onChange}
      nothingFoundMessage="No such survey"
      w={240}
    />
  );
}

const nf1 = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
const nf0 = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

/** A KPI value: NPS as a signed number, CSAT/CES as a percentage. */
export function formatValue(metric: Metric, value: number | null): string {
  if (value === null) return '—';
  if (metric === 'nps') return `${value > 0 ? '+' : value < 0 ? '−' : ''}${nf0.format(Math.abs(value))}`;
  return `${nf0.format(value)} %`;
}

export function formatInterval(metric: Metric, low: number | null, high: number | null): string {
  if (low === null || high === null) return '—';
  const f = (v: number) => (metric === 'nps' ? `${v < 0 ? '−' : ''}${nf1.format(Math.abs(v))}` : `${nf1.format(v)} %`);
  return `${f(low)} to ${f(high)}`;
}

export const formatMean = (mean: number | null): string => (mean === null ? '—' : nf1.format(mean));
export const formatCount = (n: number): string => new Intl.NumberFormat().format(n);
export const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
export const monthLabel = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });
