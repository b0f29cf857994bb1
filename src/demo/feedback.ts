/**
 * The demo company's survey history as surveys and responses of the feedback module: its
 * relationship NPS survey (asked every six months) and the CSAT asked after solved tickets.
 * The answers are already silo records (so they are on the customers' timelines); this makes
 * them responses too, so that the response stream, trends and themes have a history to show.
 */
import type { Store } from '../store/database.js';
import { importPastAnswers, ZSurveyDefinition, type PastAnswer } from '../modules/feedback/index.js';
import { recordAttributions, type ExplicitAttribution } from '../modules/insight/index.js';
import { systemClock } from '../platform/clock.js';
import type { DemoRecord } from './generate.js';

export const DEMO_SURVEYS = {
  nps: {
    id: 'srv_demo_nps',
    name: 'Relationship NPS',
    definition: ZSurveyDefinition.parse({
      defaultLanguage: 'en',
      questions: [
        {
          id: 'nps',
          type: 'nps',
          text: { en: 'How likely are you to recommend Northwind Coffee to a friend or colleague?', fr: 'Quelle est la probabilité que vous recommandiez Northwind Coffee à un ami ou collègue ?' },
          required: true,
        },
      ],
      branding: { colour: '#7a4b2a', companyName: 'Northwind Coffee' },
    }),
  },
  csat: {
    id: 'srv_demo_csat',
    name: 'After support (CSAT)',
    definition: ZSurveyDefinition.parse({
      defaultLanguage: 'en',
      questions: [
        { id: 'csat', type: 'csat', text: { en: 'How satisfied are you with the help you received?' }, required: true },
        { id: 'comment', type: 'text', text: { en: 'Anything we could have done better?' } },
      ],
      branding: { colour: '#7a4b2a', companyName: 'Northwind Coffee' },
      triggers: [{ id: 'ticket-solved', event: 'Ticket Solved', delayMinutes: 60, enabled: false }],
    }),
  },
} as const;

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const CHANNEL = { email: 'email', web: 'widget', 'in-app': 'widget' } as const;

/** Collects the answers in demo records as they stream past, and writes them in batches. */
export class DemoFeedback {
  private nps: PastAnswer[] = [];
  private csat: PastAnswer[] = [];
  /** Who handled the ticket each after-support answer is about: insight counts it for them. */
  private served: ExplicitAttribution[] = [];
  count = 0;

  constructor(
    private readonly store: Store,
    private readonly workspaceId: string,
    private readonly now: number,
  ) {}

  add(r: DemoRecord): void {
    const d = r.data;
    if (r.kind === 'feedback' && typeof d.score === 'number') {
      const customer = str(d.customerId);
      if (!customer) return;
      const comment = str(d.comment);
      this.nps.push({
        id: `rsp_${r.externalId}`,
        respondent: { kind: 'user_id', value: customer },
        answers: comment ? { nps: d.score, 'nps:why': comment } : { nps: d.score },
        channel: CHANNEL[d.channel as keyof typeof CHANNEL] ?? 'email',
        answeredAt: typeof d.answeredAt === 'number' ? d.answeredAt : r.occurredAt,
      });
    } else if (r.kind === 'ticket' && typeof d.csat === 'object' && d.csat !== null) {
      const csat = d.csat as { score?: unknown; answeredAt?: unknown; comment?: unknown };
      const email = str(d.requesterEmail);
      if (!email || typeof csat.score !== 'number') return;
      const comment = str(csat.comment);
      this.csat.push({
        id: `rsp_${r.externalId}`,
        respondent: { kind: 'email', value: email },
        answers: comment ? { csat: csat.score, comment } : { csat: csat.score },
        channel: 'email',
        answeredAt: typeof csat.answeredAt === 'number' ? csat.answeredAt : r.occurredAt,
      });
      this.served.push({ responseId: `rsp_${r.externalId}`, teamId: str(d.teamId), agentId: str(d.assigneeId) });
    }
  }

  /** Write what has been collected (call every so often, and once at the end). */
  async flush(): Promise<void> {
    for (const [key, list] of [
      ['nps', this.nps],
      ['csat', this.csat],
    ] as const) {
      if (list.length === 0) continue;
      this.count += await importPastAnswers(this.store, this.workspaceId, DEMO_SURVEYS[key], list, this.now);
    }
    if (this.served.length > 0) await recordAttributions({ store: this.store, clock: systemClock }, this.workspaceId, this.served, 'demo');
    this.nps = [];
    this.csat = [];
    this.served = [];
  }
}

/** Remove the demo surveys and their responses. */
export async function deleteDemoFeedback(store: Store, workspaceId: string): Promise<void> {
  const ids = Object.values(DEMO_SURVEYS).map((s) => s.id);
  await store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('response_themes').where('workspace_id', '=', workspaceId).where('survey_id', 'in', ids).execute();
    await trx.deleteFrom('survey_responses').where('workspace_id', '=', workspaceId).where('survey_id', 'in', ids).execute();
    await trx.deleteFrom('surveys').where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
  });
}
