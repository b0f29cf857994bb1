/**
 * A follow-up rule as validated JSON data: when a trigger (an event, a feedback answer, a
 * profile change) matches its conditions, run its actions (create a task, notify, send a
 * survey, tag the profile). This schema is the one source of truth: the API, the templates and
 * the engine all read rules through it.
 */
import { z } from 'zod';
import { templateFields } from './template.js';

export const OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'exists', 'contains'] as const;

/**
 * What a condition may read. `event.*` is the triggering event (name, properties, traits);
 * `feedback.*` the answer (score, category, metric, survey, sentiment, themes, channel);
 * `customer.*` the customer behind the identifier (traits, segments, name, email).
 */
const FIELD = /^(event\.(name|type|properties\.[^\s]{1,200}|traits\.[^\s]{1,200})|feedback\.(score|category|metric|surveyId|surveyName|channel|sentiment|themes|complete)|customer\.(name|email|segments|tags|known|traits\.[^\s]{1,200}))$/;

const ZValue = z.union([z.string().max(500), z.number(), z.boolean()]);

export const ZCondition = z
  .object({
    field: z.string().regex(FIELD, 'a field such as "event.properties.plan", "feedback.score", "customer.traits.plan" or "customer.segments"'),
    op: z.enum(OPS),
    value: z.union([ZValue, z.array(ZValue).max(50)]).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.op === 'exists') {
      if (c.value !== undefined && typeof c.value !== 'boolean') ctx.addIssue({ code: 'custom', path: ['value'], message: '"exists" takes true, false or nothing' });
      return;
    }
    if (c.value === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: `"${c.op}" needs a value` });
    else if (c.op === 'in' && !Array.isArray(c.value)) ctx.addIssue({ code: 'custom', path: ['value'], message: '"in" takes a list of values' });
    else if (c.op !== 'in' && Array.isArray(c.value)) ctx.addIssue({ code: 'custom', path: ['value'], message: `"${c.op}" takes one value, not a list` });
  });
export type Condition = z.infer<typeof ZCondition>;

/**
 * "At least n events named `event` for the same customer within the window, this one
 * included" (e.g. a second ticket within 7 days). Counts only events seen while some rule
 * counted that name (the consumer keeps a ledger of them).
 */
export const ZCountCondition = z
  .object({
    event: z.string().min(1).max(200),
    atLeast: z.number().int().min(1).max(1000),
    withinDays: z.number().positive().max(366),
  })
  .strict();
export type CountCondition = z.infer<typeof ZCountCondition>;

export const ZTrigger = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('event'), event: z.string().min(1).max(200) }).strict(),
  z
    .object({
      kind: z.literal('feedback'),
      /** Only answers to this survey; any survey when absent. */
      surveyId: z.string().min(1).max(64).optional(),
      /** Only complete answers (default), or also partial ones. */
      completeOnly: z.boolean().default(true),
    })
    .strict(),
  z
    .object({
      kind: z.literal('profile'),
      /** Fire when this tag is added to the profile (by a rule); absent: on every identify call (traits changed). */
      tag: z.string().min(1).max(100).optional(),
    })
    .strict(),
]);
export type Trigger = z.infer<typeof ZTrigger>;
export type TriggerKind = Trigger['kind'];

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

export const ZAssignment = z.discriminatedUnion('strategy', [
  z
    .object({
      strategy: z.literal('account_owner'),
      /** The trait naming the owner (a member's user id or e-mail); the usual names when absent. */
      trait: z.string().min(1).max(100).optional(),
      /** When the customer has no owner who is a member: round-robin or least loaded in this team. */
      fallback: z.object({ strategy: z.enum(['round_robin', 'least_loaded']), teamId: z.string().min(1).max(64) }).strict().optional(),
    })
    .strict(),
  z.object({ strategy: z.literal('round_robin'), teamId: z.string().min(1).max(64) }).strict(),
  z.object({ strategy: z.literal('least_loaded'), teamId: z.string().min(1).max(64) }).strict(),
  z.object({ strategy: z.literal('user'), userId: z.string().min(1).max(64) }).strict(),
  z.object({ strategy: z.literal('none') }).strict(),
]);
export type Assignment = z.infer<typeof ZAssignment>;

