/**
 * The follow-up API: tasks (the inbox), rules and templates, SLA policies, teams, settings,
 * notification targets and the delivery log. Types mirror the zod schemas in
 * src/modules/followup/ (tasks/task.store.ts, rules/rule.schema.ts + rule.routes.ts,
 * teams/team.schema.ts, clock/calendar.ts + sla.ts, notifications/notification.schema.ts).
 */
import { request } from './client';

// ---------------------------------------------------------------- tasks

export const TASK_STATUSES = ['open', 'waiting', 'contacted', 'resolved'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const TASK_VIEWS = ['mine', 'team', 'all'] as const;
export type TaskViewFilter = (typeof TASK_VIEWS)[number];

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface Task {
  id: string;
  ruleId: string;
  policyId: string | null;
  triggerKind: string;
  title: string;
  priority: string;
  status: TaskStatus;
  respondent: { kind: string; value: string };
  customerId: string | null;
  ownerUserId: string | null;
  teamId: string | null;
  source: { type: string; id: string };
  startedAt: string;
  firstContactDueAt: string | null;
  resolutionDueAt: string | null;
  contactedAt: string | null;
  contactedBy: string | null;
  resolvedAt: string | null;
  pausedAt: string | null;
  pausedMs: number;
  firstBreachedAt: string | null;
  resolutionBreachedAt: string | null;
  escalationLevel: number;
  /** First contact before its deadline; null while the clock runs or without a clock. */
  slaMet: boolean | null;
  createdAt: string;
  updatedAt: string;
}

export interface TaskEvent {
  id: string;
  type: string;
  actor: string;
  at: string;
  details: unknown;
}

export interface TaskPage {
  tasks: Task[];
  nextCursor: string | null;
}

export interface TaskDetail {
  task: Task;
  history: TaskEvent[];
  /** The API path of this task's notifications log. */
  notifications: string;
}

export type TaskAction = 'contacted' | 'waiting' | 'resume' | 'resolved';

// ---------------------------------------------------------------- rules

export const CONDITION_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'exists', 'contains'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];
export type ConditionValue = string | number | boolean;

export interface Condition {
  field: string;
  op: ConditionOp;
  value?: ConditionValue | ConditionValue[];
}

export interface CountCondition {
  event: string;
  atLeast: number;
  withinDays: number;
}

export type Trigger =
  | { kind: 'event'; event: string }
  | { kind: 'feedback'; surveyId?: string; completeOnly?: boolean }
  | { kind: 'profile'; tag?: string };

export type Assignment =
  | { strategy: 'account_owner'; trait?: string; fallback?: { strategy: 'round_robin' | 'least_loaded'; teamId: string } }
  | { strategy: 'round_robin'; teamId: string }
  | { strategy: 'least_loaded'; teamId: string }
  | { strategy: 'user'; userId: string }
  | { strategy: 'none' };

export type NotifyTarget = 'owner' | 'manager' | { targetId: string };

export type Action =
  | { type: 'create_task'; title: string; priority?: Priority; slaKind: string; policyId?: string; assign?: Assignment }
  | { type: 'notify'; target: NotifyTarget; message?: string }
  | { type: 'send_survey'; surveyId: string }
  | { type: 'tag_profile'; tag: string };

export interface RuleDefinition {
  trigger: Trigger;
  conditions?: Condition[];
  count?: CountCondition;
  actions: Action[];
}

export interface Rule {
  id: string;
  name: string;
  enabled: boolean;
  definition: RuleDefinition;
  template: string | null;
  loopDetectedAt: string | null;
  loopDetail: unknown;
  createdAt: string;
  updatedAt: string;
}

export interface RuleInput {
  name: string;
  enabled?: boolean;
  definition: unknown;
}

export type RuleSample =
  | { event: { type?: 'track' | 'identify'; event?: string; userId?: string; properties?: Record<string, unknown>; traits?: Record<string, unknown> } }
  | {
      feedback: {
        score?: number | null;
        category?: string | null;
        metric?: string | null;
        surveyId?: string;
        surveyName?: string;
        channel?: string;
        sentiment?: string | null;
        themes?: string[];
        complete?: boolean;
        respondent?: { kind: 'user_id' | 'email' | 'anonymous_id'; value: string };
      };
    }
  | { tag: string; userId?: string };

export interface RuleTestRequest {
  rule: unknown;
  sample: RuleSample;
  customer?: { name?: string | null; email?: string | null; traits?: Record<string, unknown> };
  count?: number;
}

export interface RuleTestResult {
  matched: boolean;
  reasons: string[];
  actions: Record<string, unknown>[];
  /** A cycle through the enabled rules this rule would close. */
  loop: string[] | null;
}

export interface Template {
  name: string;
  title: string;
  description: string;
  enabled: boolean;
  ruleId: string | null;
}

// ---------------------------------------------------------------- teams and policies

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** One day's opening intervals, local "HH:MM" pairs. */
export type DayHours = [string, string][];

