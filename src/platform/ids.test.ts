import { describe, expect, it } from 'vitest';
import { IdSequence } from './id-sequence.js';
import { idFloor, newId, timeOfId } from './ids.js';

describe('event id times', () => {
  it('reads back the millisecond an id was made at', () => {
    for (const t of [0, 1, Date.UTC(2026, 2, 1, 12), Date.UTC(2999, 11, 31, 23, 59, 59, 999)]) {
      expect(timeOfId(newId('evt', t))).toBe(t);
      expect(timeOfId(idFloor('evt', t))).toBe(t);
    }
    expect(timeOfId('not-an-id')).toBeUndefined();
    expect(timeOfId('evt_01ABCDEFGH')).toBeUndefined(); // upper case is not base-32 here
    expect(timeOfId('evt_01')).toBeUndefined();
  });

  it('a floor sorts after every id of earlier milliseconds and before every id of its own and later ones', () => {
    const t = Date.UTC(2026, 5, 1, 12);
    const floor = idFloor('evt', t);
    const ids = new IdSequence('evt');
    const earlier = ids.next(t - 1);
    const same = [ids.next(t), ids.next(t), ids.next(t)];
    const later = ids.next(t + 1);
    expect(earlier < floor).toBe(true);
    for (const id of [...same, later]) expect(id > floor).toBe(true);
    expect(newId('evt', t) > floor).toBe(true);
  });
});
