/** The small weekly trend of a satisfaction card: the score as a line over its 95 % band, on the metric's whole scale. */
import type { Metric, Trend } from '../../api/feedback-reports';
import { escapeHtml, periodLabel } from '../feedback/reports/options';
import type { ReportChartOption } from '../feedback/reports/ReportChart';
import { formatInterval, formatValue, METRIC_LABEL } from '../feedback/reports/shared';

export function sparkOption(trend: Trend): ReportChartOption {
  const metric: Metric = trend.metric;
  const pts = trend.points;
  const bounds = metric === 'nps' ? { min: -100, max: 100 } : { min: 0, max: 100 };
  return {
    animation: false,
    tooltip: {
      trigger: 'axis',
      confine: true,
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
    grid: { left: 4, right: 4, top: 6, bottom: 6, containLabel: true },
    xAxis: { type: 'category', data: pts.map((p) => p.start.slice(0, 10)), boundaryGap: false, show: false },
    yAxis: {
      type: 'value',
      ...bounds,
      interval: bounds.max - bounds.min,
      axisLabel: { fontSize: 10, color: '#868e96' },
      splitLine: { show: false },
    },
    series: [
      {
        name: 'Interval base',
        type: 'line',
        stack: 'band',
        stackStrategy: 'all',
        data: pts.map((p) => p.low),
        lineStyle: { opacity: 0 },
        symbol: 'none',
        silent: true,
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
        areaStyle: { color: '#228be6', opacity: 0.16 },
        itemStyle: { color: '#a5d8ff' },
        silent: true,
      },
      {
        name: METRIC_LABEL[metric],
        type: 'line',
        data: pts.map((p) => p.value),
        symbol: 'circle',
        symbolSize: 5,
        showSymbol: true,
        // Every week with answers keeps its dot, even among many weeks (12 months) or between empty weeks.
        showAllSymbol: true,
        lineStyle: { width: 2 },
        itemStyle: { color: '#1971c2' },
        // A week without answers is a gap, not a guess.
        connectNulls: false,
      },
    ],
  };
}
