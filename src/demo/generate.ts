/**
 * The demo company "Northwind Coffee Co.": a subscription + e-commerce coffee roaster.
 * Pure generation, no I/O: records come out customer by customer, so memory stays flat
 * at a million customers, and every customer is a function of (seed, index) alone.
 *
 * The causal story: each customer has a satisfaction disposition `s` and accumulates a
 * load of bad experiences `R` (slow first responses, poorly handled tickets). Their health
 * h = s − 0.8·R raises the BG/NBD dropout probability after each repeat purchase, the
 * monthly subscription cancellation hazard and the chance of leaving right after a bad
 * ticket. CSAT and NPS answers are noisy readings of the same h, so they predict churn.
 */
import {
  base32, beta, chance, clamp, exponential, gamma, hashString, intBetween, logit, logNormal,
  mix32, normal, permuteLow12, pick, round2, sigmoid, streamFor, uniform, weighted, type Random,
} from './samplers.js';
import {
  COMMENTS, COMPANY_CORE, COMPANY_PREFIX, COMPANY_SUFFIX, COUNTRIES, DEVICES, FIRST_NAMES, GLOBAL_MAIL,
  INDUSTRIES, PAGES, PLANS, PRODUCTS, SURNAMES, TICKET_SUBJECTS, UTM_SOURCES,
  type Country, type Region, type Sentiment, type TicketTopic,
} from './names.js';
import {
  emailVariant, nameVariant, nationalNumber, personalEmail, phoneVariant, slug, workEmail, type PersonName,
} from './variants.js';

export type DemoSource = 'crm' | 'billing' | 'support' | 'web' | 'hr' | 'survey';
export type DemoKind = 'contact' | 'account' | 'order' | 'subscription' | 'ticket' | 'feedback' | 'employee' | 'team' | 'event';

/** One row of `source_records` (without workspace and import times). */
export interface DemoRecord {
  source: DemoSource;
  kind: DemoKind;
  externalId: string;
  data: Record<string, unknown>;
  /** Epoch milliseconds. */
  occurredAt: number;
}

export interface DemoOptions {
  /** Number of customers (people who bought at least once), 1 … 10 000 000. */
  customers: number;
  /** Any 32-bit integer; the whole data set is a function of (seed, customers, asOf). */
  seed: number;
  /** The end of the two-year history, epoch ms. */
  asOf: number;
}

export interface DemoChunk {
  /** Customers generated so far (0 while the organisation and accounts are produced). */
  done: number;
  records: DemoRecord[];
}

/** Every demo external id starts with this, so the writer can find and replace a previous demo. */
export const DEMO_ID_PREFIX = 'nw-';
/** Bump when the generator's output changes for the same options. */
export const DEMO_VERSION = 1;
export const DEMO_COMPANY = 'Northwind Coffee Co.';
export const DEMO_COMPANY_DOMAIN = 'northwindcoffee.example';

export const DAY = 86_400_000;
const HOUR = 3_600_000;
const HISTORY_DAYS = 730;
const MONTH = 30.44 * DAY;

export const DEMO_KINDS: readonly DemoKind[] = ['team', 'employee', 'account', 'contact', 'order', 'subscription', 'ticket', 'feedback', 'event'];

export function validateDemoOptions(o: DemoOptions): void {
  if (!Number.isInteger(o.customers) || o.customers < 1 || o.customers > 10_000_000) {
    throw new RangeError(`customers must be an integer from 1 to 10 000 000, got ${o.customers}`);
  }
  if (!Number.isInteger(o.seed)) throw new RangeError(`seed must be an integer, got ${o.seed}`);
  if (!Number.isFinite(o.asOf)) throw new RangeError('asOf must be epoch milliseconds');
}

// ---------------------------------------------------------------- ids

/** A 7-character id for (silo, index): looks random inside blocks of 4 096, ascending across blocks. */
function idCode(seed: number, label: string, index: number): string {
  return base32(permuteLow12(index, mix32(seed, hashString(label))));
}

// ---------------------------------------------------------------- organisation

type TeamFunction = 'support' | 'billing' | 'success' | 'sales';

