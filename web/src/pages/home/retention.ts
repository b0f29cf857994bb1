/** The retention row's charts, tables and CSV as pure functions of the home response. */
import type { CohortRow, CustomerTrendPoint, Home, MonthSpan } from '../../api/insight-home';
import type { ChartOption } from '../../components/EChart';
import { escapeHtml } from '../feedback/reports/options';
import { monthLabel } from '../feedback/reports/shared';
import { formatPct, round1 } from '../followups/reports/format';
import { toCsv } from './csv';

/** "2026-03" → "Mar 2026". */
export const formatMonth = (month: string): string => monthLabel.format(new Date(`${month}-01T00:00:00Z`));
export const formatSpan = (s: MonthSpan): string => (s.first === s.last ? formatMonth(s.first) : `${formatMonth(s.first)} – ${formatMonth(s.last)}`);

/** A point's figures in the main currency (MRR in different currencies is never added). */
export const revenueIn = (p: CustomerTrendPoint, currency: string | null) => (currency ? p.revenue.find((r) => r.currency === currency) : undefined);

/** Nothing to show: no customer was ever active in the trend, and no cohort has a member. */
export const noCustomers = (home: Home): boolean => home.customers.trend.every((p) => p.active === 0 && p.lost === 0) && home.cohorts.rows.every((r) => r.size === 0);

export function monthlyCsv(home: Home): string {
  const cur = home.revenue.currency;
  return toCsv(
    ['month', 'active', 'new', 'lost', 'logo_churn_pct', 'currency', 'mrr_end', 'grr_pct', 'nrr_pct'],
    home.customers.trend.map((p) => {
      const r = revenueIn(p, cur);
      return [p.month, p.active, p.newCustomers, p.lost, round1(p.logoChurnPct), cur, r?.mrrEnd ?? null, round1(r?.grrPct ?? null), round1(r?.nrrPct ?? null)];
    }),
  );
}

export function monthlyOption(home: Home): ChartOption {
  const pts = home.customers.trend;
  const cur = home.revenue.currency;
  return {
    animation: false,
    tooltip: {
      trigger: 'axis',
      confine: true,
      formatter: (params: unknown) => {
        const list = Array.isArray(params) ? (params as { dataIndex: number }[]) : [params as { dataIndex: number }];
        const p = pts[list[0]?.dataIndex ?? -1];
        if (!p) return '';
        const r = revenueIn(p, cur);
        return [
          `<b>${escapeHtml(formatMonth(p.month))}</b>`,
          `Active customers: ${p.active} (${p.newCustomers} new, ${p.lost} lost)`,
          `Logo churn: ${escapeHtml(formatPct(p.logoChurnPct))}`,
          ...(cur ? [`GRR (${escapeHtml(cur)}): ${escapeHtml(formatPct(r?.grrPct ?? null))}`, `NRR (${escapeHtml(cur)}): ${escapeHtml(formatPct(r?.nrrPct ?? null))}`] : []),
        ].join('<br/>');
      },
    },
    legend: { bottom: 0, type: 'scroll' },
    grid: { left: 8, right: 8, top: 24, bottom: 36, containLabel: true },
    xAxis: { type: 'category', data: pts.map((p) => formatMonth(p.month)) },
    yAxis: [
      { type: 'value', name: 'customers', minInterval: 1 },
      { type: 'value', name: '%', min: 0, splitLine: { show: false } },
    ],
    series: [
      { name: 'Active customers', type: 'bar', data: pts.map((p) => p.active), barMaxWidth: 28, itemStyle: { color: '#74c0fc' } },
      { name: 'Logo churn %', type: 'line', yAxisIndex: 1, data: pts.map((p) => round1(p.logoChurnPct)), connectNulls: false, itemStyle: { color: '#e03131' } },
      ...(cur
        ? [
            { name: `GRR % (${cur})`, type: 'line' as const, yAxisIndex: 1, data: pts.map((p) => round1(revenueIn(p, cur)?.grrPct ?? null)), connectNulls: false, itemStyle: { color: '#2f9e44' } },
            { name: `NRR % (${cur})`, type: 'line' as const, yAxisIndex: 1, data: pts.map((p) => round1(revenueIn(p, cur)?.nrrPct ?? null)), connectNulls: false, itemStyle: { color: '#7048e8' } },
          ]
        : []),
    ],
  };
}

export const maxAge = (rows: CohortRow[]): number => rows.reduce((m, r) => Math.max(m, ...r.cells.map((c) => c.age)), 0);

export function cohortCsv(rows: CohortRow[]): string {
  return toCsv(
    ['cohort', 'size', 'age_months', 'active', 'share_pct'],
    rows.flatMap((r) => r.cells.map((c) => [r.cohort, r.size, c.age, c.active, round1(c.sharePct)])),
  );
}

/** The retention cohorts as a heatmap: a row per cohort month (oldest on top), a column per month of age, the share still active. */
export function cohortOption(rows: CohortRow[]): ChartOption {
  const ages = Array.from({ length: maxAge(rows) + 1 }, (_, i) => i);
  const data = rows.flatMap((r, y) => r.cells.map((c) => [c.age, y, c.sharePct === null ? '-' : round1(c.sharePct)]));
  return {
    animation: false,
    tooltip: {
      confine: true,
      formatter: (p: unknown) => {
        const [age, y] = ((p as { data?: unknown[] }).data ?? []) as [number, number];
        const row = rows[y];
        const cell = row?.cells.find((c) => c.age === age);
        if (!row || !cell) return '';
        return `<b>${escapeHtml(formatMonth(row.cohort))}</b> (${row.size} customers)<br/>Month ${age}: ${cell.active} active, ${escapeHtml(formatPct(cell.sharePct))}`;
      },
    },
    grid: { left: 8, right: 8, top: 8, bottom: 48, containLabel: true },
    xAxis: { type: 'category', data: ages.map(String), name: 'months after the first purchase', nameLocation: 'middle', nameGap: 24, splitArea: { show: true } },
    yAxis: { type: 'category', data: rows.map((r) => `${formatMonth(r.cohort)} (${r.size})`), inverse: true, splitArea: { show: true } },
    visualMap: { min: 0, max: 100, show: false, inRange: { color: ['#f1f3f5', '#a5d8ff', '#1971c2'] } },
    series: [{ name: 'Still active %', type: 'heatmap', data, label: { show: true, fontSize: 10, formatter: (p: unknown) => { const v = ((p as { data?: unknown[] }).data ?? [])[2]; return typeof v === 'number' ? `${Math.round(v)}` : ''; } } }],
  };
}
