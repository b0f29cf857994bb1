import type { StoreMigration } from './migration.js';
import { m0001Workspaces } from './0001_workspaces.js';
import { m0002Jobs } from './0002_jobs.js';
import { m0003SourceRecords } from './0003_source_records.js';
import { m0004WorkspaceSettings } from './0004_workspace_settings.js';
import { m0005Events } from './0005_events.js';
import { m0006Imports } from './0006_imports.js';
import { m0007Customers } from './0007_customers.js';
import { m0008EventPartitions } from './0008_event_partitions.js';
import { m0009Feedback } from './0009_feedback.js';
import { m0010Followup } from './0010_followup.js';
import { m0011Notifications } from './0011_notifications.js';
import { m0012Segments } from './0012_segments.js';
import { m0013InsightMetrics } from './0013_insight_metrics.js';
import { m0014InsightHealth } from './0014_insight_health.js';
import { m0015InsightSla } from './0015_insight_sla.js';
import { m0016JobsQueueIndex } from './0016_jobs_queue_index.js';
import { m0017LogTransactions } from './0017_log_transactions.js';

/** Every migration, in order. Names are permanent: append, never edit or reorder. */
export const migrations: StoreMigration[] = [m0001Workspaces, m0002Jobs, m0003SourceRecords, m0004WorkspaceSettings, m0005Events, m0006Imports, m0007Customers, m0008EventPartitions, m0009Feedback, m0010Followup, m0011Notifications, m0012Segments, m0013InsightMetrics, m0014InsightHealth, m0015InsightSla, m0016JobsQueueIndex, m0017LogTransactions];
