import { describe, expect, it } from 'vitest';
import { IdSequence } from '../../platform/id-sequence.js';
import { valuesList } from './event.store.js';
import { dailyCounts } from './rollup.js';
import { utcDay } from './skew.js';
import { WriteKeyCache, type WriteKey } from './write-key.js';

const key: WriteKey = { keyId: 'key_1', workspaceId: 'ws_1', kind: 'write', role: 'owner', name: 'site', prefix: 'ec_wk_abcdef' };

describe('the write-key cache', () => {
  it('answers for ttl ms, then forgets, so a revoked key stops working within the window', () => {
    let now = 1_000;
    const cache = new WriteKeyCache(5_000, 10, () => now);
    expect(cache.get('tok')).toBeUndefined();
    cache.set('tok', key);
    now += 4_999;
    expect(cache.get('tok')).toBe(key);
    now += 1;
    expect(cache.get('tok')).toBeUndefined();
  });

  it('stays bounded', () => {
    const cache = new WriteKeyCache(5_000, 2, () => 0);
    cache.set('a', key);
    cache.set('b', key);
    cache.set('c', key);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('c')).toBe(key);
  });
});

describe('event ids', () => {
  it('grow strictly within a millisecond, across milliseconds and when the clock steps back', () => {
    const seq = new IdSequence('evt');
    const ids = [5, 5, 5, 6, 6, 4, 4, 7].flatMap((ms) => Array.from({ length: 40 }, () => seq.next(1_700_000_000_000 + ms)));
    for (let i = 1; i < ids.length; i++) expect((ids[i] as string) > (ids[i - 1] as string)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toMatch(/^evt_[0-9a-hjkmnp-tv-z]{26}$/);
  });
});

describe('the multi-row statements', () => {
  it('spell placeholders per dialect', () => {
    expect(valuesList('sqlite', 2, 3)).toBe('(?, ?, ?), (?, ?, ?)');
    expect(valuesList('postgres', 2, 3)).toBe('($1, $2, $3), ($4, $5, $6)');
    expect(valuesList('postgres', 1, 1)).toBe('($1)');
  });
});

describe('daily rollups', () => {
  it('put each event on its UTC day, across midnight and at the clamped ends', () => {
    const at = (iso: string) => Date.parse(iso);
    const times = [at('2026-01-01T23:59:59.999Z'), at('2026-01-02T00:00:00.000Z'), at('2026-01-01T00:00:00.000Z'), -8.64e15, 8.64e15, at('2026-01-02T12:00:00Z')];
    const rows = times.map((timestamp) => ({ workspace_id: 'ws', type: 'track', name: 'x', source: 'k', timestamp, received_at: 0 }));
    const counts = dailyCounts(rows);
    const expected = new Map<string, number>();
    for (const t of times) expected.set(utcDay(t), (expected.get(utcDay(t)) ?? 0) + 1);
    expect(new Map(counts.map((c) => [c.day, c.count]))).toEqual(expected);
  });
});
