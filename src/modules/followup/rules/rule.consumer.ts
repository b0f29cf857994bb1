/**
 * Rules as a subscriber. Per workspace it follows two logs, in order, each with its cursor
 * moved in the transaction that acted on what it read (a crash repeats nothing, loses nothing):
 *
 * - the event log (`eventsAfter`, cursor `followup.events`): track events that rules name,
 *   identify calls (profile changes), events counted by "n in a window" conditions, and the
 *   contact events of the follow-up settings, which stop the clocks of their customer's tasks;
 * - the outbox (cursor `followup.feedback`): `feedback.received` answers, and
 *   `followup.profile_tagged` (a rule's tag, with its causation chain).
 *
 * Firing is idempotent per (rule, source): a re-delivered event or an edited answer fires a
 * rule once (a ledger row, and the tasks' unique index).
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../../../platform/clock.js';
import { newId } from '../../../platform/ids.js';
import type { Logger } from '../../../platform/logger.js';
import { appendFacts, BatchReads, BatchWrites, followFacts, readCursor, recordFacts, registerFollower, scheduleFollower, startFollower, upsertSourceRecords, writeCursor, type Database, type Fact, type JobQueue, type Store, type Worker, internalTransaction } from '../../../store/index.js';
import { customerOfIdentifier, customersOfIdentifiers, identifierKey, type CustomerContact } from '../../customers/index.js';
import { FEEDBACK_RECEIVED, type FeedbackReceived } from '../../feedback/index.js';
import { eventsAfter, type LoggedEvent } from '../../ingest/index.js';
import { readFollowupSettings } from '../settings.js';
import { notify } from '../tasks/notice.js';
import { contactTask, createTask, type TaskContext } from '../tasks/task.service.js';
import type { TaskRow } from '../tasks/task.store.js';
import { checkChain } from './loop.js';
import { matchRule, triggerApplies, type Occurrence, type OccurrenceCustomer } from './rule.match.js';
import type { Rule } from './rule.schema.js';
import { flagLoop, listRules } from './rule.store.js';
import { renderTemplate } from './template.js';

export const RULES_QUEUE = 'followup.rules';
export const EVENTS_CURSOR = 'followup.events';
export const FACTS_CURSOR = 'followup.feedback';
export const PROFILE_TAGGED = 'followup.profile_tagged';
export const SURVEY_REQUESTED = 'followup.survey_requested';
/**
 * Items a batch reads. On PostgreSQL each statement is a round trip that waits for a turn of a
 * busy event loop, and a batch costs some thirty of them whatever its size: 500 a batch kept up
 * with 1 000 new leads a second where 100 fell behind (bench/followup-latency.ts). On SQLite a
 * batch holds the one connection ingestion also needs, so it stays short.
 */
const BATCH = { sqlite: 100, postgres: 500 } as const;
/** An event this much older than its processing (a back-filled import) fires nothing. */
export const STALE_AFTER_MS = 3 * 86_400_000;
/** How long a survey a rule sent is taken as the cause of its answer. */
const CAUSATION_WINDOW_MS = 30 * 86_400_000;
const DAY = 86_400_000;

export interface RuleDeps {
  store: Store;
  clock: Clock;
  queue: JobQueue;
  publicUrl?: string | undefined;
  logger?: Logger | undefined;
}

export interface Respondent {
  kind: 'user_id' | 'email' | 'anonymous_id';
  value: string;
}

