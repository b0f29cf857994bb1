import type { ColumnType, Generated } from 'kysely';

/**
 * The database's tables as Kysely sees them. Times are epoch milliseconds in a
 * BIGINT on both dialects (one query for both, cheap range scans, partitionable);
 * JSON is TEXT on SQLite and JSONB on PostgreSQL, written as a string and read
 * back through `fromJson`. `workspace_id` leads the key of every tenant table.
 */
type Json = ColumnType<unknown, string, string>;

export interface WorkspacesTable {
  id: string;
  name: string;
  created_at: number;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  created_at: number;
  last_login_at: number | null;
}

export interface MembershipsTable {
  workspace_id: string;
  user_id: string;
  role: string;
  created_at: number;
}

export interface SessionsTable {
  /** sha256 of the cookie's token: a stolen database cannot log anyone in. */
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
}

export interface LoginAttemptsTable {
  /** sha256 of the lowercased e-mail, so unknown and known accounts throttle alike. */
  key: string;
  failures: number;
  last_failed_at: number;
}

export interface ApiKeysTable {
  workspace_id: string;
  id: string;
  kind: string;
  name: string;
  /** The first characters of the token, shown so that people can tell keys apart. */
  prefix: string;
  token_hash: string;
  role: string;
  created_by: string | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface AuditLogTable {
  workspace_id: string;
  id: string;
  at: number;
  actor_type: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: Json;
}

export interface JobsTable {
  id: string;
  workspace_id: string | null;
  queue: string;
  payload: Json;
  status: string;
  run_at: number;
  attempts: Generated<number>;
  max_attempts: number;
  /** Deduplicates scheduling: at most one unfinished job per (queue, unique_key). */
  unique_key: string | null;
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export interface SourceRecordsTable {
  workspace_id: string;
  /** The silo the record came from: crm, billing, support, web, hr … */
  source: string;
  kind: string;
  external_id: string;
  data: Json;
  occurred_at: number;
  imported_at: number;
  updated_at: number;
}

export interface WorkspaceSettingsTable {
  workspace_id: string;
  key: string;
  value: Json;
  updated_at: number;
}

export interface EventsTable {
  workspace_id: string;
  /** `evt_…`, sortable by time of receipt: the live tail's order. */
  id: string;
  /** The writing transaction (PostgreSQL xid8; 0 on SQLite and for rows older than migration 0017): followers read in (tx, id) order. */
  tx: Generated<number>;
  message_id: string;
  type: string;
  /** The track event's name, or the page/screen name. */
  name: string | null;
  user_id: string | null;
  anonymous_id: string | null;
  group_id: string | null;
  previous_id: string | null;
  /** Filled later by identity resolution. */
  profile_id: string | null;
  /** The id of the write key that sent the event. */
  source: string;
  properties: Json | null;
  traits: Json | null;
  context: Json;
  integrations: Json;
  /** Corrected for the sender's clock skew. */
  timestamp: number;
  original_timestamp: number | null;
  sent_at: number | null;
  received_at: number;
}

export interface EventDedupeTable {
  workspace_id: string;
  message_id: string;
  event_id: string;
  received_at: number;
}

export interface EventDailyCountsTable {
  workspace_id: string;
  /** YYYY-MM-DD (UTC) of the event's corrected timestamp. */
  day: string;
  type: string;
  /** '' for event types without a name. */
  name: string;
  source: string;
  count: number;
}

export interface EventSourcesTable {
  workspace_id: string;
  source: string;
  events: number;
  last_event_at: number;
}

export interface IngestErrorsTable {
  workspace_id: string;
  id: string;
  at: number;
  type: string | null;
  message_id: string | null;
  code: string;
  message: string;
  key_prefix: string;
}

export interface ImportsTable {
  workspace_id: string;
  /** `imp_…`, sortable by start time. */
  id: string;
  /** Singular, as in source_records: contact, account, order, subscription, ticket. */
  kind: string;
  source: string;
  file_name: string;
  format: string;
  /** Canonical field → file column, as used. */
  mapping: Json;
  /** Date format, decimal mark, default currency … as given. */
  options: Json;
  /** running, succeeded, failed. */
  status: string;
  rows_read: number;
  rows_imported: number;
  rows_failed: number;
  /** Every row error, including those past the stored cap. */
  errors_total: number;
  /** Why a failed import stopped. */
  error: string | null;
  started_at: number;
  finished_at: number | null;
  created_by: string | null;
}

export interface ImportErrorsTable {
  workspace_id: string;
  import_id: string;
  /** Order of the error within its import. */
  seq: number;
  line: number;
  field: string;
  value: string;
  reason: string;
}

// ---------------------------------------------------------------- customers (identity graph)

export interface ProfilesTable {
  workspace_id: string;
  id: string;
  /** The customer this profile belongs to now (itself when it is a root). */
  root_id: string;
  /** The root it was merged under; null for a root. */
  parent_id: string | null;
  features: Json;
  name: string | null;
  email: string | null;
  phone: string | null;
  created_at: number;
  updated_at: number;
}

export interface IdentitiesTable {
  workspace_id: string;
  kind: string;
  value: string;
  profile_id: string;
  source: string;
  conflicts: ColumnType<number, number | undefined, number>;
  shared_reason: string | null;
  first_seen_at: number;
  last_seen_at: number;
}

export interface ProfileTraitsTable {
  workspace_id: string;
  profile_id: string;
  key: string;
  source: string;
  value: Json;
  observed_at: number;
}

export interface ProfileRecordsTable {
  workspace_id: string;
  source: string;
  kind: string;
  external_id: string;
  profile_id: string;
  occurred_at: number;
}

export interface ProfileTermsTable {
  workspace_id: string;
  term: string;
  profile_id: string;
}

export interface ProfileBlocksTable {
  workspace_id: string;
  key: string;
  profile_id: string;
}

export interface ProfileMergesTable {
  workspace_id: string;
  id: string;
  survivor_id: string;
  absorbed_id: string;
  rule: string;
  score: number | null;
  evidence: Json;
  actor: string;
  created_at: number;
  undone_at: number | null;
  undone_by: string | null;
}

export interface KeepApartTable {
  workspace_id: string;
  profile_a: string;
  profile_b: string;
  reason: string;
  actor: string;
  created_at: number;
}

export interface MergeSuggestionsTable {
  workspace_id: string;
  id: string;
  profile_a: string;
  profile_b: string;
  reason: string;
  score: number | null;
  evidence: Json;
  status: string;
  created_at: number;
  decided_at: number | null;
  decided_by: string | null;
}

export interface OutboxTable {
  workspace_id: string;
  id: string;
  /** The writing transaction (PostgreSQL xid8; 0 on SQLite and for rows older than migration 0017): readers follow (tx, id). */
  tx: Generated<number>;
  topic: string;
  subject: string | null;
  payload: Json;
  created_at: number;
}

export interface ConsumerCursorsTable {
  workspace_id: string;
  consumer: string;
  position: string;
  updated_at: number;
}

export interface SurveysTable {
  workspace_id: string;
  id: string;
  name: string;
  status: string;
  definition: string;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface SurveyDeliveriesTable {
  workspace_id: string;
  id: string;
  survey_id: string;
  channel: string;
  respondent_kind: string;
  respondent_value: string;
  status: string;
  reason: string | null;
  trigger_id: string | null;
  event_id: string | null;
  send_at: number;
  sent_at: number | null;
  attempts: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface SurveyResponsesTable {
  workspace_id: string;
  id: string;
  survey_id: string;
  delivery_id: string;
  channel: string;
  respondent_kind: string;
  respondent_value: string;
  /** The respondent as the identity graph keys it (e-mails normalised): what segment filters match. */
  respondent_key: string | null;
  language: string;
  answers: string;
  nps: number | null;
  csat: number | null;
  ces: number | null;
  comment: string | null;
  sentiment: number | null;
  sentiment_label: string | null;
  text_language: string | null;
  complete: number;
  revision: number;
  created_at: number;
  updated_at: number;
}

export interface ResponseThemesTable {
  workspace_id: string;
  response_id: string;
  theme: string;
  survey_id: string;
  created_at: number;
}

// notifications (follow-up): targets and the delivery log
export interface NotificationTargetsTable {
  workspace_id: string;
  id: string;
  name: string;
  /** webhook | slack | email */
  kind: string;
  /** webhook and slack: where to POST. */
  url: string | null;
  /** email: the recipient. */
  address: string | null;
  /** webhook: the HMAC signing secret, kept to sign; returned once, at creation, never logged. */
  secret: string | null;
  enabled: number;
  created_at: number;
  updated_at: number;
}

export interface NotificationsTable {
  workspace_id: string;
  id: string;
  target_id: string;
  task_id: string | null;
  event: string;
  /** The message as JSON text: {title, text, url, data}. */
  payload: string;
  /** pending | sending | delivered | failed | dead */
  status: string;
  attempts: Generated<number>;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: number | null;
  created_at: number;
  delivered_at: number | null;
}

// follow-up: teams, SLA policies, rules, tasks and their history
export interface TeamsTable {
  workspace_id: string;
  id: string;
  name: string;
  /** The team's working calendar (ZCalendar) as JSON text; SLA clocks count its working time. */
  calendar: string;
  manager_user_id: string | null;
  /** Round-robin position: incremented once per assignment, durable across processes. */
  rr_counter: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface TeamMembersTable {
  workspace_id: string;
  team_id: string;
  user_id: string;
  created_at: number;
}

export interface SlaPoliciesTable {
  workspace_id: string;
  id: string;
  name: string;
  trigger_kind: string;
  first_contact_ms: number;
  resolution_ms: number | null;
  /** Whose calendar counts; null: 24/7. */
  team_id: string | null;
  pause_when_waiting: number;
  /** [{atPercent, of, notify}] as JSON text. */
  escalation: string;
  created_at: number;
  updated_at: number;
}

export interface FollowupRulesTable {
  workspace_id: string;
  id: string;
  name: string;
  enabled: number;
  /** The rule (ZRuleDefinition) as JSON text. */
  definition: string;
  /** The proactive template it was enabled from, if any. */
  template: string | null;
  /** Set when the loop guard stopped this rule; with the causation chain. */
  loop_detected_at: number | null;
  loop_detail: string | null;
  created_at: number;
  updated_at: number;
}

export interface FollowupTasksTable {
  workspace_id: string;
  id: string;
  rule_id: string;
  policy_id: string | null;
  trigger_kind: string;
  title: string;
  priority: string;
  /** open | waiting | contacted | resolved */
  status: string;
  respondent_kind: string;
  respondent_value: string;
  customer_id: string | null;
  owner_user_id: string | null;
  team_id: string | null;
  /** event | feedback | tag */
  source_type: string;
  source_id: string;
  /** The SLA plan snapshot (targets, calendar, steps) as JSON text; null: no clock. */
  sla_plan: string | null;
  started_at: number;
  first_contact_due_at: number | null;
  resolution_due_at: number | null;
  contacted_at: number | null;
  contacted_by: string | null;
  resolved_at: number | null;
  paused_at: number | null;
  paused_ms: number;
  first_breached_at: number | null;
  resolution_breached_at: number | null;
  escalation_level: number;
  clock_generation: number;
  created_at: number;
  updated_at: number;
}

export interface TaskEventsTable {
  workspace_id: string;
  id: string;
  task_id: string;
  /** created | assigned | contacted | waiting | resumed | escalated | breached | resolved */
  type: string;
  actor: string;
  at: number;
  details: string | null;
}

export interface FollowupOccurrencesTable {
  workspace_id: string;
  /** The event name counted (for "n matching events in a window" conditions). */
  name: string;
  /** The customer identifier as kind:value. */
  subject: string;
  event_id: string;
  at: number;
}

export interface FollowupEmissionsTable {
  workspace_id: string;
  id: string;
  rule_id: string;
  /** survey | tag */
  kind: string;
  subject: string;
  /** The survey id or the tag. */
  ref: string;
  /** The causation chain (rule ids) of what this emission will cause, as JSON text. */
  chain: string;
  created_at: number;
}

// insight: lifetime value, health scores, their models and refresh runs
export interface InsightRunsTable {
  workspace_id: string;
  id: string;
  /** schedule | manual */
  trigger: string;
  requested_by: string | null;
  /** running | succeeded | failed */
  status: string;
  /** The phase being worked on (see the refresh service); `done` at the end. */
  phase: string;
  /** Where the current phase got to: a rerun after a crash resumes after it. */
  cursor: string | null;
  /** Counts, model ids and metrics so far, as JSON text. */
  state: string;
  started_at: number;
  finished_at: number | null;
  duration_ms: number | null;
  error: string | null;
  updated_at: number;
}

export interface InsightModelsTable {
  workspace_id: string;
  id: string;
  /** clv | health */
  kind: string;
  run_id: string;
  /** The fit or the model with its backtest, as JSON text. */
  body: string;
  created_at: number;
}

export interface CustomerValuesTable {
  workspace_id: string;
  customer_id: string;
  currency: string | null;
  orders: number;
  /** Repeat purchase weeks, weeks from first to last, weeks from first to the run (BG/NBD's x, t_x, T). */
  frequency: number;
  recency: number;
  t: number;
  /** Mean spend of the repeat purchase weeks. */
  monetary: number;
  p_alive: number | null;
  expected_transactions: number | null;
  expected_spend: number | null;
  clv: number | null;
  first_order_at: number | null;
  last_order_at: number | null;
  run_id: string;
  updated_at: number;
}

export interface HealthScoresTable {
  workspace_id: string;
  /** customer | account */
  subject_kind: string;
  subject_id: string;
  name: string | null;
  account_id: string | null;
  members: number | null;
  active: number;
  health: number;
  risk: number;
  band: string;
  log_odds: number;
  signals: string;
  contributions: string;
  change: number | null;
  change_detail: string | null;
  model_id: string;
  run_id: string;
  scored_at: number;
}

export interface HealthWeeklyTable {
  workspace_id: string;
  subject_kind: string;
  subject_id: string;
  week: string;
  health: number;
  risk: number;
  band: string;
  log_odds: number;
  signals: string;
  contributions: string;
  model_id: string;
  scored_at: number;
}

export interface HealthFollowupsTable {
  workspace_id: string;
  subject_kind: string;
  subject_id: string;
  /** 1, 2, … per subject: the n-th task made from the at-risk list (the unique key makes a double click one task). */
  seq: number;
  task_id: string;
  created_by: string;
  created_at: number;
}

// insight metrics (migration 0013): rollups maintained as answers and billing records arrive
type Count = ColumnType<number, number | undefined, number>;

/** Score histograms: `s<k>` answers gave score k (NPS 0–10, CSAT 1–5, CES 1–7). */
export interface ScoreHistogramColumns {
  s0: Count;
  s1: Count;
  s2: Count;
  s3: Count;
  s4: Count;
  s5: Count;
  s6: Count;
  s7: Count;
  s8: Count;
  s9: Count;
  s10: Count;
}

/** What each response contributes to the satisfaction rollups, as last counted (the ledger deltas are taken against). */
export interface InsightAnswersTable {
  workspace_id: string;
  response_id: string;
  /** UTC day of the response's creation (days since the epoch). */
  day: number;
  survey_id: string;
  channel: string;
  /** '' when unknown. */
  team_id: string;
  agent_id: string;
  nps: number | null;
  csat: number | null;
  ces: number | null;
  updated_at: number;
}

/** Who served the customer an answer is about, as an importer said (the demo's after-support CSAT). */
export interface InsightAnswerAttributionTable {
  workspace_id: string;
  response_id: string;
  team_id: string | null;
  agent_id: string | null;
  origin: string;
  created_at: number;
}

export interface InsightSatisfactionDaysTable extends ScoreHistogramColumns {
  workspace_id: string;
  metric: string;
  day: number;
  survey_id: string;
  channel: string;
}

export interface InsightSatisfactionPeopleDaysTable extends ScoreHistogramColumns {
  workspace_id: string;
  metric: string;
  day: number;
  team_id: string;
  agent_id: string;
  survey_id: string;
}

/** An order or subscription of a billing silo as the retention rollups read it (JSON text). */
export interface InsightBillingItemsTable {
  workspace_id: string;
  source: string;
  kind: string;
  external_id: string;
  /** The billing customer: `<source>/contact/<customerId>`, as the identity graph keys it. */
  customer_key: string;
  item: string;
  updated_at: number;
}

/** A billing customer's monthly state as last counted (JSON text). */
export interface InsightCustomersTable {
  workspace_id: string;
  customer_key: string;
  state: string;
  updated_at: number;
}

/**
 * Per month (months since 1970-01) and currency ('' for customer counts): explicit values, and
 * `_tail` values that hold from that month on (a reader sums the tails of months ≤ m).
 */
export interface InsightCustomerMonthsTable {
  workspace_id: string;
  month: number;
  currency: string;
  active: Count;
  active_tail: Count;
  new_customers: Count;
  /** Thousandths of the currency unit. */
  mrr: Count;
  mrr_tail: Count;
}

/** From the end of `month` to the end of `month + lag_months`: customers still active, MRR kept (capped) and net. */
export interface InsightRetentionTable {
  workspace_id: string;
  month: number;
  lag_months: number;
  currency: string;
  retained: Count;
  kept: Count;
  net: Count;
}

/** Customers of the cohort (month of first purchase or sign-up) active `age` months later. */
export interface InsightCohortsTable {
  workspace_id: string;
  cohort: number;
  age: number;
  active: Count;
  active_tail: Count;
}

// insight SLA rollup (migration 0015)
/** What each follow-up task contributes to the SLA rollup, as last counted. */
export interface InsightSlaTasksTable {
  workspace_id: string;
  task_id: string;
  /** UTC day its clock started (days since the epoch). */
  day: number;
  /** '' when none. */
  policy_id: string;
  team_id: string;
  /** First contact by the task's own state: met | missed | open | no_target. */
  first: string;
  paused: number;
  /** The first-contact deadline of an open clock that runs (not paused); else null. */
  open_due_at: number | null;
  /** Elapsed ms from the start to the first contact; null before it. */
  contact_ms: number | null;
  updated_at: number;
}

export interface InsightSlaDaysTable {
  workspace_id: string;
  day: number;
  tasks: Count;
  met: Count;
  missed: Count;
  open: Count;
  no_target: Count;
  contacted: Count;
  /** Sparse histogram of the elapsed times to first contact (insight/metrics/sla.histogram.ts). */
  contact_hist: Uint8Array;
}

export interface Database {
  workspaces: WorkspacesTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
  jobs: JobsTable;
  source_records: SourceRecordsTable;
  workspace_settings: WorkspaceSettingsTable;
  events: EventsTable;
  event_dedupe: EventDedupeTable;
  event_daily_counts: EventDailyCountsTable;
  event_sources: EventSourcesTable;
  ingest_errors: IngestErrorsTable;
  imports: ImportsTable;
  import_errors: ImportErrorsTable;
  profiles: ProfilesTable;
  identities: IdentitiesTable;
  profile_traits: ProfileTraitsTable;
  profile_records: ProfileRecordsTable;
  profile_terms: ProfileTermsTable;
  profile_blocks: ProfileBlocksTable;
  profile_merges: ProfileMergesTable;
  keep_apart: KeepApartTable;
  merge_suggestions: MergeSuggestionsTable;
  outbox: OutboxTable;
  consumer_cursors: ConsumerCursorsTable;
  surveys: SurveysTable;
  survey_deliveries: SurveyDeliveriesTable;
  survey_responses: SurveyResponsesTable;
  response_themes: ResponseThemesTable;
  notification_targets: NotificationTargetsTable;
  notifications: NotificationsTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  sla_policies: SlaPoliciesTable;
  followup_rules: FollowupRulesTable;
  followup_tasks: FollowupTasksTable;
  task_events: TaskEventsTable;
  followup_occurrences: FollowupOccurrencesTable;
  followup_emissions: FollowupEmissionsTable;
  insight_runs: InsightRunsTable;
  insight_models: InsightModelsTable;
  customer_values: CustomerValuesTable;
  health_scores: HealthScoresTable;
  health_weekly: HealthWeeklyTable;
  health_followups: HealthFollowupsTable;
  insight_answers: InsightAnswersTable;
  insight_answer_attribution: InsightAnswerAttributionTable;
  insight_satisfaction_days: InsightSatisfactionDaysTable;
  insight_satisfaction_people_days: InsightSatisfactionPeopleDaysTable;
  insight_billing_items: InsightBillingItemsTable;
  insight_customers: InsightCustomersTable;
  insight_customer_months: InsightCustomerMonthsTable;
  insight_retention: InsightRetentionTable;
  insight_cohorts: InsightCohortsTable;
  insight_sla_tasks: InsightSlaTasksTable;
  insight_sla_days: InsightSlaDaysTable;
}
