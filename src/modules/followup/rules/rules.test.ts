import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors.js';
import { checkChain, findCycle, MAX_CHAIN } from './loop.js';
import { matchRule, type Occurrence } from './rule.match.js';
import { ZRuleDefinition, type RuleDefinitionInput } from './rule.schema.js';
import { parseDefinition } from './rule.store.js';
import { renderTemplate, templateFields } from './template.js';

const def = (d: RuleDefinitionInput) => ZRuleDefinition.parse(d);
const issuesOf = (d: unknown): string[] => {
  try {
    parseDefinition(d);
  } catch (e) {
    if (e instanceof AppError) return (e.details as { issues: { path: string; message: string }[] }).issues.map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
  return [];
};

describe('rule validation', () => {
  it('names the path of every fault', () => {
    expect(issuesOf({ trigger: { kind: 'event' }, actions: [] })).toEqual([
      expect.stringMatching(/^definition\.trigger\.event: /),
      expect.stringMatching(/^definition\.actions: /),
    ]);
    expect(issuesOf({ trigger: { kind: 'feedback' }, conditions: [{ field: 'feedback.mood', op: 'eq', value: 1 }, { field: 'feedback.score', op: 'in', value: 3 }], actions: [{ type: 'notify', target: 'boss' }] })).toEqual([
      expect.stringMatching(/^definition\.conditions\.0\.field: a field such as/),
      'definition.conditions.1.value: "in" takes a list of values',
      expect.stringMatching(/^definition\.actions\.0\.target: /),
    ]);
    expect(issuesOf({ trigger: { kind: 'feedback' }, count: { event: 'x', atLeast: 2, withinDays: 7 }, actions: [{ type: 'tag_profile', tag: 'a b' }] })).toEqual([
      'definition.actions.0.tag: one word, no commas',
      'definition.count: counting conditions apply to event triggers',
    ]);
    expect(issuesOf({ trigger: { kind: 'event', event: 'Signed Up' }, actions: [{ type: 'create_task', title: 'Hi {{feedback.score}}', slaKind: 'lead' }] })).toEqual(['definition.actions.0.title: a event rule has no {{feedback.score}}']);
    expect(issuesOf({ trigger: { kind: 'event', event: 'Signed Up' }, actions: [{ type: 'create_task', title: 'ok', slaKind: 'lead' }], extra: 1 })).toEqual([expect.stringMatching(/^definition: /)]);
  });

  it('fills defaults', () => {
    const d = def({ trigger: { kind: 'feedback' }, actions: [{ type: 'create_task', title: 'Call', slaKind: 'detractor' }] });
    expect(d.trigger).toEqual({ kind: 'feedback', completeOnly: true });
    expect(d.actions[0]).toMatchObject({ priority: 'normal', assign: { strategy: 'none' } });
  });
});

describe('templates', () => {
  it('fills placeholders as plain text and refuses unknown ones', () => {
    const ctx = { customer: { name: 'Ada <b>Lovelace</b>', traits: { plan: 'pro' } }, event: { properties: { 'plan.name': 'Gold', amount: 12.5, tags: ['a', 'b'] } } };
    expect(renderTemplate('Call {{customer.name}} ({{customer.traits.plan}}) {{ event.properties.plan.name }} {{event.properties.amount}} {{event.properties.tags}} {{event.properties.none}}!', ctx)).toBe(
      'Call Ada <b>Lovelace</b> (pro) Gold 12.5 a, b !',
    );
    expect(renderTemplate('a\n\u0000b {{customer.name}}', { customer: { name: 'x'.repeat(400) } }, 20)).toHaveLength(20);
    expect(templateFields('{{customer.shoe}} {{').problems).toHaveLength(2);
    expect(templateFields('{{rule.name}} {{feedback.score}}')).toEqual({ fields: ['rule.name', 'feedback.score'], problems: [] });
  });
});

describe('matching', () => {
  const customer = { id: 'prf_1', name: 'Ada', email: 'ada@x.io', traits: { plan: 'pro', segments: ['vip', 'eu'], mrr: '120' } };
  const event = (name: string, properties: Record<string, unknown> = {}): Occurrence => ({ kind: 'event', event: { name, type: 'track', properties, traits: null }, customer });

  it('matches the trigger, then every condition, and says why not', () => {
    const d = def({
      trigger: { kind: 'event', event: 'Payment Failed' },
      conditions: [
        { field: 'event.properties.amount', op: 'gte', value: 100 },
        { field: 'customer.segments', op: 'contains', value: 'VIP' },
        { field: 'customer.traits.mrr', op: 'gt', value: 100 },
        { field: 'customer.traits.plan', op: 'in', value: ['pro', 'enterprise'] },
        { field: 'event.properties.retry', op: 'exists', value: false },
      ],
      actions: [{ type: 'tag_profile', tag: 'at-risk' }],
    });
    expect(matchRule(d, event('Payment Failed', { amount: '150' })).matched).toBe(true);
    expect(matchRule(d, event('Payment Succeeded', { amount: 150 })).reasons).toEqual(['the trigger (event "Payment Failed") does not apply']);
    expect(matchRule(d, event('Payment Failed', { amount: 50, retry: true })).reasons).toEqual([
      'conditions.0: event.properties.amount gte 100 is false (it is 50)',
      'conditions.4: event.properties.retry exists false is false (it is true)',
    ]);
  });

  it('matches answers by survey, completeness and score', () => {
    const d = def({ trigger: { kind: 'feedback', surveyId: 'srv_1' }, conditions: [{ field: 'feedback.category', op: 'eq', value: 'detractor' }], actions: [{ type: 'tag_profile', tag: 'x' }] });
    const answer = (over: Partial<Extract<Occurrence, { kind: 'feedback' }>['feedback']>): Occurrence => ({
      kind: 'feedback',
      feedback: { score: 3, category: 'detractor', metric: 'nps', surveyId: 'srv_1', surveyName: 'S', channel: 'link', sentiment: null, themes: [], complete: true, ...over },
      customer: null,
    });
    expect(matchRule(d, answer({})).matched).toBe(true);
    expect(matchRule(d, answer({ surveyId: 'srv_2' })).matched).toBe(false);
    expect(matchRule(d, answer({ complete: false })).matched).toBe(false);
    expect(matchRule(d, answer({ score: 9, category: 'promoter' })).matched).toBe(false);
  });

  it('needs the count of a counting condition', () => {
    const d = def({ trigger: { kind: 'event', event: 'Ticket Created' }, count: { event: 'Ticket Created', atLeast: 2, withinDays: 7 }, actions: [{ type: 'tag_profile', tag: 'x' }] });
    expect(matchRule(d, event('Ticket Created'), 1).reasons).toEqual(['count: 1 "Ticket Created" in 7 days, needs 2']);
    expect(matchRule(d, event('Ticket Created'), 2).matched).toBe(true);
  });
});

describe('loop detection', () => {
  const survey = (id: string, on: string | undefined, send: string) => ({ id, definition: def({ trigger: on ? { kind: 'feedback', surveyId: on } : { kind: 'feedback' }, actions: [{ type: 'send_survey', surveyId: send }] }) });
  const tagger = (id: string, on: string, add: string) => ({ id, definition: def({ trigger: { kind: 'profile', tag: on }, actions: [{ type: 'tag_profile', tag: add }] }) });

  it('finds a rule that its own output triggers, directly or through others', () => {
    expect(findCycle([survey('a', 's1', 's1')], 'a')).toEqual(['a', 'a']);
    expect(findCycle([survey('a', undefined, 's9')], 'a')).toEqual(['a', 'a']);
    expect(findCycle([survey('a', 's1', 's2'), survey('b', 's2', 's1')], 'a')).toEqual(['a', 'b', 'a']);
    expect(findCycle([tagger('a', 'x', 'y'), tagger('b', 'y', 'z'), tagger('c', 'z', 'x')], 'b')).toEqual(['b', 'c', 'a', 'b']);
    // A chain that ends is no loop; nor is a cycle that does not pass through the rule.
    expect(findCycle([survey('a', 's1', 's2'), survey('b', 's2', 's3')], 'a')).toBeNull();
    expect(findCycle([survey('a', 's0', 's1'), survey('b', 's1', 's2'), survey('c', 's2', 's1')], 'a')).toBeNull();
  });

  it('stops a rule already in the chain, and chains that run too deep', () => {
    expect(checkChain('a', [])).toEqual({ ok: true, chain: ['a'] });
    expect(checkChain('a', ['b'])).toEqual({ ok: true, chain: ['b', 'a'] });
    expect(checkChain('a', ['a', 'b'])).toEqual({ ok: false, reason: 'loop', chain: ['a', 'b', 'a'] });
    const deep = Array.from({ length: MAX_CHAIN }, (_, i) => `r${i}`);
    expect(checkChain('z', deep)).toMatchObject({ ok: false, reason: 'too-deep' });
  });
});
