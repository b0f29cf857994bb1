/** The shared EChart, sized and named for the feedback reports. */
import { EChart, type ChartOption } from '../../../components/EChart';

export type ReportChartOption = ChartOption;

interface Props {
  option: ReportChartOption;
  height?: number;
  label: string;
  testId?: string;
}

export function ReportChart({ option, height = 280, label, testId = 'report-chart' }: Props) {
  return <EChart option={option} height={height} label={label} testId={testId} />;
}
