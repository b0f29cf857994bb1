import { describe, expect, it } from 'vitest';
import { coalesceRecordFacts, recordFacts, RECORDS_UPSERTED } from './source-records.js';

const rec = (source: string, kind: string, id: string) => ({ source, kind, external_id: id });

describe('coalesceRecordFacts', () => {
  it('makes one records fact per source and kind, each record once, after the other facts in their order', () => {
    const facts = [
      ...recordFacts([rec('emptychair', 'task', 'tsk_1')]),
      { topic: 'followup.task_created', subject: 'user_id:a', payload: { n: 1 } },
      ...recordFacts([rec('emptychair', 'task', 'tsk_2'), rec('crm', 'contact', 'c1')]),
      { topic: 'followup.task_created', subject: 'user_id:b', payload: { n: 2 } },
      ...recordFacts([rec('emptychair', 'task', 'tsk_1')]),
    ];
    expect(coalesceRecordFacts(facts)).toEqual([
      { topic: 'followup.task_created', subject: 'user_id:a', payload: { n: 1 } },
      { topic: 'followup.task_created', subject: 'user_id:b', payload: { n: 2 } },
      { topic: RECORDS_UPSERTED, subject: null, payload: { source: 'emptychair', kind: 'task', externalIds: ['tsk_1', 'tsk_2'] } },
      { topic: RECORDS_UPSERTED, subject: null, payload: { source: 'crm', kind: 'contact', externalIds: ['c1'] } },
    ]);
  });

  it('still cuts a fact at a thousand ids', () => {
    const facts = Array.from({ length: 1500 }, (_, i) => recordFacts([rec('emptychair', 'task', `tsk_${i}`)])).flat();
    expect(coalesceRecordFacts(facts).map((f) => (f.payload as { externalIds: string[] }).externalIds.length)).toEqual([1000, 500]);
  });
});