export interface DemoTeam {
  id: string;
  name: string;
  fn: TeamFunction;
  region: Region | 'global';
  managerId: string;
  /** Multiplies first-response times: > 1 is an understaffed team. */
  speed: number;
  agents: DemoAgent[];
}

export interface DemoAgent {
  id: string;
  name: string;
  firstName: string;
  /** Quality of handling, N(0, 0.6): raises CSAT, shortens responses. */
  skill: number;
}

export interface DemoOrg {
  teams: DemoTeam[];
  records: DemoRecord[];
  salesReps: DemoAgent[];
}

const TEAM_SPECS: readonly { fn: TeamFunction; region: Region | 'global'; share: number; label: string; key: string }[] = [
  { fn: 'support', region: 'americas', share: 0.3, label: 'Support Americas', key: 'support-am' },
  { fn: 'support', region: 'emea', share: 0.3, label: 'Support EMEA', key: 'support-emea' },
  { fn: 'support', region: 'apac', share: 0.08, label: 'Support APAC', key: 'support-apac' },
  { fn: 'billing', region: 'global', share: 0.14, label: 'Billing & Subscriptions', key: 'billing' },
  { fn: 'success', region: 'global', share: 0.1, label: 'Customer Success', key: 'success' },
  { fn: 'sales', region: 'global', share: 0.08, label: 'Sales', key: 'sales' },
];

const TITLES: Record<TeamFunction, [string, string]> = {
  support: ['Support Agent', 'Support Team Lead'],
  billing: ['Billing Specialist', 'Billing Team Lead'],
  success: ['Customer Success Manager', 'Head of Customer Success'],
  sales: ['Account Executive', 'Sales Manager'],
};

export function buildOrg(o: DemoOptions): DemoOrg {
  const rng = streamFor(o.seed, 'org', 0);
  const agentsTotal = clamp(Math.ceil(o.customers / 350), 12, 3000);
  const teams: DemoTeam[] = [];
  const records: DemoRecord[] = [];
  const emails = new Set<string>();
  let employeeNo = 0;
  const foundedAt = o.asOf - 6 * 365 * DAY;

  const newEmployee = (teamId: string, fn: TeamFunction, role: 'agent' | 'manager', managerId: string | null): DemoAgent => {
    employeeNo++;
    const er = streamFor(o.seed, 'employee', employeeNo);
    const [first] = pick(er, FIRST_NAMES);
    const last = pick(er, SURNAMES);
    let email = `${slug(first)}.${slug(last)}@${DEMO_COMPANY_DOMAIN}`;
    for (let k = 2; emails.has(email); k++) email = `${slug(first)}.${slug(last)}${k}@${DEMO_COMPANY_DOMAIN}`;
    emails.add(email);
    const id = `${DEMO_ID_PREFIX}emp-${String(employeeNo).padStart(5, '0')}`;
    const skill = normal(er, 0, 0.6);
    const hiredAt = o.asOf - Math.round(uniform(er, 20, 5 * 365)) * DAY;
    const country = weighted(er, COUNTRIES.map((c) => [c, c.weight] as const));
    records.push({
      source: 'hr',
      kind: 'employee',
      externalId: id,
      occurredAt: hiredAt,
      data: {
        employeeNumber: employeeNo,
        firstName: first,
        lastName: last,
        name: `${first} ${last}`,
        email,
        role,
        title: TITLES[fn][role === 'manager' ? 1 : 0],
        teamId,
        managerId,
        country: country.code,
        hiredAt,
        _truth: { skill: round2(skill) },
      },
    });
    return { id, name: `${first} ${last}`, firstName: first, skill };
  };

  for (const spec of TEAM_SPECS) {
    const n = Math.max(2, Math.round(spec.share * agentsTotal));
    const pods = Math.ceil(n / 12);
    for (let k = 0; k < pods; k++) {
      const id = `${DEMO_ID_PREFIX}team-${spec.key}-${k + 1}`;
      const size = Math.floor(n / pods) + (k < n % pods ? 1 : 0);
      const manager = newEmployee(id, spec.fn, 'manager', null);
      const agents: DemoAgent[] = [];
      for (let a = 0; a < size; a++) agents.push(newEmployee(id, spec.fn, 'agent', manager.id));
      // Most teams answer on time; about one in five is understaffed and slow.
      const speed = chance(rng, 0.2) ? uniform(rng, 1.8, 3) : logNormal(rng, 0.9, 0.25);
      const team: DemoTeam = { id, name: pods > 1 ? `${spec.label} ${k + 1}` : spec.label, fn: spec.fn, region: spec.region, managerId: manager.id, speed, agents };
      teams.push(team);
      const createdAt = foundedAt + Math.round(uniform(rng, 0, 3 * 365)) * DAY;
      records.push({
        source: 'hr',
        kind: 'team',
        externalId: id,
        occurredAt: createdAt,
        data: { name: team.name, function: spec.fn, region: spec.region, managerId: manager.id, size: size + 1, createdAt, _truth: { speed: round2(speed) } },
      });
    }
  }
  const salesReps = teams.filter((t) => t.fn === 'sales').flatMap((t) => t.agents);
  return { teams, records, salesReps };
}

