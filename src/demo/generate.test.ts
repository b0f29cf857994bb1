import { describe, expect, it } from 'vitest';
import { DEMO_ID_PREFIX, generateDemo, type DemoRecord } from './generate.js';

const asOf = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const all = (customers: number, seed: number): DemoRecord[] => [...generateDemo({ customers, seed, asOf })];
const countBy = (records: DemoRecord[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const r of records) out[`${r.source}/${r.kind}`] = (out[`${r.source}/${r.kind}`] ?? 0) + 1;
  return out;
};

interface Person {
  silos: Set<string>;
  typo: boolean;
  churned: boolean;
  csat: number[];
  nps: number[];
  frtHours: number[];
  lastOrder: number;
}

function people(records: DemoRecord[]): Map<string, Person> {
  const map = new Map<string, Person>();
  const get = (id: string): Person => {
    let p = map.get(id);
    if (!p) {
      p = { silos: new Set(), typo: false, churned: false, csat: [], nps: [], frtHours: [], lastOrder: 0 };
      map.set(id, p);
    }
    return p;
  };
  for (const r of records) {
    const truth = r.data._truth as { personId?: string; variants?: string[]; churnedAt?: number | null } | undefined;
    if (!truth?.personId) continue;
    const p = get(truth.personId);
    if (r.kind === 'contact') {
      p.silos.add(r.source);
      if (truth.variants?.includes('typo')) p.typo = true;
      if (r.source === 'billing' && truth.churnedAt != null) p.churned = true;
    }
    if (r.kind === 'subscription' && r.data.canceledAt != null) p.churned = true;
    if (r.kind === 'order') p.lastOrder = Math.max(p.lastOrder, r.occurredAt);
    if (r.kind === 'feedback') p.nps.push(r.data.score as number);
    if (r.kind === 'ticket') {
      const csat = r.data.csat as { score: number } | undefined;
      if (csat) p.csat.push(csat.score);
      const first = r.data.firstResponseAt as number | null;
      if (first !== null) p.frtHours.push((first - (r.data.openedAt as number)) / 3_600_000);
    }
  }
  return map;
}

