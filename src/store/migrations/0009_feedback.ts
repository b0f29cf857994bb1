import type { StoreMigration } from './migration.js';

/**
 * Voice of the customer: surveys, the deliveries that ask them, and the responses.
 *
 * A response belongs to one delivery (the token names it), so answering again edits it.
 * Its respondent is an identifier (user id, e-mail, anonymous id), not a profile id:
 * profiles merge and split, identifiers stay; the identity graph links the two. Scores are
 * denormalised into one column per metric and themes into their own table, so that trends
 * and filters read indexes, not JSON. JSON documents are text on both dialects.
 */
export const m0009Feedback: StoreMigration = {
  name: '0009_feedback',
  async up(db) {
    await db.schema
      .createTable('surveys')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('surveys_pk', ['workspace_id', 'id'])
      .execute();

    await db.schema
      .createTable('survey_deliveries')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('survey_id', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('respondent_kind', 'text', (c) => c.notNull())
      .addColumn('respondent_value', 'text', (c) => c.notNull())
      // pending (waiting for its time), sent, skipped (limits, sampling, no address), failed.
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('trigger_id', 'text')
      .addColumn('event_id', 'text')
      .addColumn('send_at', 'bigint', (c) => c.notNull())
      .addColumn('sent_at', 'bigint')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('survey_deliveries_pk', ['workspace_id', 'id'])
      .execute();
    // Contact-frequency limits look up the last time anyone asked this person anything.
    await db.schema
      .createIndex('survey_deliveries_respondent_idx')
      .on('survey_deliveries')
      .columns(['workspace_id', 'respondent_kind', 'respondent_value', 'sent_at'])
      .execute();
    await db.schema.createIndex('survey_deliveries_survey_idx').on('survey_deliveries').columns(['workspace_id', 'survey_id', 'created_at']).execute();
    // One delivery per trigger and event: a re-delivered event asks once.
    await db.schema.createIndex('survey_deliveries_event_idx').on('survey_deliveries').columns(['workspace_id', 'survey_id', 'trigger_id', 'event_id']).unique().execute();

    await db.schema
      .createTable('survey_responses')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('survey_id', 'text', (c) => c.notNull())
      .addColumn('delivery_id', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('respondent_kind', 'text', (c) => c.notNull())
      .addColumn('respondent_value', 'text', (c) => c.notNull())
      .addColumn('language', 'text', (c) => c.notNull())
      .addColumn('answers', 'text', (c) => c.notNull())
      .addColumn('nps', 'integer')
      .addColumn('csat', 'integer')
      .addColumn('ces', 'integer')
      // The open text of the response, and what text analytics read in it.
      .addColumn('comment', 'text')
      .addColumn('sentiment', 'real')
      .addColumn('sentiment_label', 'text')
      .addColumn('text_language', 'text')
      .addColumn('complete', 'integer', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('survey_responses_pk', ['workspace_id', 'id'])
      .execute();
    await db.schema.createIndex('survey_responses_delivery_idx').on('survey_responses').columns(['workspace_id', 'delivery_id']).unique().execute();
    await db.schema.createIndex('survey_responses_survey_idx').on('survey_responses').columns(['workspace_id', 'survey_id', 'created_at']).execute();
    await db.schema.createIndex('survey_responses_created_idx').on('survey_responses').columns(['workspace_id', 'created_at']).execute();
    await db.schema
      .createIndex('survey_responses_respondent_idx')
      .on('survey_responses')
      .columns(['workspace_id', 'respondent_kind', 'respondent_value'])
      .execute();

    await db.schema
      .createTable('response_themes')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('response_id', 'text', (c) => c.notNull())
      .addColumn('theme', 'text', (c) => c.notNull())
      .addColumn('survey_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('response_themes_pk', ['workspace_id', 'response_id', 'theme'])
      .execute();
    await db.schema.createIndex('response_themes_theme_idx').on('response_themes').columns(['workspace_id', 'theme', 'created_at']).execute();
    await db.schema.createIndex('response_themes_created_idx').on('response_themes').columns(['workspace_id', 'created_at']).execute();
  },
};
