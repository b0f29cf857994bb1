/**
 * Rows a resolution slice placed, written together: a slice of new leads becomes one insert per
 * table (profiles, identities, traits, terms, records) instead of four or five statements a
 * person, and every placement's record link (which placing never reads) waits here too. Rows
 * wait only while nothing reads them: `resolve` flushes before any placement that reads the
 * graph (graph.ts), and the consumer flushes before it moves its cursor, in the same
 * transaction, so no reader ever sees a slice half-written and a crash loses nothing (the rows
 * and the cursor commit or roll back together).
 */
import {
  insertIdentityRows,
  insertKeys,
  insertProfiles,
  linkRecords,
  upsertTraitRows,
  type Db,
  type KeyRow,
  type NewIdentity,
  type NewProfile,
  type RecordLink,
  type TraitRow,
} from './graph.store.js';

const recordKey = (r: RecordLink['record']) => `${r.source}\u0000${r.kind}\u0000${r.externalId}`;

export class PendingPlacements {
  private profiles: NewProfile[] = [];
  private identities: NewIdentity[] = [];
  private traits: TraitRow[] = [];
  private terms: KeyRow[] = [];
  /** By record: linked twice in a slice, the later link wins, as it would written one by one. */
  private records = new Map<string, RecordLink>();

  /** A new leaf of its own with its identifiers, traits and search terms (made by one observation, so each row is unique). */
  addLeaf(profile: NewProfile, rows: { identities: NewIdentity[]; traits: TraitRow[]; terms: KeyRow[] }): void {
    this.profiles.push(profile);
    this.identities.push(...rows.identities);
    this.traits.push(...rows.traits);
    this.terms.push(...rows.terms);
  }

  link(link: RecordLink): void {
    this.records.set(recordKey(link.record), link);
  }

  /** Before a placement reads the graph: write the new leaves and their rows; the links keep waiting. */
  async flushLeaves(db: Db, workspaceId: string): Promise<void> {
    if (this.profiles.length === 0) return;
    const { profiles, identities, traits, terms } = this;
    this.profiles = [];
    this.identities = [];
    this.traits = [];
    this.terms = [];
    await insertProfiles(db, workspaceId, profiles);
    await insertIdentityRows(db, workspaceId, identities);
    await upsertTraitRows(db, workspaceId, traits);
    await insertKeys(db, 'profile_terms', workspaceId, terms);
  }

  /** At the end of the slice: write everything waiting, and start empty. */
  async flush(db: Db, workspaceId: string): Promise<void> {
    await this.flushLeaves(db, workspaceId);
    const records = [...this.records.values()];
    this.records = new Map();
    await linkRecords(db, workspaceId, records);
  }
}