describe('generateDemo', () => {
  const base = all(2000, 42);

  it('is a function of the seed', () => {
    expect(all(2000, 42)).toEqual(base);
    const other = all(2000, 43);
    expect(other).not.toEqual(base);
    const ids = new Set(base.map((r) => r.externalId));
    expect(other.filter((r) => r.kind === 'order' && ids.has(r.externalId)).length).toBeLessThan(other.length / 10);
  });

  it('scales every count with the number of customers', () => {
    const small = countBy(all(1000, 42));
    const big = countBy(base);
    expect(small['billing/contact']).toBe(1000);
    expect(big['billing/contact']).toBe(2000);
    for (const key of ['billing/order', 'support/ticket', 'survey/feedback', 'crm/account', 'web/event', 'crm/contact']) {
      const ratio = (big[key] ?? 0) / (small[key] ?? 1);
      expect(ratio, key).toBeGreaterThan(1.7);
      expect(ratio, key).toBeLessThan(2.3);
    }
  });

  it('gives every record a unique prefixed id, a time within the history and the fields later modules read', () => {
    const keys = new Set(base.map((r) => `${r.source}/${r.kind}/${r.externalId}`));
    expect(keys.size).toBe(base.length);
    const counts = countBy(base);
    for (const k of ['hr/team', 'hr/employee', 'crm/account', 'crm/contact', 'billing/contact', 'support/contact', 'web/contact', 'billing/order', 'billing/subscription', 'support/ticket', 'survey/feedback', 'web/event']) {
      expect(counts[k] ?? 0, k).toBeGreaterThan(0);
    }
    const billingIds = new Set(base.filter((r) => r.source === 'billing' && r.kind === 'contact').map((r) => r.externalId));
    const employees = new Set(base.filter((r) => r.kind === 'employee').map((r) => r.externalId));
    const teams = new Set(base.filter((r) => r.kind === 'team').map((r) => r.externalId));
    for (const r of base) {
      expect(r.externalId.startsWith(DEMO_ID_PREFIX)).toBe(true);
      expect(Number.isInteger(r.occurredAt)).toBe(true);
      expect(r.occurredAt).toBeLessThan(asOf);
      if (r.kind === 'order') {
        expect(billingIds.has(r.data.customerId as string)).toBe(true);
        expect(r.data.total).toBeGreaterThan(0);
        expect(['USD', 'CAD', 'GBP', 'EUR', 'AUD']).toContain(r.data.currency);
        expect(r.occurredAt).toBeGreaterThanOrEqual(asOf - 730 * DAY);
      }
      if (r.kind === 'subscription') {
        expect(billingIds.has(r.data.customerId as string)).toBe(true);
        expect(r.data.mrr).toBeGreaterThan(0);
        if (r.data.canceledAt !== null) expect(r.data.canceledAt).toBeGreaterThan(r.data.startedAt as number);
      }
      if (r.kind === 'ticket') {
        expect(employees.has(r.data.assigneeId as string)).toBe(true);
        expect(teams.has(r.data.teamId as string)).toBe(true);
        if (r.data.firstResponseAt !== null) expect(r.data.firstResponseAt).toBeGreaterThanOrEqual(r.data.openedAt as number);
        if (r.data.solvedAt !== null) expect(r.data.solvedAt).toBeGreaterThanOrEqual(r.data.firstResponseAt as number);
        const csat = r.data.csat as { score: number } | undefined;
        if (csat) expect([1, 2, 3, 4, 5]).toContain(csat.score);
      }
      if (r.kind === 'feedback') {
        expect(r.data.survey).toBe('nps');
        expect(Number.isInteger(r.data.score) && (r.data.score as number) >= 0 && (r.data.score as number) <= 10).toBe(true);
      }
      if (r.kind === 'employee') expect(teams.has(r.data.teamId as string)).toBe(true);
    }
    // Some upgrades/downgrades, so that net revenue retention differs from gross.
    expect(base.filter((r) => r.kind === 'subscription' && (r.data.changes as unknown[]).length > 0).length).toBeGreaterThan(5);
  });

  it('has real repeat-buying dropouts: many customers stop long before asOf', () => {
    const ps = [...people(base).values()];
    const droppedEarly = ps.filter((p) => p.churned && p.lastOrder > 0 && p.lastOrder < asOf - 180 * DAY);
    expect(droppedEarly.length / ps.length).toBeGreaterThan(0.2);
    const repeaters = base.filter((r) => r.kind === 'order' && (r.data.orderNumber as number) === 3).length;
    expect(repeaters / ps.length).toBeGreaterThan(0.25);
  });

  it('makes churn clearly more likely after low CSAT/NPS or slow first responses', () => {
    const ps = [...people(all(3000, 7)).values()];
    const unhappy = (p: Person): boolean => p.csat.some((s) => s <= 2) || p.nps.some((s) => s <= 6) || p.frtHours.some((h) => h > 24);
    const rate = (xs: Person[]): number => xs.filter((p) => p.churned).length / xs.length;
    const bad = ps.filter(unhappy);
    const rest = ps.filter((p) => !unhappy(p));
    expect(bad.length).toBeGreaterThan(300);
    expect(rate(bad) - rate(rest)).toBeGreaterThan(0.15);
    // Among people who answered a survey, detractors churn far more than promoters.
    const detractors = ps.filter((p) => p.nps.length > 0 && Math.min(...p.nps) <= 6);
    const promoters = ps.filter((p) => p.nps.length > 0 && Math.min(...p.nps) >= 9);
    expect(rate(detractors) - rate(promoters)).toBeGreaterThan(0.3);
  });

  it('spreads one person over several silos, with mangled names', () => {
    const ps = [...people(base).values()];
    expect(ps.filter((p) => p.silos.size >= 2).length / ps.length).toBeGreaterThan(0.8);
    expect(ps.filter((p) => p.typo).length).toBeGreaterThan(50);
    const nicknames = base.filter((r) => r.kind === 'contact' && ((r.data._truth as { variants?: string[] }).variants ?? []).includes('nickname'));
    expect(nicknames.length).toBeGreaterThan(100);
    const plus = base.filter((r) => r.kind === 'contact' && typeof r.data.email === 'string' && r.data.email.includes('+'));
    expect(plus.length).toBeGreaterThan(20);
    const phones = base.filter((r) => r.kind === 'contact' && typeof r.data.phone === 'string').map((r) => r.data.phone as string);
    expect(phones.some((x) => x.startsWith('+'))).toBe(true);
    expect(phones.some((x) => !x.startsWith('+'))).toBe(true);
  });
});
