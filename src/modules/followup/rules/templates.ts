/**
 * Proactive templates, ready to switch on: each is a rule and the SLA policy of its kind.
 * Enabling one creates the policy (unless the workspace has one of that kind) and the rule,
 * once per workspace.
 */
import type { z } from 'zod';
import type { ZPolicyInput } from '../teams/team.schema.js';
import type { Assignment, RuleDefinitionInput } from './rule.schema.js';

export interface TemplateOptions {
  /** A team to share the work when the customer has no account owner (round-robin), and whose hours count. */
  teamId?: string | undefined;
}

export interface FollowupTemplate {
  name: string;
  title: string;
  description: string;
  rule: (o: TemplateOptions) => RuleDefinitionInput;
  policy: (o: TemplateOptions) => z.input<typeof ZPolicyInput>;
}

const assign = (o: TemplateOptions): Assignment =>
  o.teamId ? { strategy: 'account_owner', fallback: { strategy: 'round_robin', teamId: o.teamId } } : { strategy: 'account_owner' };

export const TEMPLATES: FollowupTemplate[] = [
  {
    name: 'new-lead',
    title: 'New lead → contact within 5 minutes',
    description: 'A "Lead Created" event opens a task for the account owner (or the team in turn) with a 5-minute first-contact clock.',
    rule: (o) => ({
      trigger: { kind: 'event', event: 'Lead Created' },
      actions: [{ type: 'create_task', title: 'Contact new lead {{customer.name}} {{event.properties.email}}', priority: 'urgent', slaKind: 'lead', assign: assign(o) }],
    }),
    policy: (o) => ({
      name: 'Leads: first contact in 5 minutes',
      triggerKind: 'lead',
      firstContactMinutes: 5,
      resolutionMinutes: null,
      teamId: o.teamId ?? null,
      escalation: [
        { atPercent: 100, of: 'first_contact', notify: 'owner' },
        { atPercent: 200, of: 'first_contact', notify: 'manager' },
      ],
    }),
  },
  {
    name: 'detractor',
    title: 'Detractor → call within 1 hour',
    description: 'An NPS answer of 0–6 opens a task to call the customer back within the hour.',
    rule: (o) => ({
      trigger: { kind: 'feedback' },
      conditions: [{ field: 'feedback.category', op: 'eq', value: 'detractor' }],
      actions: [{ type: 'create_task', title: 'Call {{customer.name}} back: NPS {{feedback.score}}', priority: 'high', slaKind: 'detractor', assign: assign(o) }],
    }),
    policy: (o) => ({
      name: 'Detractors: call within 1 hour',
      triggerKind: 'detractor',
      firstContactMinutes: 60,
      resolutionMinutes: 3 * 24 * 60,
      teamId: o.teamId ?? null,
      escalation: [
        { atPercent: 50, of: 'first_contact', notify: 'owner' },
        { atPercent: 100, of: 'first_contact', notify: 'manager' },
      ],
    }),
  },
  {
    name: 'payment-failed',
    title: 'Payment failed → reach out before the customer notices',
    description: 'A "Payment Failed" event opens a task to reach out within 2 hours.',
    rule: (o) => ({
      trigger: { kind: 'event', event: 'Payment Failed' },
      actions: [{ type: 'create_task', title: 'Payment failed for {{customer.name}}: reach out ({{event.properties.amount}} {{event.properties.currency}})', priority: 'high', slaKind: 'payment_failed', assign: assign(o) }],
    }),
    policy: (o) => ({ name: 'Failed payments: reach out within 2 hours', triggerKind: 'payment_failed', firstContactMinutes: 120, resolutionMinutes: 24 * 60, teamId: o.teamId ?? null, escalation: [{ atPercent: 100, of: 'first_contact', notify: 'owner' }] }),
  },
  {
    name: 'second-ticket',
    title: 'Second ticket within 7 days → escalate',
    description: 'A second "Ticket Created" event for the same customer within 7 days opens an urgent task, escalated to the manager.',
    rule: (o) => ({
      trigger: { kind: 'event', event: 'Ticket Created' },
      count: { event: 'Ticket Created', atLeast: 2, withinDays: 7 },
      actions: [{ type: 'create_task', title: 'Second ticket in 7 days from {{customer.name}}: {{event.properties.subject}}', priority: 'urgent', slaKind: 'repeat_ticket', assign: assign(o) }],
    }),
    policy: (o) => ({
      name: 'Repeat tickets: contact within 2 hours',
      triggerKind: 'repeat_ticket',
      firstContactMinutes: 120,
      resolutionMinutes: 2 * 24 * 60,
      teamId: o.teamId ?? null,
      escalation: [
        { atPercent: 50, of: 'first_contact', notify: 'owner' },
        { atPercent: 100, of: 'first_contact', notify: 'manager' },
      ],
    }),
  },
  {
    name: 'usage-drop',
    title: 'Usage down by half week on week → check in',
    description:
      'A customer whose events fell by half or more week on week (from at least 10) opens a check-in task within a working day. The weekly comparison tracks a "Usage Dropped" event for them every Monday; your product may send one too.',
    rule: (o) => ({
      trigger: { kind: 'event', event: 'Usage Dropped' },
      actions: [{ type: 'create_task', title: 'Check in with {{customer.name}}: usage down {{event.properties.dropPercent}}%', priority: 'normal', slaKind: 'usage_drop', assign: assign(o) }],
    }),
    policy: (o) => ({ name: 'Usage drops: check in within a day', triggerKind: 'usage_drop', firstContactMinutes: 24 * 60, resolutionMinutes: null, teamId: o.teamId ?? null, escalation: [{ atPercent: 100, of: 'first_contact', notify: 'owner' }] }),
  },
];

export const templateNamed = (name: string): FollowupTemplate | undefined => TEMPLATES.find((t) => t.name === name);
