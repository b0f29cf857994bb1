/** Rules over HTTP: CRUD, "test this rule" against a sample, and the proactive templates. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../../platform/errors.js';
import { toIso } from '../../../platform/clock.js';
import { actorOf, appendAudit, principalOf, ZWorkspaceParams } from '../../workspaces/index.js';
import { customerOfIdentifier } from '../../customers/index.js';
import type { FollowupDeps } from '../deps.js';
import { ZPolicyInput } from '../teams/team.schema.js';
import { createPolicy, getTeam, policyOfKind, policyView } from '../teams/team.store.js';
import { ZPolicy } from '../teams/team.schema.js';
import { findCycle } from './loop.js';
import { matchRule, type Occurrence } from './rule.match.js';
import { ZRuleInput, ZRulePatch, type Rule } from './rule.schema.js';
import { changeRule, createRule, deleteRule, getRule, listRules, parseDefinition } from './rule.store.js';
import { renderTemplate } from './template.js';
import { TEMPLATES, templateNamed } from './templates.js';

const ZRuleParams = ZWorkspaceParams.extend({ ruleId: z.string().min(1).max(64) });
const ZTemplateParams = ZWorkspaceParams.extend({ name: z.string().min(1).max(64) });

const ZRuleView = z.object({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  definition: z.unknown(),
  template: z.string().nullable(),
  loopDetectedAt: z.string().nullable().describe('when the loop guard last stopped this rule'),
  loopDetail: z.unknown(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const ruleView = (r: Rule) => ({
  id: r.id,
  name: r.name,
  enabled: r.enabled,
  definition: r.definition,
  template: r.template,
  loopDetectedAt: toIso(r.loopDetectedAt),
  loopDetail: r.loopDetail,
  createdAt: toIso(r.createdAt) as string,
  updatedAt: toIso(r.updatedAt) as string,
});

const ZRecord = z.record(z.string(), z.unknown());
const ZSample = z.union([
  z.object({ event: z.object({ type: z.enum(['track', 'identify']).default('track'), event: z.string().max(200).optional(), userId: z.string().max(300).optional(), properties: ZRecord.optional(), traits: ZRecord.optional() }).strict() }).strict(),
  z
    .object({
      feedback: z
        .object({
          score: z.number().nullable().default(null),
          category: z.string().nullable().default(null),
          metric: z.string().nullable().default('nps'),
          surveyId: z.string().default('srv_sample'),
          surveyName: z.string().default('Sample survey'),
          channel: z.string().default('link'),
          sentiment: z.string().nullable().default(null),
          themes: z.array(z.string()).default([]),
          complete: z.boolean().default(true),
          respondent: z.object({ kind: z.enum(['user_id', 'email', 'anonymous_id']), value: z.string().max(300) }).optional(),
        })
        .strict(),
    })
    .strict(),
  z.object({ tag: z.string().min(1).max(100), userId: z.string().max(300).optional() }).strict(),
]);

const ZTestRequest = z
  .object({
    rule: z.unknown().describe('a rule definition (need not be saved)'),
    sample: ZSample,
    customer: z.object({ name: z.string().nullable().default(null), email: z.string().nullable().default(null), traits: ZRecord.default({}) }).optional().describe('a sample customer; else the one behind the sample’s user id, if known'),
    count: z.number().int().min(0).optional().describe('events the counting condition would find (this one included)'),
  })
  .strict();

const ZTestResult = z.object({
  matched: z.boolean(),
  reasons: z.array(z.string()),
  actions: z.array(z.record(z.string(), z.unknown())),
  loop: z.array(z.string()).nullable().describe('a cycle through the enabled rules this rule would close'),
});

export const ruleRoutes =
  (deps: FollowupDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const read = { auth: { permission: 'followups.read' as const } };
    const manage = { auth: { permission: 'followups.manage' as const } };
    const tags = ['follow-up'];
    const db = deps.store.db;
    const base = '/api/workspaces/:workspaceId/followups';

    app.get(`${base}/rules`, { schema: { tags, summary: 'Rules', params: ZWorkspaceParams, response: { 200: z.object({ rules: z.array(ZRuleView) }) } }, config: read }, async (request) => ({
      rules: (await listRules(db, request.params.workspaceId)).map(ruleView),
    }));
    app.post(
      `${base}/rules`,
      { schema: { tags, summary: 'Create a rule (refused with the path of each fault, or with the loop it would close)', params: ZWorkspaceParams, body: ZRuleInput, response: { 201: ZRuleView } }, config: manage },
      async (request, reply) => {
        const ws = request.params.workspaceId;
        const now = deps.clock.now();
        const rule = await db.transaction().execute(async (trx) => {
          const r = await createRule(trx, ws, request.body, now);
          await appendAudit(trx, { workspaceId: ws, actor: actorOf(principalOf(request)), action: 'followup.rule.create', target: { type: 'rule', id: r.id }, details: { name: r.name }, at: now });
          return r;
        });
        return reply.code(201).send(ruleView(rule));
      },
    );
    app.get(`${base}/rules/:ruleId`, { schema: { tags, summary: 'One rule', params: ZRuleParams, response: { 200: ZRuleView } }, config: read }, async (request) =>
      ruleView(await getRule(db, request.params.workspaceId, request.params.ruleId)),
    );
    app.patch(`${base}/rules/:ruleId`, { schema: { tags, summary: 'Change, enable or disable a rule', params: ZRuleParams, body: ZRulePatch, response: { 200: ZRuleView } }, config: manage }, async (request) => {
      const { workspaceId: ws, ruleId } = request.params;
      const now = deps.clock.now();
      return ruleView(
        await db.transaction().execute(async (trx) => {
          const r = await changeRule(trx, ws, ruleId, request.body, now);
          await appendAudit(trx, { workspaceId: ws, actor: actorOf(principalOf(request)), action: 'followup.rule.update', target: { type: 'rule', id: ruleId }, details: { name: r.name, enabled: r.enabled }, at: now });
          return r;
        }),
      );
    });
    app.delete(`${base}/rules/:ruleId`, { schema: { tags, summary: 'Delete a rule (its tasks stay)', params: ZRuleParams }, config: manage }, async (request, reply) => {
      const { workspaceId: ws, ruleId } = request.params;
      const now = deps.clock.now();
      await db.transaction().execute(async (trx) => {
        await deleteRule(trx, ws, ruleId);
        await appendAudit(trx, { workspaceId: ws, actor: actorOf(principalOf(request)), action: 'followup.rule.delete', target: { type: 'rule', id: ruleId }, at: now });
      });
      return reply.code(204).send();
    });

    app.post(
      `${base}/rules/test`,
      {
        schema: { tags, summary: 'Test a rule against a sample event, answer or tag: what would fire (changes nothing)', params: ZWorkspaceParams, body: ZTestRequest, response: { 200: ZTestResult } },
        config: read,
      },
      async (request) => {
        const ws = request.params.workspaceId;
        const definition = parseDefinition(request.body.rule, 'rule');
        const sample = request.body.sample;
        const lookupId = 'event' in sample ? sample.event.userId : 'feedback' in sample ? sample.feedback.respondent?.value : sample.userId;
        const lookupKind = 'feedback' in sample ? (sample.feedback.respondent?.kind ?? 'user_id') : 'user_id';
        const found = request.body.customer ? undefined : lookupId ? await customerOfIdentifier(db, ws, lookupKind, lookupId) : undefined;
        const customer = request.body.customer
          ? { id: 'sample', ...request.body.customer }
          : found
            ? { id: found.customerId, name: found.name, email: found.email, traits: found.traits }
            : null;
        let occ: Occurrence;
        let context: Record<string, unknown>;
        const customerContext = customer ? { id: customer.id, name: customer.name, email: customer.email, traits: customer.traits } : {};
        if ('event' in sample) {
          const e = { name: sample.event.event ?? null, type: sample.event.type, properties: sample.event.properties ?? null, traits: sample.event.traits ?? null };
          occ = sample.event.type === 'identify' ? { kind: 'profile', event: e, tag: null, customer } : { kind: 'event', event: e, customer };
          context = { event: { ...e, properties: e.properties ?? {}, traits: e.traits ?? {} }, customer: customerContext };
        } else if ('feedback' in sample) {
          const { respondent: _r, ...f } = sample.feedback;
          occ = { kind: 'feedback', feedback: f, customer };
          context = { feedback: f, customer: customerContext };
        } else {
          occ = { kind: 'profile', event: null, tag: sample.tag, customer };
          context = { customer: customerContext };
        }
        const result = matchRule(definition, occ, request.body.count ?? (definition.count ? 1 : undefined));
        const actions = result.matched
          ? definition.actions.map((a) => {
              if (a.type === 'create_task') return { type: a.type, title: renderTemplate(a.title, context), priority: a.priority, slaKind: a.slaKind, assign: a.assign };
              if (a.type === 'notify') return { type: a.type, target: a.target, message: a.message ? renderTemplate(a.message, context, 1000) : null };
              return { ...a };
            })
          : [];
        const others = (await listRules(db, ws, true)).map((r) => ({ id: r.id, definition: r.definition }));
        const loop = findCycle([...others, { id: 'this-rule', definition }], 'this-rule');
        return { matched: result.matched, reasons: result.reasons, actions, loop };
      },
    );

    app.get(
      `${base}/templates`,
      {
        schema: {
          tags,
          summary: 'Proactive templates, ready to enable',
          params: ZWorkspaceParams,
          response: { 200: z.object({ templates: z.array(z.object({ name: z.string(), title: z.string(), description: z.string(), enabled: z.boolean(), ruleId: z.string().nullable() })) }) },
        },
        config: read,
      },
      async (request) => {
        const rules = await listRules(db, request.params.workspaceId);
        return {
          templates: TEMPLATES.map((t) => {
            const r = rules.find((x) => x.template === t.name);
            return { name: t.name, title: t.title, description: t.description, enabled: r?.enabled ?? false, ruleId: r?.id ?? null };
          }),
        };
      },
    );

    app.post(
      `${base}/templates/:name/enable`,
      {
        schema: {
          tags,
          summary: 'Enable a proactive template: its SLA policy (unless one of its kind exists) and its rule, once',
          params: ZTemplateParams,
          body: z.object({ teamId: z.string().min(1).max(64).optional() }).strict().default({}),
          response: { 200: z.object({ rule: ZRuleView, policy: ZPolicy, created: z.boolean() }), 201: z.object({ rule: ZRuleView, policy: ZPolicy, created: z.boolean() }) },
        },
        config: manage,
      },
      async (request, reply) => {
        const { workspaceId: ws, name } = request.params;
        const template = templateNamed(name);
        if (!template) throw new AppError('TEMPLATE_NOT_FOUND', `no template "${name}"; there are ${TEMPLATES.map((t) => t.name).join(', ')}`);
        const options = { teamId: request.body.teamId };
        const now = deps.clock.now();
        const out = await db.transaction().execute(async (trx) => {
          if (options.teamId) await getTeam(trx, ws, options.teamId);
          const definition = parseDefinition(template.rule(options), 'template');
          const kind = definition.actions.find((a) => a.type === 'create_task');
          const policyInput = ZPolicyInput.parse(template.policy(options));
          const policy = (kind?.type === 'create_task' ? await policyOfKind(trx, ws, kind.slaKind) : undefined) ?? (await createPolicy(trx, ws, policyInput, now));
          const existing = (await listRules(trx, ws)).find((r) => r.template === name);
          if (existing) {
            const rule = existing.enabled ? existing : await changeRule(trx, ws, existing.id, { enabled: true }, now);
            return { rule, policy, created: false };
          }
          const rule = await createRule(trx, ws, { name: template.title, enabled: true, definition, template: name }, now);
          await appendAudit(trx, { workspaceId: ws, actor: actorOf(principalOf(request)), action: 'followup.template.enable', target: { type: 'rule', id: rule.id }, details: { template: name }, at: now });
          return { rule, policy, created: true };
        });
        return reply.code(out.created ? 201 : 200).send({ rule: ruleView(out.rule), policy: policyView(out.policy), created: out.created });
      },
    );
  };
