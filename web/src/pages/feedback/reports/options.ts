/** Chart options of the feedback reports, as pure functions of the API's answers. */
import type { Metric, Period, ThemeItem, Trend } from '../../../api/feedback-reports';
import type { ReportChartOption } from './ReportChart';
import { dayLabel, formatInterval, formatValue, METRIC_LABEL, monthLabel } from './shared';

/** ECharts tooltips are HTML: whatever goes in is escaped first. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export function periodLabel(period: Period, iso: string): string {
  const d = new Date(iso);
  if (period === 'month') return monthLabel.format(d);
  return period === 'week' ? `Week of ${dayLabel.format(d)}` : dayLabel.format(d);
}

const axisLabel = (period: Period, iso: string) => (period === 'month' ? monthLabel.format(new Date(iso)) : dayLabel.format(new Date(iso)).replace(/,? \d{4}$/, ''));

export const TREND_ARROW: Record<ThemeItem['trend'], string> = { up: '↑', down: '↓', flat: '→', new: '★' };
export const TREND_LABEL: Record<ThemeItem['trend'], string> = { up: 'rising', down: 'falling', flat: 'steady', new: 'new' };

/** The value per period as a line, its 95 % interval as a shaded band (two stacked lines), and n as bars. */
export function trendOption(trend: Trend): ReportChartOption {
  const metric: Metric = trend.metric;
  const pts = trend.points;
  const bounds = metric === 'nps' ? { min: -100, max: 100 } : { min: 0, max: 100 };
  return {
    tooltip: {
      trigger: 'axis',
      formatter: (params: unknown) => {
        const list = Array.isArray(params) ? (params as { dataIndex: number }[]) : [params as { dataIndex: number }];
        const p = pts[list[0]?.dataIndex ?? -1];
        if (!p) return '';
        return [
          `<b>${escapeHtml(periodLabel(trend.period, p.start))}</b>`,
          `${METRIC_LABEL[metric]}: ${escapeHtml(formatValue(metric, p.value))}`,
          `95 % interval: ${escapeHtml(formatInterval(metric, p.low, p.high))}`,
          `n = ${p.n}`,
        ].join('<br/>');
      },
    },
    legend: { bottom: 0, data: [METRIC_LABEL[metric], '95 % interval', 'Answers (n)'] },
    grid: { left: 8, right: 8, top: 16, bottom: 40, containLabel: true },
    xAxis: { type: 'category', data: pts.map((p) => axisLabel(trend.period, p.start)), boundaryGap: false },
    yAxis: [
      { type: 'value', ...bounds, splitNumber: 4 },
      { type: 'value', minInterval: 1, splitLine: { show: false }, axisLabel: { color: '#adb5bd' } },
    ],
    series: [
      {
        name: 'Interval base',
        type: 'line',
        stack: 'band',
        // An invisible line at `low`; the band (high − low) is stacked on it, whatever their signs.
        stackStrategy: 'all',
        data: pts.map((p) => p.low),
        lineStyle: { opacity: 0 },
        symbol: 'none',
        silent: true,
        legendHoverLink: false,
        itemStyle: { color: 'transparent' },
      },
      {
        name: '95 % interval',
        type: 'line',
        stack: 'band',
        stackStrategy: 'all',
        data: pts.map((p) => (p.low === null || p.high === null ? null : p.high - p.low)),
        lineStyle: { opacity: 0 },
        symbol: 'none',
        areaStyle: { color: '#228be6', opacity: 0.18 },
        itemStyle: { color: '#a5d8ff' },
        silent: true,
      },
      {
        name: METRIC_LABEL[metric],
        type: 'line',
        data: pts.map((p) => p.value),
        symbol: 'circle',
        symbolSize: 6,
        itemStyle: { color: '#1971c2' },
        connectNulls: false,
      },
      {
        name: 'Answers (n)',
        type: 'bar',
        yAxisIndex: 1,
        data: pts.map((p) => p.n),
        itemStyle: { color: '#dee2e6' },
        barMaxWidth: 18,
        z: 0,
      },
    ],
  };
}

/** Themes as horizontal bars, most frequent on top, coloured by mean sentiment, with the trend arrow. */
export function themeOption(themes: ThemeItem[]): ReportChartOption {
  const rows = [...themes].reverse();
  const colour = (s: number | null) => (s === null ? '#adb5bd' : s <= -0.15 ? '#fa5252' : s >= 0.15 ? '#12b886' : '#fab005');
  return {
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const list = Array.isArray(params) ? (params as { dataIndex: number }[]) : [params as { dataIndex: number }];
        const t = rows[list[0]?.dataIndex ?? -1];
        if (!t) return '';
        return [
          `<b>${escapeHtml(t.theme)}</b>`,
          `${t.count} responses (${Math.round(t.share * 100)} % of comments)`,
          `Before: ${t.previousCount} (${Math.round(t.previousShare * 100)} %) — ${TREND_LABEL[t.trend]}`,
          `Mean sentiment: ${t.meanSentiment === null ? '—' : t.meanSentiment.toFixed(2)}`,
        ].join('<br/>');
      },
    },
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: rows.map((t) => `${t.theme} ${TREND_ARROW[t.trend]}`) },
    series: [
      {
        name: 'Responses',
        type: 'bar',
        data: rows.map((t) => ({ value: t.count, itemStyle: { color: colour(t.meanSentiment) } })),
        label: { show: true, position: 'right' },
        barMaxWidth: 22,
      },
    ],
  };
}