// ---------------------------------------------------------------- accounts

export interface DemoAccount {
  id: string;
  name: string;
  domain: string;
  country: Country;
  createdAt: number;
  record: DemoRecord;
}

export const accountCount = (customers: number): number => Math.max(1, Math.round(customers * 0.04));

export function accountAt(o: DemoOptions, org: DemoOrg, index: number): DemoAccount {
  const rng = streamFor(o.seed, 'account', index);
  const p = COMPANY_PREFIX.length;
  const c = COMPANY_CORE.length;
  const s = COMPANY_SUFFIX.length;
  // Unique names: index → (prefix, core, suffix, generation), scrambled a little.
  const a = index % p;
  const b = (Math.floor(index / p) + a * 7) % c;
  const generation = Math.floor(index / (p * c));
  const suffix = COMPANY_SUFFIX[(generation + a + b) % s] ?? '';
  const base = `${COMPANY_PREFIX[a]} ${COMPANY_CORE[b]}${generation > 0 ? ` ${generation + 1}` : ''}`;
  const name = suffix ? `${base} ${suffix}` : base;
  const domain = `${slug(base)}.example`;
  const country = weighted(rng, COUNTRIES.map((x) => [x, x.weight] as const));
  const [city] = pick(rng, country.cities);
  const windowStart = o.asOf - HISTORY_DAYS * DAY;
  const createdAt = windowStart + Math.round(uniform(rng, -400, 600)) * DAY + intBetween(rng, 8, 18) * HOUR;
  const id = `${DEMO_ID_PREFIX}acc-${idCode(o.seed, 'account', index)}`;
  const owner = pick(rng, org.salesReps);
  const record: DemoRecord = {
    source: 'crm',
    kind: 'account',
    externalId: id,
    occurredAt: createdAt,
    data: {
      name,
      domain,
      industry: pick(rng, INDUSTRIES),
      employees: weighted(rng, [['1-10', 4], ['11-50', 4], ['51-200', 2], ['201-1000', 1], ['1000+', 0.4]] as const),
      city,
      country: country.code,
      ownerId: owner.id,
      createdAt,
    },
  };
  return { id, name, domain, country, createdAt, record };
}

// ---------------------------------------------------------------- customers

interface Ctx {
  o: DemoOptions;
  org: DemoOrg;
  accounts: number;
  windowStart: number;
  teamsBy: Map<string, DemoTeam[]>;
}

function makeCtx(o: DemoOptions, org: DemoOrg): Ctx {
  const teamsBy = new Map<string, DemoTeam[]>();
  for (const t of org.teams) {
    const key = t.fn === 'support' ? `support-${t.region}` : t.fn;
    teamsBy.set(key, [...(teamsBy.get(key) ?? []), t]);
  }
  return { o, org, accounts: accountCount(o.customers), windowStart: o.asOf - HISTORY_DAYS * DAY, teamsBy };
}

type Pending =
  | { t: number; type: 'purchase' }
  | { t: number; type: 'ticket'; topic: TicketTopic | null; orderId: string | null }
  | { t: number; type: 'survey' }
  | { t: number; type: 'subStart' }
  | { t: number; type: 'renewal' };

