/** Chart options of the follow-up reports (bars and lines), as pure functions of the API's answers. */
import type { ChartOption } from '../../../components/EChart';
import type { Period, SlaGroup, SpeedReport, TrendPoint } from '../../../api/followup-reports';
import { formatDuration, formatPct, periodLabel } from './format';

/** ECharts tooltips are HTML: whatever goes in is escaped first. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const indexOf = (params: unknown): number => {
  const list = Array.isArray(params) ? (params as { dataIndex: number }[]) : [params as { dataIndex: number }];
  return list[0]?.dataIndex ?? -1;
};

const colour = (pct: number | null) => (pct === null ? '#adb5bd' : pct >= 90 ? '#12b886' : pct >= 70 ? '#fab005' : '#fa5252');

/** SLA met % per group as horizontal bars (largest group on top), n in the tooltip. */
export function slaBarOption(groups: SlaGroup[]): ChartOption {
  const rows = [...groups].reverse();
  return {
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const g = rows[indexOf(params)];
        if (!g) return '';
        return [`<b>${escapeHtml(g.label)}</b>`, `First contact SLA met: ${escapeHtml(formatPct(g.firstContact.metPct))}`, `n = ${g.firstContact.n} (${g.firstContact.pending} not yet due)`, `${g.tasks} tasks`].join('<br/>');
      },
    },
    grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value} %' } },
    yAxis: { type: 'category', data: rows.map((g) => g.label) },
    series: [
      {
        name: 'SLA met %',
        type: 'bar',
        data: rows.map((g) => ({ value: g.firstContact.metPct === null ? 0 : Math.round(g.firstContact.metPct * 10) / 10, itemStyle: { color: colour(g.firstContact.metPct) } })),
        label: { show: true, position: 'right', formatter: (p: unknown) => formatPct(rows[(p as { dataIndex: number }).dataIndex]?.firstContact.metPct ?? null) },
        barMaxWidth: 22,
      },
    ],
  };
}

/** The speed-to-lead buckets as vertical bars. */
export function distributionOption(r: SpeedReport): ChartOption {
  const d = r.distribution;
  return {
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const b = d[indexOf(params)];
        if (!b) return '';
        return `<b>${escapeHtml(b.label)}</b><br/>${b.count} tasks${b.share === null ? '' : ` (${Math.round(b.share * 100)} %)`}`;
      },
    },
    grid: { left: 8, right: 8, top: 24, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: d.map((b) => b.label) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        name: 'Tasks',
        type: 'bar',
        data: d.map((b) => ({ value: b.count, itemStyle: { color: b.bucket === 'not_contacted' ? '#adb5bd' : b.bucket === 'over_24h' ? '#fa5252' : b.bucket === '1h_to_24h' ? '#fab005' : '#12b886' } })),
        label: { show: true, position: 'top' },
        barMaxWidth: 48,
      },
    ],
  };
}

/** SLA met % per period as a line, the median first contact (minutes, right axis) as a dashed line. */
export function trendOption(period: Period, points: TrendPoint[]): ChartOption {
  return {
    tooltip: {
      trigger: 'axis',
      formatter: (params: unknown) => {
        const p = points[indexOf(params)];
        if (!p) return '';
        return [`<b>${escapeHtml(periodLabel(period, p.start))}</b>`, `SLA met: ${escapeHtml(formatPct(p.metPct))} (n = ${p.n})`, `Median first contact: ${escapeHtml(formatDuration(p.medianFirstContactMs))}`, `${p.tasks} tasks`].join('<br/>');
      },
    },
    legend: { bottom: 0, data: ['SLA met %', 'Median first contact (min)'] },
    grid: { left: 8, right: 8, top: 16, bottom: 40, containLabel: true },
    xAxis: { type: 'category', data: points.map((p) => periodLabel(period, p.start).replace(/^Week of /, '').replace(/,? \d{4}$/, '')) },
    yAxis: [
      { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value} %' } },
      { type: 'value', splitLine: { show: false }, axisLabel: { formatter: '{value} min', color: '#868e96' } },
    ],
    series: [
      { name: 'SLA met %', type: 'line', data: points.map((p) => (p.metPct === null ? null : Math.round(p.metPct * 10) / 10)), symbol: 'circle', symbolSize: 6, itemStyle: { color: '#1971c2' } },
      { name: 'Median first contact (min)', type: 'line', yAxisIndex: 1, data: points.map((p) => (p.medianFirstContactMs === null ? null : Math.round(p.medianFirstContactMs / 6000) / 10)), itemStyle: { color: '#e8590c' }, lineStyle: { type: 'dashed' } },
    ],
  };
}
