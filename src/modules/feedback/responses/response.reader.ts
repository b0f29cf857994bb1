/**
 * Answers by respondent, for modules that read a customer's feedback history (health scores):
 * given identity-graph identifiers (kind and graph key), every response of theirs with its
 * scores and sentiment. One index range per kind and chunk of identifiers.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../store/index.js';

export interface RespondentAnswer {
  respondentKind: string;
  /** The respondent as the identity graph keys it (see survey_responses.respondent_key). */
  respondentKey: string;
  at: number;
  nps: number | null;
  csat: number | null;
  ces: number | null;
  /** −1…1, null without open text. */
  sentiment: number | null;
}

const IN = 500;

export async function answersOfRespondents(db: Kysely<Database>, workspaceId: string, identifiers: readonly { kind: string; value: string }[]): Promise<RespondentAnswer[]> {
  const byKind = new Map<string, string[]>();
  for (const i of identifiers) byKind.set(i.kind, [...(byKind.get(i.kind) ?? []), i.value]);
  const out: RespondentAnswer[] = [];
  for (const [kind, values] of byKind) {
    for (let i = 0; i < values.length; i += IN) {
      const rows = await db
        .selectFrom('survey_responses')
        .select(['respondent_key', 'created_at', 'nps', 'csat', 'ces', 'sentiment'])
        .where('workspace_id', '=', workspaceId)
        .where('respondent_kind', '=', kind)
        .where('respondent_key', 'in', values.slice(i, i + IN))
        .execute();
      for (const r of rows)
        out.push({
          respondentKind: kind,
          respondentKey: r.respondent_key as string,
          at: Number(r.created_at),
          nps: r.nps === null ? null : Number(r.nps),
          csat: r.csat === null ? null : Number(r.csat),
          ces: r.ces === null ? null : Number(r.ces),
          sentiment: r.sentiment === null ? null : Number(r.sentiment),
        });
    }
  }
  return out;
}
