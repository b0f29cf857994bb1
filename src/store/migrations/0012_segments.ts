import { sql } from 'kysely';
import { identityKeyOf } from '../../modules/customers/segments.js';
import type { StoreMigration } from './migration.js';

const BATCH = 500;

/**
 * Segment filters (responses of customers with `plan = pro`): each response keeps its respondent
 * as the identity graph keys it (`respondent_key`: e-mails normalised as identities are, so
 * `Ann.Lee@GMail.com` finds `annlee@gmail.com`), and traits are found by key and value.
 *
 * The backfill computes the key with the customers module's own pure rule (no I/O), so old and
 * new rows agree with the live answer path; user and anonymous ids are their own key.
 */
export const m0012Segments: StoreMigration = {
  name: '0012_segments',
  async up(db) {
    await db.schema.alterTable('survey_responses').addColumn('respondent_key', 'text').execute();
    await sql`update survey_responses set respondent_key = respondent_value where respondent_kind <> 'email'`.execute(db);
    for (;;) {
      const { rows } = await sql<{ workspace_id: string; respondent_value: string }>`
        select distinct workspace_id, respondent_value from survey_responses
        where respondent_kind = 'email' and respondent_key is null
        limit ${BATCH}`.execute(db);
      if (rows.length === 0) break;
      for (const r of rows) {
        await sql`update survey_responses set respondent_key = ${identityKeyOf('email', r.respondent_value)}
          where workspace_id = ${r.workspace_id} and respondent_kind = 'email' and respondent_value = ${r.respondent_value}`.execute(db);
      }
    }
    await db.schema.createIndex('survey_responses_respondent_key_idx').on('survey_responses').columns(['workspace_id', 'respondent_kind', 'respondent_key']).execute();
    // The respondent's raw spelling is never looked up: the key above replaces its index.
    await db.schema.dropIndex('survey_responses_respondent_idx').execute();
    await db.schema.createIndex('profile_traits_value_idx').on('profile_traits').columns(['workspace_id', 'key', 'value']).execute();
  },
};
