/**
 * The slides of the all-hands screen, as pure functions of the home response and recent
 * answers: NPS, CSAT, CES, active customers and churn, SLA met %, then fresh quotes. Text only:
 * a quote is a string rendered as a text node, never markup.
 */
import type { Metric, ResponseItem } from '../../api/feedback-reports';
import type { Home } from '../../api/insight-home';
import { formatCount, formatValue, METRIC_LABEL } from '../feedback/reports/shared';
import { formatPct } from '../followups/reports/format';
import { arrowOf, compare, formatDelta } from '../home/compare';
import { formatMonth } from '../home/retention';

export type Arrow = '↑' | '↓' | '→' | '';

export interface FigureSlide {
  kind: 'figure';
  key: string;
  title: string;
  value: string;
  /** "n = 42", or the customers behind the figure. */
  detail: string;
  arrow: Arrow;
  change: string;
}

export interface QuoteSlide {
  kind: 'quote';
  key: string;
  title: string;
  text: string;
  detail: string;
}

export type Slide = FigureSlide | QuoteSlide;

/** At most this many quotes, newest first. */
export const MAX_QUOTES = 5;
/** Quotes longer than this are cut (with an ellipsis): a screen read from across the room. */
export const QUOTE_CHARS = 280;

const arrowFor = (delta: number | null, digits = 0): Arrow => {
  if (delta === null) return '';
  const d = Number(delta.toFixed(digits));
  return d > 0 ? '↑' : d < 0 ? '↓' : '→';
};

function scoreSlide(home: Home, metric: Metric, against: string): FigureSlide {
  const { current, previous } = home.satisfaction[metric];
  const change = compare(current, previous);
  return {
    kind: 'figure',
    key: metric,
    title: METRIC_LABEL[metric],
    value: current.n === 0 ? '—' : formatValue(metric, current.value),
    detail: `n = ${formatCount(current.n)}`,
    arrow: change.delta === null ? '' : arrowOf(change.delta),
    change: change.delta === null ? 'nothing to compare with' : `${formatDelta(change.delta)} ${metric === 'nps' ? 'points' : 'pp'} vs ${against}`,
  };
}

export function figureSlides(home: Home, against: string): FigureSlide[] {
  const c = home.customers;
  const churnDelta = c.current.logoChurnPct === null || c.previous.logoChurnPct === null ? null : c.current.logoChurnPct - c.previous.logoChurnPct;
  const sla = home.sla;
  const slaDelta = sla.current.metPct === null || sla.previous.metPct === null ? null : sla.current.metPct - sla.previous.metPct;
  return [
    scoreSlide(home, 'nps', against),
    scoreSlide(home, 'csat', against),
    scoreSlide(home, 'ces', against),
    {
      kind: 'figure',
      key: 'customers',
      title: 'Active customers',
      value: formatCount(c.current.activeEnd),
      detail: `end of ${formatMonth(c.months.last)} · logo churn ${formatPct(c.current.logoChurnPct)}`,
      arrow: arrowFor(c.current.activeEnd - c.previous.activeEnd),
      change: churnDelta === null ? `${formatCount(c.current.lost)} lost` : `churn ${churnDelta > 0 ? '+' : churnDelta < 0 ? '−' : '±'}${Math.abs(churnDelta).toFixed(1)} pp · ${formatCount(c.current.lost)} lost`,
    },
    {
      kind: 'figure',
      key: 'sla',
      title: 'Follow-up SLA met',
      value: formatPct(sla.current.metPct),
      detail: `n = ${formatCount(sla.current.n)} first contacts`,
      arrow: arrowFor(slaDelta, 1),
      change: slaDelta === null ? 'nothing to compare with' : `${slaDelta > 0 ? '+' : slaDelta < 0 ? '−' : '±'}${Math.abs(slaDelta).toFixed(1)} pp vs ${against}`,
    },
  ];
}

/** Recent non-empty comments, newest first, whitespace folded, long ones cut. */
export function quoteSlides(responses: ResponseItem[]): QuoteSlide[] {
  const out: QuoteSlide[] = [];
  for (const r of responses) {
    const text = (r.comment ?? '').replace(/\s+/g, ' ').trim();
    if (!text) continue;
    const cut = text.length > QUOTE_CHARS || r.commentTruncated;
    const score = (['nps', 'csat', 'ces'] as const).find((m) => r.scores[m] !== null);
    out.push({
      kind: 'quote',
      key: `quote-${r.id}`,
      title: 'In their words',
      text: cut ? `${text.slice(0, QUOTE_CHARS).trimEnd()}…` : text,
      detail: [score ? `${METRIC_LABEL[score]} ${r.scores[score]}` : null, new Date(r.createdAt).toLocaleDateString(undefined, { dateStyle: 'medium' })].filter(Boolean).join(' · '),
    });
    if (out.length >= MAX_QUOTES) break;
  }
  return out;
}