const EMAIL = /^[^\s@<>"(),;:]+@[^\s@<>"(),;:]+\.[^\s@<>"(),;:]+$/;

/** Who an event is about: its user id, else an e-mail it carries, else its anonymous id. */
export function respondentOf(e: Pick<LoggedEvent, 'userId' | 'anonymousId' | 'traits' | 'contextTraits' | 'properties'>): Respondent | undefined {
  if (e.userId) return { kind: 'user_id', value: e.userId.slice(0, 300) };
  for (const source of [e.traits, e.contextTraits, e.properties]) {
    const v = source?.email;
    if (typeof v === 'string' && v.length <= 300 && EMAIL.test(v.trim())) return { kind: 'email', value: v.trim() };
  }
  if (e.anonymousId) return { kind: 'anonymous_id', value: e.anonymousId.slice(0, 300) };
  return undefined;
}

const subjectOf = (r: { kind: string; value: string }) => `${r.kind}:${r.value}`;

const customerOf = (c: CustomerContact | undefined): OccurrenceCustomer | null => (c ? { id: c.customerId, name: c.name, email: c.email, traits: c.traits } : null);

/** What one batch produced, for the caller's counts and tests. */
export interface BatchResult {
  read: number;
  tasks: string[];
  contacted: string[];
  stopped: { ruleId: string; reason: string; chain: string[] }[];
}

/** What an occurrence came from; a rule fires at most once per rule and source. */
type Source = { type: 'event' | 'feedback' | 'tag'; id: string };
/** The firing ledger's key of a source: `fire` checks it, `readFired` reads it for a batch. */
const refOf = (source: Source): string => `${source.type}:${source.id}`;

const emptyResult = (): BatchResult => ({ read: 0, tasks: [], contacted: [], stopped: [] });

/**
 * The work of one transaction: the context every occurrence is handled in. What every item of
 * the batch shares is read once (policies, calendars, members, targets: `ctx.reads`; the firing
 * ledger: `readFired`), and the rows nothing in the batch reads back (firings, task events,
 * deadline and delivery jobs, notifications, timeline records) are written at its end with one
 * INSERT per table (`ctx.writes`, `flush`), in the same transaction, before its facts.
 */
class Batch {
  readonly facts: Fact[] = [];
  readonly result = emptyResult();
  private readonly customers = new Map<string, CustomerContact | undefined>();
  /** `ruleId|ref` of the firings recorded, before this batch (read once) and in it. */
  private readonly fired = new Set<string>();

  constructor(
    readonly ctx: TaskContext,
    readonly workspaceId: string,
    readonly rules: Rule[],
  ) {}

  /** The customers of a batch's respondents, read together (a few statements, not five a respondent) before its items are handled. */
  async readCustomers(respondents: readonly (Respondent | undefined)[]): Promise<void> {
    const todo = [...new Map(respondents.flatMap((r) => (r && !this.customers.has(subjectOf(r)) ? [[subjectOf(r), r] as const] : []))).values()];
    if (todo.length === 0) return;
    const found = await customersOfIdentifiers(this.ctx.db, this.workspaceId, todo);
    for (const r of todo) this.customers.set(subjectOf(r), found.get(identifierKey(r.kind, r.value)));
  }

  async customer(r: Respondent): Promise<CustomerContact | undefined> {
    const key = subjectOf(r);
    if (!this.customers.has(key)) this.customers.set(key, await customerOfIdentifier(this.ctx.db, this.workspaceId, r.kind, r.value));
    return this.customers.get(key);
  }

  /** Count-condition ledger: "n events named X for this customer within d days". */
  async countWithin(name: string, subjects: string[], from: number, to: number): Promise<number> {
    const row = await this.ctx.db
      .selectFrom('followup_occurrences')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', this.workspaceId)
      .where('name', '=', name)
      .where('subject', 'in', subjects)
      .where('at', '>', from)
      .where('at', '<=', to)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** The firing ledger for these sources and the batch's rules: one statement for the batch. */
  async readFired(sources: readonly Source[]): Promise<void> {
    if (sources.length === 0 || this.rules.length === 0) return;
    const refs = sources.map(refOf);
    const rows = await this.ctx.db
      .selectFrom('followup_emissions')
      .select(['subject', 'ref'])
      .where('workspace_id', '=', this.workspaceId)
      .where('kind', '=', 'fired')
      .where('subject', 'in', this.rules.map((r) => r.id))
      .where('ref', 'in', [...new Set(refs)])
      .execute();
    for (const r of rows) this.fired.add(`${r.subject}|${r.ref}`);
  }

  /** Write the batch's write-behind rows: in its transaction, before its facts. */
  async flush(): Promise<void> {
    await this.ctx.writes?.flush(this.ctx.db);
  }

  /** Run a matched rule's actions for one occurrence, unless it already fired for this source or it would loop. */
  async fire(rule: Rule, occ: Occurrence, respondent: Respondent, chain: readonly string[], source: Source, triggerAt: number, context: Record<string, unknown>): Promise<void> {
    const { db, now } = this.ctx;
    const ref = refOf(source);
    // The ledger was read for the whole batch (readFired) and holds this batch's firings too.
    if (this.fired.has(`${rule.id}|${ref}`)) return;
    const verdict = checkChain(rule.id, chain);
    if (!verdict.ok) {
      await flagLoop(db, this.workspaceId, rule.id, { reason: verdict.reason, chain: verdict.chain, source, at: new Date(now).toISOString() }, now);
      this.result.stopped.push({ ruleId: rule.id, reason: verdict.reason, chain: verdict.chain });
      return;
    }
    this.fired.add(`${rule.id}|${ref}`);
    this.ctx.writes?.insert('followup_emissions', { workspace_id: this.workspaceId, id: newId('emi', now), rule_id: rule.id, kind: 'fired', subject: rule.id, ref, chain: JSON.stringify(verdict.chain), created_at: now });
    const customer = occ.customer;
    let taskId: string | null = null;
    let task: TaskRow | undefined;
    for (const [i, action] of rule.definition.actions.entries()) {
      switch (action.type) {
        case 'create_task': {
          const created = await createTask(this.ctx, {
            workspaceId: this.workspaceId,
            ruleId: rule.id,
            action,
            title: renderTemplate(action.title, context) || rule.name,
            respondent,
            customerId: customer?.id ?? null,
            traits: customer?.traits ?? null,
            source,
            triggerAt,
          }, { unseen: true });
          taskId = created.row.id;
          task = created.row;
          if (created.created) this.result.tasks.push(created.row.id);
          this.facts.push(...created.facts);
          break;
        }
        case 'notify':
          await notify(
            this.ctx,
            {
              workspaceId: this.workspaceId,
              taskId,
              target: action.target,
              event: taskId ? 'task.created' : 'rule.fired',
              title: `${rule.name}: ${customer?.name ?? respondent.value}`,
              text: action.message ? renderTemplate(action.message, context, 1000) : `Rule "${rule.name}" fired for ${customer?.name ?? respondent.value}.`,
              data: { ruleId: rule.id, taskId, respondent, customerId: customer?.id ?? null, source },
            },
            `rule:${rule.id}:${ref}:a${i}`,
            task,
          );
          break;
        case 'send_survey':
          // The feedback module sends it; the answer will carry this chain (see causationOf).
          await db
            .insertInto('followup_emissions')
            .values({ workspace_id: this.workspaceId, id: newId('emi', now), rule_id: rule.id, kind: 'survey', subject: subjectOf(respondent), ref: action.surveyId, chain: JSON.stringify(verdict.chain), created_at: now })
            .execute();
          this.facts.push({ topic: SURVEY_REQUESTED, subject: subjectOf(respondent), payload: { ruleId: rule.id, surveyId: action.surveyId, respondent, chain: verdict.chain, source } });
          break;
        case 'tag_profile':
          await this.tag(rule, respondent, customer, action.tag, verdict.chain, source);
          break;
      }
    }
  }

  /** A tag is a trait of our own silo's contact record for the identifier; the change is a fact rules follow. */
  private async tag(rule: Rule, respondent: Respondent, customer: OccurrenceCustomer | null, tag: string, chain: string[], source: unknown): Promise<void> {
    const { db, now } = this.ctx;
    const externalId = `tags:${subjectOf(respondent)}`;
    const existing = await db.selectFrom('source_records').select('data').where('workspace_id', '=', this.workspaceId).where('source', '=', 'emptychair').where('kind', '=', 'contact').where('external_id', '=', externalId).executeTakeFirst();
    const before = existing ? (JSON.parse(typeof existing.data === 'string' ? existing.data : JSON.stringify(existing.data)) as { tags?: unknown }).tags : customer?.traits.tags;
    const tags = [...new Set([...(Array.isArray(before) ? before.filter((t): t is string => typeof t === 'string') : []), tag])];
    const field = respondent.kind === 'user_id' ? 'userId' : respondent.kind === 'email' ? 'email' : 'anonymousId';
    const record = { workspace_id: this.workspaceId, source: 'emptychair', kind: 'contact', external_id: externalId, data: JSON.stringify({ [field]: respondent.value, tags }), occurred_at: now, imported_at: now, updated_at: now };
    await upsertSourceRecords(db, [record]).execute();
    this.facts.push(...recordFacts([record]), { topic: PROFILE_TAGGED, subject: subjectOf(respondent), payload: { ruleId: rule.id, respondent, tag, tags, chain, source } });
  }

  /** Every rule that applies to an occurrence, matched and fired. */
  async offer(occ: Occurrence, respondent: Respondent, chain: readonly string[], source: Source, triggerAt: number, context: Record<string, unknown>, counts?: (rule: Rule) => Promise<number | undefined>): Promise<void> {
    for (const rule of this.rules) {
      if (!triggerApplies(rule.definition, occ)) continue;
      const count = counts ? await counts(rule) : undefined;
      if (!matchRule(rule.definition, occ, count).matched) continue;
      await this.fire(rule, occ, respondent, chain, source, triggerAt, context);
    }
  }
}

function eventContext(e: LoggedEvent, customer: CustomerContact | undefined, rule?: Rule): Record<string, unknown> {
  return {
    event: { name: e.name, type: e.type, properties: e.properties ?? {}, traits: e.traits ?? e.contextTraits ?? {} },
    customer: customer ? { id: customer.customerId, name: customer.name, email: customer.email, traits: customer.traits } : {},
    rule: rule ? { name: rule.name } : {},
  };
}

async function handleEvent(batch: Batch, e: LoggedEvent, contactEvents: ReadonlySet<string>, countedNames: ReadonlySet<string>): Promise<void> {
  const respondent = respondentOf(e);
  if (!respondent) return;
  const { ctx, workspaceId } = batch;
  const subject = subjectOf(respondent);
  if (e.type === 'track' && e.name !== null && countedNames.has(e.name)) {
    await ctx.db
      .insertInto('followup_occurrences')
      .values({ workspace_id: workspaceId, name: e.name, subject, event_id: e.id, at: e.timestamp })
      .onConflict((oc) => oc.columns(['workspace_id', 'name', 'subject', 'event_id']).doNothing())
      .execute();
  }
  if (e.type === 'track' && e.name !== null && contactEvents.has(e.name)) await contactByEvent(batch, e, respondent);

  const probe: Occurrence =
    e.type === 'identify'
      ? { kind: 'profile', event: { name: e.name, type: e.type, properties: e.properties, traits: e.traits }, tag: null, customer: null }
      : { kind: 'event', event: { name: e.name, type: e.type, properties: e.properties, traits: e.traits ?? e.contextTraits }, customer: null };
  if (!batch.rules.some((r) => triggerApplies(r.definition, probe))) return;
  if (ctx.now - e.timestamp > STALE_AFTER_MS) return;
  const customer = await batch.customer(respondent);
  const occ = { ...probe, customer: customerOf(customer) } as Occurrence;
  const subjects = customer ? [...new Set([subject, ...customer.identifiers.map(subjectOf)])] : [subject];
  await batch.offer(occ, respondent, [], { type: 'event', id: e.id }, e.timestamp, eventContext(e, customer), async (rule) =>
    rule.definition.count ? batch.countWithin(rule.definition.count.event, subjects, e.timestamp - rule.definition.count.withinDays * DAY, e.timestamp) : undefined,
  );
}

/** A contact event stops the first-contact clock of every open task of its customer that started before it. */
async function contactByEvent(batch: Batch, e: LoggedEvent, respondent: Respondent): Promise<void> {
  const { ctx, workspaceId } = batch;
  const customer = await batch.customer(respondent);
  const ids = customer ? [...customer.identifiers, respondent] : [respondent];
  // Tasks this batch made before the contact are among its pending rows: write them first.
  await batch.flush();
  const tasks: TaskRow[] = await ctx.db
    .selectFrom('followup_tasks')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('status', 'in', ['open', 'waiting'])
    .where('contacted_at', 'is', null)
    .where('started_at', '<=', e.timestamp)
    .where((eb) =>
      eb.or([
        ...ids.map((i) => eb.and([eb('respondent_kind', '=', i.kind), eb('respondent_value', '=', i.value)])),
        ...(customer ? [eb('customer_id', '=', customer.customerId)] : []),
      ]),
    )
    .limit(200)
    .execute();
  for (const t of tasks) {
    const done = await contactTask(ctx, t, `event:${e.name ?? 'track'}`, e.timestamp);
    batch.facts.push(...done.facts);
    batch.result.contacted.push(t.id);
  }
}

/** The chain an answer carries: that of the rule's survey request it answers, if any. */
async function causationOf(db: Kysely<Database>, workspaceId: string, f: FeedbackReceived, at: number): Promise<string[]> {
  const row = await db
    .selectFrom('followup_emissions')
    .select('chain')
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', 'survey')
    .where('subject', '=', subjectOf(f.respondent))
    .where('ref', '=', f.surveyId)
    .where('created_at', '>', at - CAUSATION_WINDOW_MS)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return row ? (JSON.parse(row.chain) as string[]) : [];
}

async function handleFeedback(batch: Batch, f: FeedbackReceived): Promise<void> {
  const occProbe: Occurrence = {
    kind: 'feedback',
    feedback: { score: f.score, category: f.category, metric: f.metric, surveyId: f.surveyId, surveyName: f.surveyName, channel: f.channel, sentiment: f.sentiment?.label ?? null, themes: f.themes, complete: f.complete },
    customer: null,
  };
  if (!batch.rules.some((r) => triggerApplies(r.definition, occProbe))) return;
  const respondent = f.respondent as Respondent;
  const customer = await batch.customer(respondent);
  const occ = { ...occProbe, customer: customerOf(customer) } as Occurrence;
  const answeredAt = Date.parse(f.answeredAt);
  const chain = await causationOf(batch.ctx.db, batch.workspaceId, f, batch.ctx.now);
  const context = {
    feedback: { ...occProbe.feedback, themes: f.themes },
    customer: customer ? { id: customer.customerId, name: customer.name, email: customer.email, traits: customer.traits } : { email: respondent.kind === 'email' ? respondent.value : undefined },
  };
  // One task per answer and rule: an edited answer is the same customer need (source = the response).
  await batch.offer(occ, respondent, chain, { type: 'feedback', id: f.responseId }, Number.isFinite(answeredAt) ? answeredAt : batch.ctx.now, context);
}

interface ProfileTagged {
  ruleId: string;
  respondent: Respondent;
  tag: string;
  chain: string[];
}

async function handleTag(batch: Batch, factId: string, p: ProfileTagged): Promise<void> {
  const probe: Occurrence = { kind: 'profile', event: null, tag: p.tag, customer: null };
  if (!batch.rules.some((r) => triggerApplies(r.definition, probe))) return;
  const customer = await batch.customer(p.respondent);
  const occ: Occurrence = { ...probe, customer: customerOf(customer) };
  const context = { customer: customer ? { id: customer.customerId, name: customer.name, email: customer.email, traits: customer.traits } : {} };
  await batch.offer(occ, p.respondent, p.chain, { type: 'tag', id: factId }, batch.ctx.now, context);
}

function eventNames(rules: Rule[], contactEvents: readonly string[]): { names: Set<string> | undefined; counted: Set<string> } {
  const counted = new Set(rules.flatMap((r) => (r.definition.count ? [r.definition.count.event] : [])));
  // A profile rule on identify calls needs every event type, not only named track events.
  if (rules.some((r) => r.definition.trigger.kind === 'profile' && r.definition.trigger.tag === undefined)) return { names: undefined, counted };
  const names = new Set([...contactEvents, ...counted]);
  for (const r of rules) if (r.definition.trigger.kind === 'event') names.add(r.definition.trigger.event);
  return { names, counted };
}

/** Apply what is waiting in one workspace, both logs, batch by batch. */
export async function consumeFollowups(deps: RuleDeps, workspaceId: string, options: { batch?: number; budgetMs?: number } = {}): Promise<BatchResult & { more: boolean }> {
  const limit = options.batch ?? BATCH[deps.store.dialect.name];
  const deadline = performance.now() + (options.budgetMs ?? Number.POSITIVE_INFINITY);
  const total = { ...emptyResult(), more: false };
  const add = (r: BatchResult) => {
    total.read += r.read;
    total.tasks.push(...r.tasks);
    total.contacted.push(...r.contacted);
    total.stopped.push(...r.stopped);
  };
  // Answers first: a contact event read in the same pass then finds the task an earlier answer made.
  for (const log of ['facts', 'events'] as const) {
    for (;;) {
      if (performance.now() > deadline) return { ...total, more: true };
      // Read before the transaction: on SQLite it holds the one connection.
      const rules = await listRules(deps.store.db, workspaceId, true);
      const settings = await readFollowupSettings(deps.store.db, workspaceId);
      const r = await internalTransaction(deps.store, async (trx) => {
        const batch = new Batch({ db: trx, queue: deps.queue, now: deps.clock.now(), publicUrl: deps.publicUrl, reads: new BatchReads(), writes: new BatchWrites() }, workspaceId, rules);
        if (log === 'events') {
          const after = await readCursor(trx, workspaceId, EVENTS_CURSOR);
          const { names, counted } = eventNames(rules, settings.contactEvents);
          const read = await eventsAfter(trx, deps.store.dialect.name, workspaceId, after, { limit, ...(names ? { names } : {}) });
          if (read.last === undefined) return batch.result;
          const contactEvents = new Set(settings.contactEvents);
          await batch.readFired(read.events.map((e) => ({ type: 'event', id: e.id })));
          await batch.readCustomers(read.events.map(respondentOf));
          for (const e of read.events) await handleEvent(batch, e, contactEvents, counted);
          batch.result.read = read.scanned;
          await writeCursor(trx, workspaceId, EVENTS_CURSOR, read.last, batch.ctx.now);
        } else {
          const after = await readCursor(trx, workspaceId, FACTS_CURSOR);
          const { facts, position } = await followFacts(trx, deps.store.dialect.name, workspaceId, { after, topics: [FEEDBACK_RECEIVED, PROFILE_TAGGED], limit });
          if (facts.length === 0) {
            if (position !== after) await writeCursor(trx, workspaceId, FACTS_CURSOR, position, batch.ctx.now);
            return batch.result;
          }
          await batch.readFired(facts.map((f): Source => (f.topic === FEEDBACK_RECEIVED ? { type: 'feedback', id: (f.payload as FeedbackReceived).responseId } : { type: 'tag', id: f.id })));
          await batch.readCustomers(facts.map((f) => (f.topic === FEEDBACK_RECEIVED ? (f.payload as FeedbackReceived).respondent : (f.payload as ProfileTagged).respondent) as Respondent));
          for (const f of facts) {
            if (f.topic === FEEDBACK_RECEIVED) await handleFeedback(batch, f.payload as FeedbackReceived);
            else await handleTag(batch, f.id, f.payload as ProfileTagged);
          }
          batch.result.read = facts.length;
          await writeCursor(trx, workspaceId, FACTS_CURSOR, position, batch.ctx.now);
        }
        // The batch's rows, then its facts last, just before commit.
        await batch.flush();
        await appendFacts(trx, workspaceId, batch.facts, batch.ctx.now);
        return batch.result;
      });
      add(r);
      // Whatever jobs the batch queued (deadlines, notices) are committed: wake this process's worker.
      if (r.read > 0) deps.store.changes.notify('jobs');
      if (r.read < limit) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return total;
}

/** At start-up: start following unless a run is already queued or running. */
export const startRules = (queue: JobQueue, clock: Clock): Promise<void> => startFollower(queue, clock, RULES_QUEUE);

export const scheduleRules = (queue: JobQueue, clock: Clock, delayMs: number): Promise<void> => scheduleFollower(queue, clock, RULES_QUEUE, delayMs);

/** One job follows both logs for about a minute, then schedules its successor (store/jobs/follower). */
export function registerRules(worker: Worker, deps: RuleDeps, options: { runMs?: number } = {}): void {
  registerFollower(worker, deps, RULES_QUEUE, (workspaceId) => consumeFollowups(deps, workspaceId, { budgetMs: 2000 }), { idleMs: 500, gatherMs: 10, runMs: options.runMs });
}
