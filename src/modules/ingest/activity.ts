/**
 * Per-customer activity for scores: for the user ids and anonymous ids of a page of customers,
 * how many events each sent per UTC day in a time range, and how many of them were
 * `Payment Failed`. Bounded reads: one range of the (workspace, user, timestamp) or
 * (workspace, anonymous, timestamp) index per id, grouped by day in the database, so a
 * customer with a million events costs as many rows as they had active days.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/index.js';

export interface DailyActivity {
  kind: 'user_id' | 'anonymous_id';
  value: string;
  /** Days since 1970-01-01 (UTC). */
  day: number;
  events: number;
  paymentFailures: number;
}

/** The track event that counts as a failed payment. */
export const PAYMENT_FAILED_EVENT = 'Payment Failed';
const IN = 500;

export async function dailyActivityOf(
  db: Kysely<Database>,
  workspaceId: string,
  identifiers: { userIds: readonly string[]; anonymousIds: readonly string[] },
  from: number,
  to: number,
): Promise<DailyActivity[]> {
  const out: DailyActivity[] = [];
  const day = sql<number>`${sql.ref('timestamp')} / 86400000`;
  const failures = sql<number>`sum(case when ${sql.ref('type')} = 'track' and ${sql.ref('name')} = ${PAYMENT_FAILED_EVENT} then 1 else 0 end)`;
  for (const [kind, column, values] of [
    ['user_id', 'user_id', identifiers.userIds],
    ['anonymous_id', 'anonymous_id', identifiers.anonymousIds],
  ] as const) {
    const ids = [...new Set(values)];
    for (let i = 0; i < ids.length; i += IN) {
      const rows = await db
        .selectFrom('events')
        .select([sql<string>`${sql.ref(column)}`.as('value'), day.as('day'), (eb) => eb.fn.countAll<number>().as('n'), failures.as('failed')])
        .where('workspace_id', '=', workspaceId)
        .where(column, 'in', ids.slice(i, i + IN))
        .where('timestamp', '>=', from)
        .where('timestamp', '<', to)
        .groupBy([column, day])
        .execute();
      for (const r of rows) out.push({ kind, value: r.value, day: Number(r.day), events: Number(r.n), paymentFailures: Number(r.failed ?? 0) });
    }
  }
  return out;
}
