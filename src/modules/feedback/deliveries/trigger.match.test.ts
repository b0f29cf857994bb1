import { describe, expect, it } from 'vitest';
import { ZTrigger } from '../surveys/survey.schema.js';
import { matchesFilter, matchesTrigger, respondentOfEvent, type TriggerEvent } from './trigger.match.js';

const event = (over: Partial<TriggerEvent> = {}): TriggerEvent => ({
  type: 'track',
  name: 'Ticket Solved',
  userId: null,
  anonymousId: 'anon-1',
  properties: { channel: 'email', priority: 3, amount: '12.50', tags: ['billing', 'vip'], subject: 'Refund for order 42', ticket: { team: 'tier-2' } },
  traits: null,
  contextTraits: null,
  ...over,
});

describe('trigger filters', () => {
  const props = event().properties;
  it.each([
    ['eq', 'channel', 'email', true],
    ['eq', 'channel', 'chat', false],
    ['eq', 'priority', '3', true],
    ['neq', 'channel', 'chat', true],
    ['neq', 'missing', 'x', true],
    ['gt', 'priority', 2, true],
    ['gt', 'priority', 3, false],
    ['gte', 'priority', 3, true],
    ['lt', 'amount', 20, true],
    ['lte', 'amount', 12.5, true],
    ['lt', 'channel', 5, false],
    ['exists', 'channel', undefined, true],
    ['exists', 'missing', undefined, false],
    ['exists', 'missing', false, true],
    ['contains', 'subject', 'REFUND', true],
    ['contains', 'tags', 'vip', true],
    ['contains', 'tags', 'gold', false],
    ['eq', 'ticket.team', 'tier-2', true],
  ] as const)('%s %s %s → %s', (op, property, value, expected) => {
    expect(matchesFilter({ op, property, ...(value === undefined ? {} : { value }) }, props)).toBe(expected);
  });
});

describe('triggers', () => {
  const trigger = ZTrigger.parse({ id: 'solved', event: 'Ticket Solved', where: [{ property: 'channel', op: 'eq', value: 'email' }] });
  it('matches track events of its name whose properties pass', () => {
    expect(matchesTrigger(trigger, event())).toBe(true);
    expect(matchesTrigger(trigger, event({ name: 'Ticket Opened' }))).toBe(false);
    expect(matchesTrigger(trigger, event({ type: 'page' }))).toBe(false);
    expect(matchesTrigger(trigger, event({ properties: { channel: 'chat' } }))).toBe(false);
    expect(matchesTrigger({ ...trigger, enabled: false }, event())).toBe(false);
  });

  it('asks the user id, else the e-mail the event carries, else the anonymous id', () => {
    expect(respondentOfEvent(event({ userId: 'u-1', traits: { email: 'a@b.co' } }))).toEqual({ kind: 'user_id', value: 'u-1' });
    expect(respondentOfEvent(event({ contextTraits: { email: 'ada@example.com' } }))).toEqual({ kind: 'email', value: 'ada@example.com' });
    expect(respondentOfEvent(event({ properties: { email: 'not an address' } }))).toEqual({ kind: 'anonymous_id', value: 'anon-1' });
    expect(respondentOfEvent(event({ anonymousId: null }))).toBeUndefined();
  });
});
