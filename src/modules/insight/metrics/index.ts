/**
 * Insight metrics (issue 7): CSAT, NPS and CES by period, survey, channel, segment, team and
 * agent; active customers, logo churn, gross and net revenue retention, monthly retention
 * cohorts; first-contact time and SLA met % from follow-up. Definitions: the *.maths.ts files.
 *
 * Design: rollups maintained as data arrives, read by the dashboard.
 *
 * - **Subscribers, not calls.** The rollups follow the outbox through the job queue
 *   (rollup.consumer.ts): `feedback.received` for answers, `records.upserted` for orders and
 *   subscriptions. Each batch applies its change and moves its cursor in one transaction, so a
 *   crash repeats a batch or nothing; the producers (answers, imports) are untouched.
 * - **Exact under edits and re-sends: diff against what was counted.** Rather than trusting a
 *   fact's payload (an old fact may be read after a newer edit), a batch reads the response or
 *   record as it is now and compares what it contributes with what it contributed when last
 *   counted: per response a ledger row (`insight_answers`), per billing customer their monthly
 *   state (`insight_customers`). The difference is added to the rollups. So an edited answer
 *   moves from its old score to its new one, a re-sent subscription with a cancellation changes
 *   its customer from then on, a re-read fact changes nothing, and the same code is the backfill
 *   (backfill.ts walks everything once: a reconciliation, safe beside the follower). We chose
 *   this over rebuilding the affected day from the raw rows because it costs the same per answer
 *   however busy the day is, and because billing changes touch many months at once.
 * - **Satisfaction**: daily histograms (counts of each score) per metric × survey × channel and
 *   per metric × team × agent × survey. A histogram gives n, the shares, the mean and the sum
 *   of squares exactly, and histograms add across days. The home page reads a few thousand rows
 *   for two years. A segment (customer traits) is not in the rollups: those reads go to the
 *   responses through the feedback reports' segment-filtered query (`source: "responses"`).
 * - **Customers and revenue**: monthly, at month ends (retention.maths.ts), kept with a "tail"
 *   encoding: a customer's state stops changing a few months after their last event, and from
 *   then on contributes one "from this month on" value, so nothing needs rolling forward when a
 *   month begins and a long-standing subscriber costs a handful of cells. Pairs (month, lag ≤
 *   24) make logo churn, GRR and NRR exact for any period of up to 24 whole months.
 * - **What a customer is**: the billing silo's customer (`<source>/contact/<customerId>`, the
 *   identity graph's key for that contact record), not the merged profile. Churn and revenue
 *   are the billing system's facts: finance can reconcile them, and they stay put when the
 *   identity graph merges or unmerges people (a merge would otherwise rewrite past months, and
 *   an unmerge split them again). Two billing accounts of one person count as two customers,
 *   as they do on the invoices. The graph still serves segments: a billing key is an identity,
 *   so a segment's customers are found through it.
 * - **SLA**: a daily rollup of follow-up tasks by the day their clock started (sla.*.ts), with
 *   the same figures as follow-up's own reports (counts exact, times within 1 %).
 */
export { metricsRoutes } from './metrics.routes.js';
export { consumeRollups, registerRollups, startRollups, ROLLUPS_QUEUE, RETENTION_CURSOR, SATISFACTION_CURSOR, type RollupDeps } from './rollup.consumer.js';
export { rebuildRollups, registerBackfill, startBackfill, BACKFILL_QUEUE, BACKFILL_SETTING, type RebuildReport } from './backfill.js';
export { recordAttributions } from './attributions.service.js';
export type { ExplicitAttribution } from './attribution.js';
