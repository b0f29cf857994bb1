/** Survey definitions in the store. */
import type { Kysely, Selectable } from 'kysely';
import type { Database, SurveysTable } from '../../../store/index.js';
import { ZSurveyDefinition, type Survey, type SurveyDefinition } from './survey.schema.js';

export type SurveyRow = Selectable<SurveysTable>;
export type SurveyStatus = Survey['status'];

export interface StoredSurvey {
  workspaceId: string;
  id: string;
  name: string;
  status: SurveyStatus;
  definition: SurveyDefinition;
  createdAt: number;
  updatedAt: number;
}

export function toStoredSurvey(row: SurveyRow): StoredSurvey {
  return {
    workspaceId: row.workspace_id,
    id: row.id,
    name: row.name,
    status: row.status as SurveyStatus,
    // Parsed again so that defaults added to the schema later apply to old rows too.
    definition: ZSurveyDefinition.parse(JSON.parse(row.definition)),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export const surveyView = (s: StoredSurvey): Survey => ({
  id: s.id,
  name: s.name,
  status: s.status,
  definition: s.definition,
  createdAt: new Date(s.createdAt).toISOString(),
  updatedAt: new Date(s.updatedAt).toISOString(),
});

export async function insertSurvey(db: Kysely<Database>, s: StoredSurvey, createdBy: string | null): Promise<void> {
  await db
    .insertInto('surveys')
    .values({
      workspace_id: s.workspaceId,
      id: s.id,
      name: s.name,
      status: s.status,
      definition: JSON.stringify(s.definition),
      created_by: createdBy,
      created_at: s.createdAt,
      updated_at: s.updatedAt,
    })
    .execute();
}

export async function updateSurveyRow(db: Kysely<Database>, s: StoredSurvey): Promise<void> {
  await db
    .updateTable('surveys')
    .set({ name: s.name, status: s.status, definition: JSON.stringify(s.definition), updated_at: s.updatedAt })
    .where('workspace_id', '=', s.workspaceId)
    .where('id', '=', s.id)
    .execute();
}

export async function findSurvey(db: Kysely<Database>, workspaceId: string, id: string): Promise<StoredSurvey | undefined> {
  const row = await db.selectFrom('surveys').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return row ? toStoredSurvey(row) : undefined;
}

export async function listSurveyRows(db: Kysely<Database>, workspaceId: string, status?: SurveyStatus): Promise<StoredSurvey[]> {
  let q = db.selectFrom('surveys').selectAll().where('workspace_id', '=', workspaceId);
  if (status) q = q.where('status', '=', status);
  const rows = await q.orderBy('updated_at', 'desc').execute();
  return rows.map(toStoredSurvey);
}