export interface Calendar {
  timeZone: string;
  /** Weekly opening hours; null means 24/7. */
  hours: Record<Weekday, DayHours> | null;
  holidays: string[];
}

export interface Team {
  id: string;
  name: string;
  calendar: Calendar;
  managerUserId: string | null;
  members: string[];
  createdAt: string;
  updatedAt: string;
}

export interface TeamInput {
  name: string;
  calendar?: Calendar | null;
  managerUserId?: string | null;
  members?: string[];
}

export interface EscalationStep {
  atPercent: number;
  of?: 'first_contact' | 'resolution';
  notify: NotifyTarget;
}

export interface Policy {
  id: string;
  name: string;
  triggerKind: string;
  firstContactMinutes: number;
  resolutionMinutes: number | null;
  teamId: string | null;
  pauseWhenWaiting: boolean;
  escalation: EscalationStep[];
  createdAt: string;
  updatedAt: string;
}

export interface PolicyInput {
  name: string;
  triggerKind: string;
  firstContactMinutes: number;
  resolutionMinutes?: number | null;
  teamId?: string | null;
  pauseWhenWaiting?: boolean;
  escalation?: EscalationStep[];
}
export type PolicyPatch = Partial<Omit<PolicyInput, 'triggerKind'>>;

export interface FollowupSettings {
  contactEvents: string[];
}

// ---------------------------------------------------------------- notifications

export const NOTIFICATION_STATUSES = ['pending', 'sending', 'delivered', 'failed', 'dead'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];
export type TargetKind = 'webhook' | 'slack' | 'email';

