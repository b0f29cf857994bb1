/**
 * The follow-up reports API: SLA met % (first contact and resolution) by policy, team and agent;
 * speed to first contact with the speed-to-lead distribution; and the trend. Types mirror
 * src/modules/followup/reports/report.schema.ts.
 */
import { request } from './client';

export type Period = 'day' | 'week' | 'month';

export interface ReportFilters {
  /** ISO date (YYYY-MM-DD): tasks started on or after. */
  from?: string;
  /** ISO date: `to` includes that whole day. */
  to?: string;
  policy?: string;
  team?: string;
  owner?: string;
  kind?: string;
}

export interface SlaFigures {
  met: number;
  missed: number;
  n: number;
  metPct: number | null;
  pending: number;
  noTarget: number;
}

export interface SlaGroup {
  key: string | null;
  label: string;
  tasks: number;
  firstContact: SlaFigures;
  resolution: SlaFigures;
}

export interface SlaReport {
  from: string;
  to: string;
  asOf: string;
  overall: SlaGroup;
  byPolicy: SlaGroup[];
  byTeam: SlaGroup[];
  byAgent: SlaGroup[];
}

export interface DurationStats {
  n: number;
  medianMs: number | null;
  p90Ms: number | null;
}

export interface SpeedGroup {
  key: string | null;
  label: string;
  tasks: number;
  contacted: number;
  notContacted: number;
  wall: DurationStats;
  working: DurationStats;
}

export type SpeedBucket = 'under_5m' | '5m_to_1h' | '1h_to_24h' | 'over_24h' | 'not_contacted';

export interface SpeedReport {
  from: string;
  to: string;
  asOf: string;
  overall: SpeedGroup;
  byKind: SpeedGroup[];
  byTeam: SpeedGroup[];
  byAgent: SpeedGroup[];
  distribution: { bucket: SpeedBucket; label: string; count: number; share: number | null }[];
}

export interface TrendPoint {
  start: string;
  tasks: number;
  met: number;
  n: number;
  metPct: number | null;
  contacted: number;
  medianFirstContactMs: number | null;
}

export interface TrendReport {
  from: string;
  to: string;
  asOf: string;
  period: Period;
  points: TrendPoint[];
}

const base = (ws: string) => `/api/workspaces/${encodeURIComponent(ws)}/followups/reports`;
const query = (f: ReportFilters): Record<string, string | undefined> => ({ ...f });

export const followupReportsApi = {
  sla: (ws: string, f: ReportFilters, signal?: AbortSignal) => request<SlaReport>('GET', `${base(ws)}/sla`, { query: query(f), signal }),
  speed: (ws: string, f: ReportFilters, signal?: AbortSignal) => request<SpeedReport>('GET', `${base(ws)}/speed`, { query: query(f), signal }),
  trend: (ws: string, period: Period, f: ReportFilters, signal?: AbortSignal) => request<TrendReport>('GET', `${base(ws)}/trend`, { query: { ...query(f), period }, signal }),
};

export const followupReportKeys = {
  all: (ws: string) => ['followup-reports', ws] as const,
  sla: (ws: string, f: ReportFilters) => ['followup-reports', ws, 'sla', f] as const,
  speed: (ws: string, f: ReportFilters) => ['followup-reports', ws, 'speed', f] as const,
  trend: (ws: string, period: Period, f: ReportFilters) => ['followup-reports', ws, 'trend', period, f] as const,
};