const sentimentOf = (score: number, scale: 'nps' | 'csat'): Sentiment =>
  scale === 'nps' ? (score >= 9 ? 'positive' : score >= 7 ? 'neutral' : 'negative') : score >= 4 ? 'positive' : score === 3 ? 'neutral' : 'negative';

function comment(rng: Random, sentiment: Sentiment, agent: string | null): string {
  const tpl = pick(rng, COMMENTS[sentiment]);
  return tpl.replace('{agent}', agent ?? 'Your team').replace('{product}', pick(rng, PRODUCTS)[1]);
}

function anonymousId(rng: Random): string {
  const hex = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(rng.next() * 16)];
    return s;
  };
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[intBetween(rng, 0, 3)]}${hex(3)}-${hex(12)}`;
}

/** All records of customer `index`. */
function customerRecords(ctx: Ctx, index: number): DemoRecord[] {
  const { o, org } = ctx;
  const rng = streamFor(o.seed, 'customer', index);
  const out: DemoRecord[] = [];
  const personId = `person-${index}`;
  const [first, nicknames] = pick(rng, FIRST_NAMES);
  const name: PersonName = { first, last: pick(rng, SURNAMES), nicknames };
  const birthYear = intBetween(rng, 1950, 2004);

  const account = chance(rng, 0.25) ? accountAt(o, org, Math.floor(ctx.accounts * Math.pow(rng.next(), 1.6))) : null;
  const country = account && chance(rng, 0.85) ? account.country : weighted(rng, COUNTRIES.map((c) => [c, c.weight] as const));
  const [city, postPrefix] = pick(rng, country.cities);
  const street = `${intBetween(rng, 1, 240)} ${pick(rng, country.streets)}`;
  const postcode = `${postPrefix}${String(intBetween(rng, 0, 99)).padStart(2, '0')}`;
  const primaryEmail = personalEmail(rng, name, country, birthYear, GLOBAL_MAIL);
  const oldEmail = chance(rng, 0.12) ? personalEmail(rng, name, country, birthYear, GLOBAL_MAIL) : null;
  const work = account ? workEmail(rng, name, account.domain) : null;
  const phone = nationalNumber(rng, country);
  const currency = country.currency;

  // First purchase: more customers recently (the company grows), never before an account exists.
  let t0 = ctx.windowStart + (HISTORY_DAYS - 1) * DAY * Math.pow(rng.next(), 1 / 1.3) + intBetween(rng, 7, 22) * HOUR;
  if (account && t0 < account.createdAt) t0 = Math.min(o.asOf - DAY, account.createdAt + intBetween(rng, 1, 30) * DAY);

  // Latent traits. BG/NBD: λ ~ Gamma(r, α) per day, p ~ Beta(a, b); Gamma-Gamma spend.
  const lambda = gamma(rng, 0.9, 1 / 30);
  const p = beta(rng, 4, 40);
  const nu = gamma(rng, 4, 1 / 18);
  const spendScale = account ? 1.8 : 1;
  const s = normal(rng);
  const ticketRate = gamma(rng, 0.8, 1 / 400 / 0.8);
  const surveyed = chance(rng, 0.75);
  const respond = beta(rng, 2, 2.5);
  const wantsSubscription = chance(rng, account ? 0.45 : 0.3);

  const billingCode = idCode(o.seed, 'billing', index);
  const billingId = `${DEMO_ID_PREFIX}cus-${billingCode}`;
  const inCrm = account !== null || chance(rng, 0.45);
  const inWeb = chance(rng, 0.85);
  const webCode = idCode(o.seed, 'web', index);
  const anonId = anonymousId(rng);
  const webUserId = inWeb && chance(rng, 0.6) ? billingId : null;

  // Helpers for how this person shows up in each silo.
  const emailFor = (preferWork: boolean): string => {
    const base = preferWork && work ? work : oldEmail && chance(rng, 0.3) ? oldEmail : primaryEmail;
    return emailVariant(rng, base).email;
  };
  const phoneFor = (): string => phoneVariant(rng, phone, country);
  const truth = (variants: string[]): Record<string, unknown> => (variants.length ? { personId, variants } : { personId });

  let alive = true;
  let diedAt: number | null = null;
  let cause: string | null = null;
  let R = 0;
  const health = (): number => s - 0.8 * R;
  const die = (t: number, why: string): void => {
    if (!alive) return;
    alive = false;
    diedAt = t;
    cause = why;
  };

  const queue: Pending[] = [{ t: t0, type: 'purchase' }];
  queue.push({ t: t0 + exponential(rng, ticketRate) * DAY, type: 'ticket', topic: null, orderId: null });
  if (surveyed) queue.push({ t: t0 + uniform(rng, 10, 40) * DAY, type: 'survey' });
  if (wantsSubscription) queue.push({ t: t0 + exponential(rng, 1 / 30) * DAY, type: 'subStart' });

  let orders = 0;
  let tickets = 0;
  let answers = 0;
  let events = 0;
  let supportCreatedAt: number | null = null;
  const orderRecords: DemoRecord[] = [];
  const ticketRecords: DemoRecord[] = [];
  const otherRecords: DemoRecord[] = [];
  let sub: { plan: number; startPlan: number; startedAt: number; mrr: number; canceledAt: number | null; changes: { at: number; plan: string; mrr: number }[] } | null = null;
  const supportCode = idCode(o.seed, 'support', index);
  const supportId = `${DEMO_ID_PREFIX}req-${supportCode}`;

  const event = (t: number, data: Record<string, unknown>): void => {
    events++;
    otherRecords.push({
      source: 'web',
      kind: 'event',
      externalId: `${DEMO_ID_PREFIX}evt-${webCode}-${events}`,
      occurredAt: Math.round(t),
      data: { anonymousId: anonId, userId: webUserId, timestamp: Math.round(t), ...data, _truth: { personId } },
    });
  };

  while (queue.length > 0) {
    let k = 0;
    for (let j = 1; j < queue.length; j++) if ((queue[j] as Pending).t < (queue[k] as Pending).t) k = j;
    const ev = queue.splice(k, 1)[0] as Pending;
    const t = Math.round(ev.t);
    if (t >= o.asOf) continue;

    if (ev.type === 'purchase') {
      if (!alive) continue;
      orders++;
      const orderId = `${DEMO_ID_PREFIX}ord-${billingCode}-${orders}`;
      const total = round2(Math.max(4, gamma(rng, 6, 1 / nu) * spendScale));
      const lines = 1 + (chance(rng, 0.35) ? 1 : 0) + (chance(rng, 0.1) ? 1 : 0);
      const items: { sku: string; qty: number }[] = [];
      for (let l = 0; l < lines; l++) items.push({ sku: pick(rng, PRODUCTS)[0], qty: chance(rng, 0.8) ? 1 : intBetween(rng, 2, 4) });
      orderRecords.push({
        source: 'billing',
        kind: 'order',
        externalId: orderId,
        occurredAt: t,
        data: { customerId: billingId, orderNumber: orders, placedAt: t, currency, total, items, status: chance(rng, 0.02) ? 'refunded' : 'paid', channel: weighted(rng, [['web', 7], ['app', 2], ['phone', 1]] as const), _truth: { personId } },
      });
      if (inWeb && chance(rng, 0.5)) event(t - uniform(rng, 1, 90) * 60_000, { type: 'page', name: pick(rng, PAGES), properties: { device: pick(rng, DEVICES) } });
      if (chance(rng, account ? 0.08 : 0.06)) {
        queue.push({ t: t + uniform(rng, 1, 8) * DAY, type: 'ticket', topic: weighted(rng, [['delivery', 0.45], ['damaged', 0.3], ['refund', 0.25]] as const), orderId });
      }
      // BG/NBD: after every repeat purchase the customer may silently drop out.
      if (chance(rng, sigmoid(logit(p) - 3.5 * health()))) die(t, 'dropout');
      if (alive) queue.push({ t: t + exponential(rng, lambda) * DAY, type: 'purchase' });
    } else if (ev.type === 'ticket') {
      const spontaneous = ev.topic === null;
      if (spontaneous && !alive) continue;
      if (spontaneous) queue.push({ t: t + exponential(rng, ticketRate) * DAY, type: 'ticket', topic: null, orderId: null });
      tickets++;
      supportCreatedAt ??= t;
      const topic: TicketTopic = ev.topic ?? weighted(rng, [['billing', 0.2], ['subscription', sub ? 0.3 : 0.02], ['product', 0.25], ['account', 0.15], ['delivery', 0.2]] as const);
      const teamKey = topic === 'billing' || topic === 'subscription' || topic === 'refund'
        ? 'billing'
        : account && chance(rng, 0.4) ? 'success' : `support-${country.region}`;
      const team = pick(rng, ctx.teamsBy.get(teamKey) ?? org.teams);
      const agent = pick(rng, team.agents);
      const channel = weighted(rng, [['email', 0.45], ['chat', 0.25], ['web', 0.2], ['phone', 0.1]] as const);
      const median = channel === 'email' ? 5 : channel === 'web' ? 7 : channel === 'chat' ? 0.08 : 0.02;
      let frtHours = median * team.speed * Math.exp(-0.3 * agent.skill) * logNormal(rng, 1, 0.9);
      const weekday = new Date(t).getUTCDay();
      if ((weekday === 0 || weekday === 6) && (channel === 'email' || channel === 'web')) frtHours += uniform(rng, 14, 50);
      const firstResponseAt = t + Math.round(frtHours * HOUR);
      const solvedAt = firstResponseAt + Math.round(logNormal(rng, topic === 'product' ? 2 : 10, 1.1) * HOUR);
      const slow = frtHours > 24;
      const severity = topic === 'damaged' || topic === 'refund' || topic === 'delivery' ? 0.3 : 0;
      // How well it went, whether or not the customer tells us.
      const experience = 0.9 * s + 0.5 * agent.skill - 1.4 * (slow ? 1 : 0) - 0.25 * Math.log1p(frtHours / 4) - severity + normal(rng, 1.1, 0.5);
      const bad = (slow ? 1 : 0) + (experience < -0.9 ? 1.2 : experience < -0.3 ? 0.4 : 0);
      R += bad;
      const responded = firstResponseAt < o.asOf;
      const solved = solvedAt < o.asOf;
      const data: Record<string, unknown> = {
        requesterId: supportId,
        requesterEmail: emailFor(chance(rng, 0.6)),
        subject: pick(rng, TICKET_SUBJECTS[topic]),
        topic,
        channel,
        priority: topic === 'damaged' || topic === 'refund' ? 'high' : weighted(rng, [['normal', 8], ['low', 2], ['high', 1]] as const),
        status: solved ? 'solved' : responded ? 'pending' : 'new',
        teamId: team.id,
        assigneeId: agent.id,
        openedAt: t,
        firstResponseAt: responded ? firstResponseAt : null,
        solvedAt: solved ? solvedAt : null,
        orderId: ev.orderId,
      };
      if (solved && chance(rng, 0.45)) {
        const score = experience > 0.5 ? 5 : experience > -0.3 ? 4 : experience > -0.9 ? 3 : experience > -1.5 ? 2 : 1;
        const answeredAt = solvedAt + Math.round(uniform(rng, 0.2, 48) * HOUR);
        if (answeredAt < o.asOf) {
          data.csat = { score, answeredAt, comment: chance(rng, 0.4) ? comment(rng, sentimentOf(score, 'csat'), agent.firstName) : null };
        }
      }
      data._truth = { personId };
      ticketRecords.push({ source: 'support', kind: 'ticket', externalId: `${DEMO_ID_PREFIX}tkt-${supportCode}-${tickets}`, occurredAt: t, data });
      // A bad experience can end the relationship on the spot.
      if (alive && bad > 0 && chance(rng, sigmoid(-2.2 + 1.3 * bad - 0.8 * s))) die(Math.min(o.asOf - 1, solved ? solvedAt : t), 'experience');
    } else if (ev.type === 'survey') {
      if (!alive && diedAt !== null && t - diedAt > 90 * DAY) continue;
      if (chance(rng, alive ? respond : respond * 0.7)) {
        const latent = s - 0.7 * R + normal(rng, 0, 0.4);
        const score = clamp(Math.round(8 + 1.8 * latent), 0, 10);
        const answeredAt = t + Math.round(uniform(rng, 0.1, 72) * HOUR);
        if (answeredAt < o.asOf) {
          answers++;
          otherRecords.push({
            source: 'survey',
            kind: 'feedback',
            externalId: `${DEMO_ID_PREFIX}nps-${billingCode}-${answers}`,
            occurredAt: answeredAt,
            data: {
              survey: 'nps',
              score,
              comment: chance(rng, 0.55) ? comment(rng, sentimentOf(score, 'nps'), null) : null,
              respondentEmail: emailFor(false),
              customerId: billingId,
              channel: weighted(rng, [['email', 7], ['web', 2], ['in-app', 1]] as const),
              sentAt: t,
              answeredAt,
              _truth: { personId },
            },
          });
        }
      }
      if (alive) queue.push({ t: t + uniform(rng, 150, 210) * DAY, type: 'survey' });
    } else if (ev.type === 'subStart') {
      if (!alive) continue;
      const business = account !== null && chance(rng, 0.5);
      const plan = business ? (chance(rng, 0.7) ? 3 : 4) : weighted(rng, [[0, 0.45], [1, 0.4], [2, 0.15]] as const);
      const planDef = PLANS[plan] as (typeof PLANS)[number];
      sub = { plan, startPlan: plan, startedAt: t, mrr: planDef.mrr, canceledAt: null, changes: [] };
      queue.push({ t: t + MONTH, type: 'renewal' });
    } else if (ev.type === 'renewal' && sub && sub.canceledAt === null) {
      if (!alive) {
        // Gone customers usually remember to cancel at the next bill.
        if (chance(rng, 0.85)) sub.canceledAt = t;
      } else if (chance(rng, sigmoid(logit(0.015) - 1.0 * health()))) {
        sub.canceledAt = t;
        if (chance(rng, 0.6)) die(t, 'cancelled');
      } else {
        const business = (PLANS[sub.plan] as (typeof PLANS)[number]).business;
        const top = business ? 4 : 2;
        const bottom = business ? 3 : 0;
        let next = sub.plan;
        if (sub.plan < top && chance(rng, sigmoid(logit(0.02) + 0.5 * health()))) next = sub.plan + 1;
        else if (sub.plan > bottom && chance(rng, sigmoid(logit(0.012) - 0.5 * health()))) next = sub.plan - 1;
        if (next !== sub.plan) {
          const def = PLANS[next] as (typeof PLANS)[number];
          sub.plan = next;
          sub.mrr = def.mrr;
          sub.changes.push({ at: t, plan: def.id, mrr: def.mrr });
        }
      }
      if (sub.canceledAt === null) queue.push({ t: t + MONTH, type: 'renewal' });
    }
  }

  // ----- the person in each silo
  const billingName = nameVariant(rng, name, { nickname: 0.05, typo: 0.05, upper: 0.15 });
  out.push({
    source: 'billing',
    kind: 'contact',
    externalId: billingId,
    occurredAt: Math.round(t0),
    data: {
      name: `${billingName.first} ${billingName.last}`,
      email: emailFor(chance(rng, 0.3)),
      phone: chance(rng, 0.7) ? phoneFor() : null,
      address: { line1: street, city, postcode, country: country.code },
      currency,
      company: account ? (chance(rng, 0.7) ? account.name : account.name.toUpperCase()) : null,
      createdAt: Math.round(t0),
      _truth: {
        personId,
        ...(billingName.variant.length ? { variants: billingName.variant } : {}),
        churnedAt: diedAt,
        churnCause: cause,
        lambda: Number(lambda.toPrecision(4)),
        p: Number(p.toPrecision(4)),
        meanSpend: round2((6 / nu) * spendScale),
        satisfaction: round2(s),
      },
    },
  });
  if (inCrm) {
    const v = nameVariant(rng, name, { nickname: 0.25, typo: 0.08 });
    const createdAt = Math.round(t0 - uniform(rng, 0, 60) * DAY);
    out.push({
      source: 'crm',
      kind: 'contact',
      externalId: `${DEMO_ID_PREFIX}con-${idCode(o.seed, 'crm', index)}`,
      occurredAt: createdAt,
      data: {
        firstName: v.first,
        lastName: v.last,
        email: emailFor(account !== null),
        phone: chance(rng, 0.6) ? phoneFor() : null,
        title: account ? pick(rng, ['Office Manager', 'Founder', 'Operations Lead', 'CEO', 'Head of People', 'Facilities Coordinator']) : null,
        accountId: account ? account.id : null,
        ownerId: account ? pick(rng, org.salesReps).id : null,
        city,
        country: country.code,
        lifecycleStage: 'customer',
        createdAt,
        _truth: truth(v.variant),
      },
    });
  }
  if (supportCreatedAt !== null) {
    const v = nameVariant(rng, name, { nickname: 0.3, typo: 0.12, initial: 0.05, lower: 0.1 });
    out.push({
      source: 'support',
      kind: 'contact',
      externalId: supportId,
      occurredAt: supportCreatedAt,
      data: {
        name: chance(rng, 0.05) ? v.first : `${v.first} ${v.last}`,
        email: emailFor(account !== null && chance(rng, 0.6)),
        phone: chance(rng, 0.3) ? phoneFor() : null,
        createdAt: supportCreatedAt,
        _truth: truth(v.variant),
      },
    });
  }
  if (inWeb) {
    const firstSeenAt = Math.round(t0 - uniform(rng, 0, 30) * DAY);
    const known = webUserId !== null || chance(rng, 0.5);
    const v = nameVariant(rng, name, { nickname: 0.2, typo: 0.05, lower: 0.2 });
    out.push({
      source: 'web',
      kind: 'contact',
      externalId: `${DEMO_ID_PREFIX}vis-${webCode}`,
      occurredAt: firstSeenAt,
      data: {
        anonymousId: anonId,
        userId: webUserId,
        email: known ? emailFor(false) : null,
        firstName: known && chance(rng, 0.6) ? v.first : null,
        country: country.code,
        device: pick(rng, DEVICES),
        utmSource: pick(rng, UTM_SOURCES),
        firstSeenAt,
        _truth: truth(known ? v.variant : []),
      },
    });
    event(firstSeenAt, { type: 'page', name: '/', properties: { device: pick(rng, DEVICES) } });
    if (webUserId !== null) event(t0 - uniform(rng, 1, 30) * 60_000, { type: 'track', event: 'Signed Up', properties: { method: pick(rng, ['email', 'google', 'apple']) } });
  }
  if (sub) {
    const def = PLANS[sub.plan] as (typeof PLANS)[number];
    out.push({
      source: 'billing',
      kind: 'subscription',
      externalId: `${DEMO_ID_PREFIX}sub-${billingCode}`,
      occurredAt: sub.startedAt,
      data: {
        customerId: billingId,
        plan: def.id,
        mrr: sub.mrr,
        currency,
        interval: 'month',
        status: sub.canceledAt === null ? 'active' : 'canceled',
        startedAt: sub.startedAt,
        canceledAt: sub.canceledAt,
        startPlan: (PLANS[sub.startPlan] as (typeof PLANS)[number]).id,
        startMrr: (PLANS[sub.startPlan] as (typeof PLANS)[number]).mrr,
        changes: sub.changes,
        _truth: { personId },
      },
    });
  }
  for (const r of orderRecords) out.push(r);
  for (const r of ticketRecords) out.push(r);
  for (const r of otherRecords) out.push(r);
  return out;
}

// ---------------------------------------------------------------- the stream

/**
 * The whole company as a stream of chunks: first the organisation (teams, employees),
 * then the accounts, then one chunk per customer. Memory stays flat at any size.
 */
export function* demoChunks(o: DemoOptions): Generator<DemoChunk> {
  validateDemoOptions(o);
  const org = buildOrg(o);
  yield { done: 0, records: org.records };
  const accounts = accountCount(o.customers);
  let batch: DemoRecord[] = [];
  for (let a = 0; a < accounts; a++) {
    batch.push(accountAt(o, org, a).record);
    if (batch.length >= 1000) {
      yield { done: 0, records: batch };
      batch = [];
    }
  }
  if (batch.length) yield { done: 0, records: batch };
  const ctx = makeCtx(o, org);
  for (let i = 0; i < o.customers; i++) yield { done: i + 1, records: customerRecords(ctx, i) };
}

/** The same stream, record by record. */
export function* generateDemo(o: DemoOptions): Generator<DemoRecord> {
  for (const chunk of demoChunks(o)) yield* chunk.records;
}