export interface NotificationTarget {
  id: string;
  name: string;
  kind: TargetKind;
  url: string | null;
  address: string | null;
  enabled: boolean;
  signed: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface NotificationTargetWithSecret extends NotificationTarget {
  /** The webhook signing secret: shown once. */
  secret: string | null;
}

export type CreateTarget =
  | { kind: 'webhook'; name: string; url: string; secret?: string; enabled?: boolean }
  | { kind: 'slack'; name: string; url: string; enabled?: boolean }
  | { kind: 'email'; name: string; address: string; enabled?: boolean };

export interface UpdateTarget {
  name?: string;
  url?: string;
  address?: string;
  enabled?: boolean;
  secret?: string;
  rotateSecret?: boolean;
}

export interface Notification {
  id: string;
  targetId: string;
  taskId: string | null;
  event: string;
  title: string;
  status: NotificationStatus;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface NotificationPage {
  notifications: Notification[];
  nextCursor: string | null;
}

// ---------------------------------------------------------------- the client

const enc = encodeURIComponent;
const ws = (id: string) => `/api/workspaces/${enc(id)}`;
const fu = (id: string) => `${ws(id)}/followups`;

export const followupsApi = {
  tasks: (workspaceId: string, opts: { view?: TaskViewFilter; status?: TaskStatus | null; limit?: number; cursor?: string | null } = {}) =>
    request<TaskPage>('GET', `${ws(workspaceId)}/tasks`, { query: { view: opts.view ?? 'all', status: opts.status, limit: opts.limit ?? 100, cursor: opts.cursor } }),
  task: (workspaceId: string, taskId: string) => request<TaskDetail>('GET', `${ws(workspaceId)}/tasks/${enc(taskId)}`),
  act: (workspaceId: string, taskId: string, action: TaskAction) => request<Task>('POST', `${ws(workspaceId)}/tasks/${enc(taskId)}/${action}`, { body: {} }),
  assign: (workspaceId: string, taskId: string, userId: string) => request<Task>('POST', `${ws(workspaceId)}/tasks/${enc(taskId)}/assign`, { body: { userId } }),

  rules: (workspaceId: string) => request<{ rules: Rule[] }>('GET', `${fu(workspaceId)}/rules`),
  createRule: (workspaceId: string, input: RuleInput) => request<Rule>('POST', `${fu(workspaceId)}/rules`, { body: input }),
  updateRule: (workspaceId: string, ruleId: string, patch: Partial<RuleInput>) => request<Rule>('PATCH', `${fu(workspaceId)}/rules/${enc(ruleId)}`, { body: patch }),
  deleteRule: (workspaceId: string, ruleId: string) => request<void>('DELETE', `${fu(workspaceId)}/rules/${enc(ruleId)}`),
  testRule: (workspaceId: string, input: RuleTestRequest) => request<RuleTestResult>('POST', `${fu(workspaceId)}/rules/test`, { body: input }),

  templates: (workspaceId: string) => request<{ templates: Template[] }>('GET', `${fu(workspaceId)}/templates`),
  enableTemplate: (workspaceId: string, name: string, teamId?: string) =>
    request<{ rule: Rule; policy: Policy; created: boolean }>('POST', `${fu(workspaceId)}/templates/${enc(name)}/enable`, { body: teamId ? { teamId } : {} }),

  teams: (workspaceId: string) => request<{ teams: Team[] }>('GET', `${fu(workspaceId)}/teams`),
  createTeam: (workspaceId: string, input: TeamInput) => request<Team>('POST', `${fu(workspaceId)}/teams`, { body: input }),
  updateTeam: (workspaceId: string, teamId: string, patch: Partial<TeamInput>) => request<Team>('PATCH', `${fu(workspaceId)}/teams/${enc(teamId)}`, { body: patch }),
  deleteTeam: (workspaceId: string, teamId: string) => request<void>('DELETE', `${fu(workspaceId)}/teams/${enc(teamId)}`),

  policies: (workspaceId: string) => request<{ policies: Policy[] }>('GET', `${fu(workspaceId)}/policies`),
  policy: (workspaceId: string, policyId: string) => request<Policy>('GET', `${fu(workspaceId)}/policies/${enc(policyId)}`),
  createPolicy: (workspaceId: string, input: PolicyInput) => request<Policy>('POST', `${fu(workspaceId)}/policies`, { body: input }),
  updatePolicy: (workspaceId: string, policyId: string, patch: PolicyPatch) => request<Policy>('PATCH', `${fu(workspaceId)}/policies/${enc(policyId)}`, { body: patch }),
  deletePolicy: (workspaceId: string, policyId: string) => request<void>('DELETE', `${fu(workspaceId)}/policies/${enc(policyId)}`),

  settings: (workspaceId: string) => request<FollowupSettings>('GET', `${fu(workspaceId)}/settings`),
  saveSettings: (workspaceId: string, settings: FollowupSettings) => request<FollowupSettings>('PUT', `${fu(workspaceId)}/settings`, { body: settings }),

  targets: (workspaceId: string) => request<{ targets: NotificationTarget[] }>('GET', `${ws(workspaceId)}/notification-targets`),
  createTarget: (workspaceId: string, input: CreateTarget) => request<NotificationTargetWithSecret>('POST', `${ws(workspaceId)}/notification-targets`, { body: input }),
  updateTarget: (workspaceId: string, targetId: string, patch: UpdateTarget) =>
    request<NotificationTargetWithSecret>('PATCH', `${ws(workspaceId)}/notification-targets/${enc(targetId)}`, { body: patch }),
  deleteTarget: (workspaceId: string, targetId: string) => request<void>('DELETE', `${ws(workspaceId)}/notification-targets/${enc(targetId)}`),
  testTarget: (workspaceId: string, targetId: string) =>
    request<{ ok: boolean; notification: Notification }>('POST', `${ws(workspaceId)}/notification-targets/${enc(targetId)}/test`, { body: {} }),

  notifications: (workspaceId: string, opts: { status?: NotificationStatus | null; taskId?: string; targetId?: string; cursor?: string | null; limit?: number } = {}) =>
    request<NotificationPage>('GET', `${ws(workspaceId)}/notifications`, {
      query: { status: opts.status, taskId: opts.taskId, targetId: opts.targetId, cursor: opts.cursor, limit: opts.limit ?? 50 },
    }),
  replay: (workspaceId: string, notificationId: string) => request<Notification>('POST', `${ws(workspaceId)}/notifications/${enc(notificationId)}/replay`, { body: {} }),
};

/** Query keys: everything about follow-ups of a workspace sits under ['followups', workspaceId]. */
export const followupKeys = {
  all: (workspaceId: string) => ['followups', workspaceId] as const,
  tasks: (workspaceId: string) => ['followups', workspaceId, 'tasks'] as const,
  inbox: (workspaceId: string, view: TaskViewFilter, status: TaskStatus | null) => ['followups', workspaceId, 'tasks', 'list', view, status] as const,
  task: (workspaceId: string, taskId: string) => ['followups', workspaceId, 'tasks', 'one', taskId] as const,
  rules: (workspaceId: string) => ['followups', workspaceId, 'rules'] as const,
  templates: (workspaceId: string) => ['followups', workspaceId, 'templates'] as const,
  teams: (workspaceId: string) => ['followups', workspaceId, 'teams'] as const,
  policies: (workspaceId: string) => ['followups', workspaceId, 'policies'] as const,
  settings: (workspaceId: string) => ['followups', workspaceId, 'settings'] as const,
  targets: (workspaceId: string) => ['followups', workspaceId, 'targets'] as const,
  notifications: (workspaceId: string, filter: { status?: string | null; taskId?: string; targetId?: string }) => ['followups', workspaceId, 'notifications', filter] as const,
};

/** The API's validation issues (`details.issues`: `{path, message}`), when the error carries them. */
export function issuesOf(details: unknown): { path: string; message: string }[] {
  if (typeof details !== 'object' || details === null || !('issues' in details)) return [];
  const issues = (details as { issues: unknown }).issues;
  if (!Array.isArray(issues)) return [];
  return issues.filter((i): i is { path: string; message: string } => typeof i === 'object' && i !== null && typeof (i as { path?: unknown }).path === 'string' && typeof (i as { message?: unknown }).message === 'string');
}