const ZTemplateText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .superRefine((t, ctx) => {
      for (const problem of templateFields(t).problems) ctx.addIssue({ code: 'custom', message: problem });
    });

const ZNotifyTarget = z.union([z.literal('owner'), z.literal('manager'), z.object({ targetId: z.string().min(1).max(64) }).strict()]);
export type NotifyTarget = z.infer<typeof ZNotifyTarget>;

export const ZAction = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('create_task'),
      /** Plain-text title; `{{customer.name}}`, `{{event.properties.plan}}`, `{{feedback.score}}` … are filled in. */
      title: ZTemplateText(300),
      priority: z.enum(PRIORITIES).default('normal'),
      /** The SLA kind ("lead", "detractor" …): the policy of this kind sets the clock. */
      slaKind: z.string().min(1).max(64).regex(/^[a-z0-9_.-]+$/, 'lower-case letters, digits, "_", "-" and "."'),
      /** A named policy instead of the newest of its kind. */
      policyId: z.string().min(1).max(64).optional(),
      assign: ZAssignment.default({ strategy: 'none' }),
    })
    .strict(),
  z.object({ type: z.literal('notify'), target: ZNotifyTarget, message: ZTemplateText(1000).optional() }).strict(),
  z.object({ type: z.literal('send_survey'), surveyId: z.string().min(1).max(64) }).strict(),
  z.object({ type: z.literal('tag_profile'), tag: z.string().min(1).max(100).regex(/^[^\s,]+$/, 'one word, no commas') }).strict(),
]);
export type Action = z.infer<typeof ZAction>;

export const ZRuleDefinition = z
  .object({
    trigger: ZTrigger,
    /** Every condition must hold. */
    conditions: z.array(ZCondition).max(30).default([]),
    /** Optional counting condition (e.g. a second ticket within 7 days). */
    count: ZCountCondition.optional(),
    actions: z.array(ZAction).min(1).max(10),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.trigger.kind !== 'event' && d.count) ctx.addIssue({ code: 'custom', path: ['count'], message: 'counting conditions apply to event triggers' });
    const roots = new Set(d.trigger.kind === 'event' || d.trigger.kind === 'profile' ? ['event', 'customer'] : ['feedback', 'customer']);
    d.conditions.forEach((c, i) => {
      const root = c.field.split('.')[0] as string;
      if (!roots.has(root)) ctx.addIssue({ code: 'custom', path: ['conditions', i, 'field'], message: `a ${d.trigger.kind} rule cannot read ${root}.*` });
    });
    d.actions.forEach((a, i) => {
      const texts: [string, string | undefined][] = a.type === 'create_task' ? [['title', a.title]] : a.type === 'notify' ? [['message', a.message]] : [];
      for (const [key, text] of texts) {
        if (text === undefined) continue;
        for (const f of templateFields(text).fields) {
          const root = f.split('.')[0] as string;
          if (!roots.has(root) && root !== 'rule') ctx.addIssue({ code: 'custom', path: ['actions', i, key], message: `a ${d.trigger.kind} rule has no {{${f}}}` });
        }
      }
    });
    if (d.actions.filter((a) => a.type === 'create_task').length > 1) ctx.addIssue({ code: 'custom', path: ['actions'], message: 'at most one create_task action per rule' });
  });
export type RuleDefinition = z.infer<typeof ZRuleDefinition>;
export type RuleDefinitionInput = z.input<typeof ZRuleDefinition>;

export const ZRuleInput = z.object({
  name: z.string().trim().min(1).max(200),
  enabled: z.boolean().default(true),
  definition: z.unknown(),
});

export const ZRulePatch = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  enabled: z.boolean().optional(),
  definition: z.unknown().optional(),
});

export interface Rule {
  id: string;
  name: string;
  enabled: boolean;
  definition: RuleDefinition;
  template: string | null;
  loopDetectedAt: number | null;
  loopDetail: unknown;
  createdAt: number;
  updatedAt: number;
}
