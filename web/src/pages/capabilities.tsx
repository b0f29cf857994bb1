import type { ComponentType, SVGProps } from 'react';
import { IconAward, IconChart, IconClock, IconGift, IconMessage, IconUsers } from '../components/icons';

export interface Capability {
  /** Route segment under /w/:workspaceId/ */
  path: string;
  label: string;
  title: string;
  icon: ComponentType<SVGProps<SVGSVGElement> & { size?: number }>;
  color: string;
  summary: string;
  coming: { title: string; text: string }[];
}

/** The product's capability areas (from PRODUCT.md), shown until each one lands. */
export const CAPABILITIES: Capability[] = [
  {
    path: 'customers',
    label: 'Customers',
    title: 'Customer 360',
    icon: IconUsers,
    color: 'blue',
    summary:
      'One profile per person or account, built from your CRM, billing, support desk and product events, with a single timeline of everything that happened.',
    coming: [
      { title: 'Identity resolution', text: 'Exact identifiers first, then probabilistic matching of names, e-mails, phones and addresses.' },
      { title: 'One timeline', text: 'Every event, ticket, invoice and answer for a customer, in order, before you call them.' },
      { title: 'Explained merges', text: 'See why two records became one profile, and undo a merge when it was wrong.' },
    ],
  },
  {
    path: 'feedback',
    label: 'Feedback',
    title: 'Voice of the customer',
    icon: IconMessage,
    color: 'violet',
    summary:
      'NPS, CSAT, CES and open-text surveys sent on every channel, with contact-frequency limits so that nobody is over-surveyed.',
    coming: [
      { title: 'Every channel', text: 'Hosted links, an embeddable web widget, e-mail with one-click scores, and surveys sent after events such as "ticket solved".' },
      { title: 'Open-text analysis', text: 'Sentiment, themes and trends from what customers write in their own words.' },
      { title: 'Fair frequency', text: 'Contact limits per person, so customers hear from you when it matters.' },
    ],
  },
  {
    path: 'follow-ups',
    label: 'Follow-ups',
    title: 'Follow-up within the hour',
    icon: IconClock,
    color: 'orange',
    summary:
      'Rules turn events, responses and scores into follow-up tasks with an owner and an SLA clock — a lead contacted within an hour is about seven times more likely to qualify.',
    coming: [
      { title: 'An inbox with clocks', text: 'Every task shows its owner and how long is left before the SLA is breached.' },
      { title: 'Escalation', text: 'Breaches escalate, with notifications by webhook, chat webhook or e-mail.' },
      { title: 'Proactive rules', text: 'Reach a customer before the customer has to complain.' },
    ],
  },
  {
    path: 'insight',
    label: 'Insight',
    title: 'Insight shared with everyone',
    icon: IconChart,
    color: 'teal',
    summary:
      'CSAT, NPS, CES, churn and retention, revenue retention, customer lifetime value and an explainable health score — a dashboard for every employee, not only analysts.',
    coming: [
      { title: 'Satisfaction before revenue', text: 'NPS, CSAT and CES trends shown first, then churn, retention cohorts and revenue retention.' },
      { title: 'Customer lifetime value', text: 'Probabilistic models (BG/NBD and Gamma-Gamma) fitted to your own purchase history.' },
      { title: 'Who is at risk, and why', text: 'An explainable health score that names the reasons behind each at-risk account.' },
    ],
  },
  {
    path: 'people',
    label: 'People',
    title: 'People',
    icon: IconAward,
    color: 'pink',
    summary:
      'Feedback attributed to the employees and teams who served the customer, with recognition earned from customer evidence rather than popularity.',
    coming: [
      { title: 'Recognition', text: 'Badges, leaderboards and bonus reports built on what customers actually said.' },
      { title: 'Language coach', text: 'Scores drafts for customer-centred language ("we / you" over "I / me"), empathy and tone.' },
      { title: 'The empty-chair brief', text: 'A weekly brief of themes, quotes and at-risk accounts that brings the customer into your meetings.' },
    ],
  },
  {
    path: 'loyalty',
    label: 'Loyalty',
    title: 'Loyalty and personalisation',
    icon: IconGift,
    color: 'yellow',
    summary: 'Points, tiers and rewards on the same customer profiles, with behavioural triggers for personalised next actions.',
    coming: [
      { title: 'Points and tiers', text: 'Reward the behaviour that matters, on the same profiles every team already sees.' },
      { title: 'Rewards', text: 'A catalogue of rewards customers can redeem their points for.' },
      { title: 'Next best action', text: 'Behavioural triggers suggest a personalised next step for each customer.' },
    ],
  },
];
