import { describe, expect, it } from 'vitest';
import { FIELDS, IMPORT_KINDS, QUICK_ACCEPT, RECORD_SCHEMAS } from './kinds.js';

/** Values a reader may hand over, good and bad for every field type. */
const PALETTE: unknown[] = [undefined, '', 'x', 'Ada', 'paid', 'Paid!', 'has space', 's'.repeat(65), 'USD', 'US', 'EURO', -5, 0, 1, 3, 5, 6, 2.5, 1e21, 1_700_000_000_000, 1_600_000_000_000];

const VALID: Record<(typeof IMPORT_KINDS)[number], Record<string, unknown>> = {
  contact: { externalId: 'c-1', email: 'a@b.co', firstName: 'Ada', country: 'GB', lifecycleStage: 'lead', createdAt: 1_700_000_000_000 },
  account: { externalId: 'a-1', name: 'Acme', createdAt: 1_700_000_000_000 },
  order: { externalId: 'o-1', customerId: 'c-1', placedAt: 1_700_000_000_000, total: 12.5, currency: 'EUR', status: 'paid' },
  subscription: { externalId: 's-1', customerId: 'c-1', plan: 'Pro', mrr: 49, currency: 'EUR', status: 'active', startedAt: 1_600_000_000_000, canceledAt: 1_700_000_000_000 },
  ticket: { externalId: 't-1', requesterEmail: 'a@b.co', openedAt: 1_600_000_000_000, solvedAt: 1_700_000_000_000, csat: 5 },
};

/** A small deterministic generator (no flaky test). */
function* records(kind: (typeof IMPORT_KINDS)[number], n: number): Generator<Record<string, unknown>> {
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const names = [...FIELDS[kind].map((f) => f.name), 'currency'];
  for (let i = 0; i < n; i++) {
    // A valid record with a few fields changed or dropped: the edges are near it.
    const r: Record<string, unknown> = { ...VALID[kind], externalId: `id-${i}` };
    for (const name of names) {
      if (rnd() >= 0.25) continue;
      const v = PALETTE[Math.floor(rnd() * PALETTE.length)];
      if (v === undefined) delete r[name];
      else r[name] = v;
    }
    yield r;
  }
}

describe('QUICK_ACCEPT', () => {
  it('never accepts a record its kind schema refuses', () => {
    for (const kind of IMPORT_KINDS) {
      let accepted = 0;
      for (const r of records(kind, 20_000)) {
        if (!QUICK_ACCEPT[kind](r)) continue;
        accepted++;
        expect(RECORD_SCHEMAS[kind].safeParse(r).success, `${kind} ${JSON.stringify(r)}`).toBe(true);
      }
      expect(accepted, kind).toBeGreaterThan(0);
    }
  });

  it('accepts ordinary valid records, so that they skip zod', () => {
    for (const kind of IMPORT_KINDS) {
      expect(RECORD_SCHEMAS[kind].safeParse(VALID[kind]).success, kind).toBe(true);
      expect(QUICK_ACCEPT[kind](VALID[kind]), kind).toBe(true);
    }
  });
});
