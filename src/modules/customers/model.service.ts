/**
 * Each workspace's matching model: m and u probabilities estimated by EM from its own
 * people (matching/em.ts), stored as the workspace setting `identity.model`. Until a model
 * has been trained, the documented priors (DEFAULT_MODEL) apply.
 */
import type { Kysely } from 'kysely';
import { seededRandom } from '../../platform/random.js';
import { fromJson, readSetting, writeSetting, type Database } from '../../store/index.js';
import { comparable, type Matcher } from './matcher.js';
import { createMatcher } from './matcher.fs.js';
import { prepare, trainModel, ZMatchModel, type MatchModel } from './matching/index.js';
import type { PersonFields } from './matching/types.js';
import { featuresOf } from './observation.js';

export const MODEL_SETTING = 'identity.model';
/** Fewer people than this say too little for EM; the priors stay. */
export const MIN_TRAINING_RECORDS = 500;
const MAX_TRAINING_RECORDS = 50_000;

export interface StoredModel {
  model: MatchModel;
  trainedAt: number;
  records: number;
  /** Where the training records came from. */
  from: 'profiles' | 'records';
}

export async function readModel(db: Kysely<Database>, workspaceId: string): Promise<StoredModel | undefined> {
  const stored = await readSetting<StoredModel>(db, workspaceId, MODEL_SETTING);
  if (!stored) return undefined;
  const model = ZMatchModel.safeParse(stored.model);
  return model.success ? { ...stored, model: model.data } : undefined;
}

/** The people to learn from: resolved profiles when there are enough, else the contact records. */
async function trainingFeatures(db: Kysely<Database>, workspaceId: string): Promise<{ features: PersonFields[]; from: StoredModel['from'] }> {
  const leaves = await db.selectFrom('profiles').select('features').where('workspace_id', '=', workspaceId).orderBy('id', 'desc').limit(MAX_TRAINING_RECORDS).execute();
  const fromLeaves = leaves.map((l) => fromJson<PersonFields>(l.features)).filter(comparable);
  if (fromLeaves.length >= MIN_TRAINING_RECORDS) return { features: fromLeaves, from: 'profiles' };
  const records = await db
    .selectFrom('source_records')
    .select('data')
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', 'contact')
    .orderBy('occurred_at', 'desc')
    .limit(MAX_TRAINING_RECORDS)
    .execute();
  return { features: records.map((r) => featuresOf(fromJson<Record<string, unknown>>(r.data))).filter(comparable), from: 'records' };
}

/** Estimate the workspace's model and store it; undefined when there are too few people. */
export async function trainWorkspaceModel(db: Kysely<Database>, workspaceId: string, now: number, seed = 1): Promise<StoredModel | undefined> {
  const { features, from } = await trainingFeatures(db, workspaceId);
  if (features.length < MIN_TRAINING_RECORDS) return undefined;
  const result = trainModel(features.map((f) => prepare(f)), { random: seededRandom(seed) });
  const stored: StoredModel = { model: result.model, trainedAt: now, records: features.length, from };
  await writeSetting(db, workspaceId, MODEL_SETTING, stored, now);
  return stored;
}

/** A matcher with the workspace's model, reused while the model is unchanged. */
export class MatcherCache {
  private readonly byWorkspace = new Map<string, { trainedAt: number; matcher: Matcher }>();
  private readonly fallback = createMatcher();

  async get(db: Kysely<Database>, workspaceId: string): Promise<Matcher> {
    // Called for every slice of resolution: the stored model is validated only when it changed.
    const raw = await readSetting<Partial<StoredModel>>(db, workspaceId, MODEL_SETTING);
    const cached = this.byWorkspace.get(workspaceId);
    if (cached && raw?.trainedAt === cached.trainedAt) return cached.matcher;
    const stored = await readModel(db, workspaceId);
    if (!stored) return this.fallback;
    const matcher = createMatcher({ model: stored.model });
    this.byWorkspace.set(workspaceId, { trainedAt: stored.trainedAt, matcher });
    return matcher;
  }
}
