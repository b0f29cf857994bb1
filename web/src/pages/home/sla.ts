/** The SLA row's weekly chart and CSV as pure functions of the home response. */
import type { SlaTrendPoint } from '../../api/insight-home';
import type { ChartOption } from '../../components/EChart';
import { escapeHtml } from '../feedback/reports/options';
import { dayLabel } from '../feedback/reports/shared';
import { formatDuration, formatPct, minutes, round1 } from '../followups/reports/format';
import { toCsv } from './csv';

export const weekOf = (iso: string): string => dayLabel.format(new Date(iso));

export function slaCsv(points: SlaTrendPoint[]): string {
  return toCsv(
    ['week_start', 'tasks', 'sla_n', 'sla_met', 'sla_met_pct', 'median_first_contact_min'],
    points.map((p) => [p.start.slice(0, 10), p.tasks, p.n, p.met, round1(p.metPct), minutes(p.medianFirstContactMs)]),
  );
}

export function slaOption(points: SlaTrendPoint[]): ChartOption {
  return {
    animation: false,
    tooltip: {
      trigger: 'axis',
      confine: true,
      formatter: (params: unknown) => {
        const list = Array.isArray(params) ? (params as { dataIndex: number }[]) : [params as { dataIndex: number }];
        const p = points[list[0]?.dataIndex ?? -1];
        if (!p) return '';
        return [
          `<b>Week of ${escapeHtml(weekOf(p.start))}</b>`,
          `Tasks: ${p.tasks}`,
          `SLA met: ${escapeHtml(formatPct(p.metPct))} (${p.met} of ${p.n})`,
          `Median first contact: ${escapeHtml(formatDuration(p.medianFirstContactMs))}`,
        ].join('<br/>');
      },
    },
    legend: { bottom: 0 },
    grid: { left: 8, right: 8, top: 24, bottom: 36, containLabel: true },
    xAxis: { type: 'category', data: points.map((p) => weekOf(p.start).replace(/,? \d{4}$/, '')) },
    yAxis: [
      { type: 'value', name: 'tasks', minInterval: 1 },
      { type: 'value', name: 'met %', min: 0, max: 100, splitLine: { show: false } },
    ],
    series: [
      { name: 'Tasks', type: 'bar', data: points.map((p) => p.tasks), barMaxWidth: 28, itemStyle: { color: '#ced4da' } },
      { name: 'SLA met %', type: 'line', yAxisIndex: 1, data: points.map((p) => round1(p.metPct)), connectNulls: false, itemStyle: { color: '#0ca678' } },
    ],
  };
}
