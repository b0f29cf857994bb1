import { sql } from 'kysely';
import type { StoreMigration } from './migration.js';

/**
 * Customers: the identity graph, the profiles it forms, and the outbox that feeds it.
 *
 * A profile is a node of a merge forest. Observations (an event's ids, a silo record) land
 * on a *leaf* profile and stay there forever; merging links one root under another
 * (`parent_id`) and `root_id` names the customer a profile now belongs to. Unmerging cuts
 * that link again, so both customers come back exactly as they were: identities, traits,
 * records and events never move. `workspace_id` leads every key (shardable by workspace).
 */
export const m0007Customers: StoreMigration = {
  name: '0007_customers',
  async up(db, d) {
    await db.schema
      .createTable('profiles')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('root_id', 'text', (c) => c.notNull())
      .addColumn('parent_id', 'text')
      // What this leaf observed, for matching (names, e-mail, phone, birth date, address).
      .addColumn('features', sql.raw(d.json), (c) => c.notNull())
      // On roots: the customer's summary, kept current on every change to its tree.
      .addColumn('name', 'text')
      .addColumn('email', 'text')
      .addColumn('phone', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('profiles_pk', ['workspace_id', 'id'])
      .execute();
    await db.schema.createIndex('profiles_root_idx').on('profiles').columns(['workspace_id', 'root_id']).execute();
    await db.schema.createIndex('profiles_parent_idx').on('profiles').columns(['workspace_id', 'parent_id', 'updated_at']).execute();

    await db.schema
      .createTable('identities')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('profile_id', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      // Times this identifier tied together people who each hold a different exclusive id.
      .addColumn('conflicts', 'integer', (c) => c.notNull().defaultTo(0))
      // Set once it is judged shared (a family inbox, a call-centre phone): no longer evidence.
      .addColumn('shared_reason', 'text')
      .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
      .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('identities_pk', ['workspace_id', 'kind', 'value'])
      .execute();
    await db.schema.createIndex('identities_profile_idx').on('identities').columns(['workspace_id', 'profile_id']).execute();

    await db.schema
      .createTable('profile_traits')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('profile_id', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      // JSON text on both dialects: a trait may be a bare string, which JSONB would hand back unquoted.
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('observed_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('profile_traits_pk', ['workspace_id', 'profile_id', 'key', 'source'])
      .execute();

    await db.schema
      .createTable('profile_records')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('external_id', 'text', (c) => c.notNull())
      .addColumn('profile_id', 'text', (c) => c.notNull())
      .addColumn('occurred_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('profile_records_pk', ['workspace_id', 'source', 'kind', 'external_id'])
      .execute();
    await db.schema.createIndex('profile_records_timeline_idx').on('profile_records').columns(['workspace_id', 'profile_id', 'occurred_at']).execute();

    // Search terms (name tokens, e-mail, phone digits, ids, phonetic keys) → leaf profile.
    await db.schema
      .createTable('profile_terms')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      // Searched by prefix range (term >= q and term < q || U+FFFF): byte order on both dialects.
      .addColumn('term', d.name === 'postgres' ? sql.raw('text collate "C"') : 'text', (c) => c.notNull())
      .addColumn('profile_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('profile_terms_pk', ['workspace_id', 'term', 'profile_id'])
      .execute();
    await db.schema.createIndex('profile_terms_profile_idx').on('profile_terms').columns(['workspace_id', 'profile_id']).execute();

    // Blocking keys for probabilistic matching → leaf profile.
    await db.schema
      .createTable('profile_blocks')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('profile_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('profile_blocks_pk', ['workspace_id', 'key', 'profile_id'])
      .execute();
    await db.schema.createIndex('profile_blocks_profile_idx').on('profile_blocks').columns(['workspace_id', 'profile_id']).execute();

    await db.schema
      .createTable('profile_merges')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('survivor_id', 'text', (c) => c.notNull())
      .addColumn('absorbed_id', 'text', (c) => c.notNull())
      .addColumn('rule', 'text', (c) => c.notNull())
      .addColumn('score', 'double precision')
      .addColumn('evidence', sql.raw(d.json), (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('undone_at', 'bigint')
      .addColumn('undone_by', 'text')
      .addPrimaryKeyConstraint('profile_merges_pk', ['workspace_id', 'id'])
      .execute();
    await db.schema.createIndex('profile_merges_survivor_idx').on('profile_merges').columns(['workspace_id', 'survivor_id']).execute();
    await db.schema.createIndex('profile_merges_absorbed_idx').on('profile_merges').columns(['workspace_id', 'absorbed_id']).execute();

    // Pairs of leaves a person said are different people: their trees never merge again.
    await db.schema
      .createTable('keep_apart')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('profile_a', 'text', (c) => c.notNull())
      .addColumn('profile_b', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('keep_apart_pk', ['workspace_id', 'profile_a', 'profile_b'])
      .execute();
    await db.schema.createIndex('keep_apart_b_idx').on('keep_apart').columns(['workspace_id', 'profile_b']).execute();

    await db.schema
      .createTable('merge_suggestions')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('profile_a', 'text', (c) => c.notNull())
      .addColumn('profile_b', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('score', 'double precision')
      .addColumn('evidence', sql.raw(d.json), (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('decided_at', 'bigint')
      .addColumn('decided_by', 'text')
      .addPrimaryKeyConstraint('merge_suggestions_pk', ['workspace_id', 'id'])
      .addUniqueConstraint('merge_suggestions_pair_uq', ['workspace_id', 'profile_a', 'profile_b'])
      .execute();
    await db.schema.createIndex('merge_suggestions_b_idx').on('merge_suggestions').columns(['workspace_id', 'profile_b']).execute();
    await db.schema.createIndex('merge_suggestions_status_idx').on('merge_suggestions').columns(['workspace_id', 'status', 'created_at']).execute();

    // The outbox: facts appended in the transaction that established them (see store/outbox).
    await db.schema
      .createTable('outbox')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('topic', 'text', (c) => c.notNull())
      .addColumn('subject', 'text')
      .addColumn('payload', sql.raw(d.json), (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('outbox_pk', ['workspace_id', 'id'])
      .execute();
    await db.schema
      .createTable('consumer_cursors')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('consumer', 'text', (c) => c.notNull())
      .addColumn('position', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('consumer_cursors_pk', ['workspace_id', 'consumer'])
      .execute();
  },
};
