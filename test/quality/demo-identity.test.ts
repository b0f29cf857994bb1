/**
 * Identity resolution on the demo company, whose generator knows which person each record
 * is (`_truth.personId`): the pairwise precision and recall of the customers it forms.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/index.js';
import { resolvePending, trainWorkspaceModel } from '../../src/modules/customers/index.js';
import { ManualClock } from '../../src/platform/clock.js';
import { awaitLogHorizon, fromJson } from '../../src/store/index.js';
import { createTestStore, testDialects, type TestStore } from '../../src/store/testing.js';

/** Fewer on PostgreSQL, where every query is a round trip. */
const CUSTOMERS = { sqlite: 1000, postgres: 300 } as const;

describe.each(testDialects())('identity resolution of the demo company on %s', (dialect) => {
  let store: TestStore;
  const clock = new ManualClock(Date.UTC(2026, 10, 2) + (dialect === 'postgres' ? 86_400_000 : 0));
  const ws = 'ws_demo_quality';
  let seconds = 0;

  beforeAll(async () => {
    store = await createTestStore(dialect);
    await store.db.insertInto('workspaces').values({ id: ws, name: 'demo', created_at: clock.now() }).execute();
    await seedDemo(store, { workspaceId: ws, customers: CUSTOMERS[dialect], seed: 7, asOf: Date.UTC(2026, 9, 1), clock });
    await awaitLogHorizon(store.db, dialect);
    const started = performance.now();
    await trainWorkspaceModel(store.db, ws, clock.now());
    await resolvePending({ store, clock }, ws);
    seconds = (performance.now() - started) / 1000;
  }, 600_000);
  afterAll(() => store.destroy());

  it('forms customers with high precision and recall against the generator’s truth', async () => {
    const rows = await store.db
      .selectFrom('profile_records as pr')
      .innerJoin('profiles as p', (j) => j.onRef('p.workspace_id', '=', 'pr.workspace_id').onRef('p.id', '=', 'pr.profile_id'))
      .innerJoin('source_records as sr', (j) =>
        j.onRef('sr.workspace_id', '=', 'pr.workspace_id').onRef('sr.source', '=', 'pr.source').onRef('sr.kind', '=', 'pr.kind').onRef('sr.external_id', '=', 'pr.external_id'),
      )
      .select(['p.root_id', 'sr.data', 'pr.kind'])
      .where('pr.workspace_id', '=', ws)
      .where('pr.kind', '=', 'contact')
      .execute();
    // Pairs of contact records: same person (truth) × same customer (resolved).
    // A web visitor who never signed in or gave a name is the person by truth, but nothing in
    // the data says so: such records are counted apart ("identifiable" below excludes them).
    type Data = { _truth?: { personId?: string }; email?: string; phone?: string; name?: string; firstName?: string; lastName?: string; userId?: string };
    const identifiable = (d: Data) => Boolean(d.email || d.phone || d.name || d.firstName || d.lastName || d.userId);
    const pairs = (only: boolean) => {
      const byTruth = new Map<string, string[]>();
      for (const r of rows) {
        const d = fromJson<Data>(r.data);
        if (only && !identifiable(d)) continue;
        const person = d._truth?.personId as string;
        byTruth.set(person, [...(byTruth.get(person) ?? []), r.root_id]);
      }
      let truePairs = 0;
      let found = 0;
      for (const roots of byTruth.values()) {
        truePairs += (roots.length * (roots.length - 1)) / 2;
        const counts = new Map<string, number>();
        for (const root of roots) counts.set(root, (counts.get(root) ?? 0) + 1);
        for (const n of counts.values()) found += (n * (n - 1)) / 2;
      }
      return { truePairs, found, people: byTruth.size };
    };
    const byRoot = new Map<string, number>();
    for (const r of rows) byRoot.set(r.root_id, (byRoot.get(r.root_id) ?? 0) + 1);
    let resolvedPairs = 0;
    for (const n of byRoot.values()) resolvedPairs += (n * (n - 1)) / 2;
    const all = pairs(false);
    const known = pairs(true);
    const precision = all.found / resolvedPairs;
    const recall = all.found / all.truePairs;
    const recallIdentifiable = known.found / known.truePairs;
    console.log(
      `${dialect}: ${rows.length} contact records of ${all.people} people → ${byRoot.size} customers; precision ${precision.toFixed(4)}, ` +
        `recall ${recall.toFixed(4)} (${recallIdentifiable.toFixed(4)} over identifiable records); resolved in ${seconds.toFixed(1)} s`,
    );
    expect(precision).toBeGreaterThanOrEqual(0.99);
    expect(recallIdentifiable).toBeGreaterThanOrEqual(0.9);
  });
});
