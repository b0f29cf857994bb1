/** A workspace's identity-resolution settings (workspace setting `identity`). */
import { z } from 'zod';
import type { Kysely } from 'kysely';
import { readSetting, writeSetting, type Database } from '../../store/index.js';

export const ZIdentitySettings = z
  .object({
    /** Match probability at or above which two profiles merge without review. */
    mergeThreshold: z.number().gt(0).lt(1).default(0.99),
    /** Match probability at or above which a pair goes to the review queue. */
    reviewThreshold: z.number().gt(0).lt(1).default(0.6),
    /** An e-mail or phone that tied together this many people with different ids stops being evidence. */
    sharedAfterConflicts: z.number().int().min(1).max(100).default(2),
    /** The silo whose contact ids are your app's userIds (what `identify(userId)` sends), if any. */
    userIdSource: z.string().min(1).max(64).nullable().default(null),
    /** Region for reading national phone numbers when a record names no country (ISO 3166 alpha-2). */
    defaultCountry: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 alpha-2 code such as GB').default('US'),
  })
  .strict()
  .refine((s) => s.reviewThreshold <= s.mergeThreshold, { message: 'reviewThreshold must not exceed mergeThreshold', path: ['reviewThreshold'] });

export type IdentitySettings = z.infer<typeof ZIdentitySettings>;

const KEY = 'identity';

export async function readIdentitySettings(db: Kysely<Database>, workspaceId: string): Promise<IdentitySettings> {
  const stored = await readSetting<unknown>(db, workspaceId, KEY);
  const parsed = ZIdentitySettings.safeParse(stored ?? {});
  // A setting written by an older version that no longer validates falls back to the defaults.
  return parsed.success ? parsed.data : ZIdentitySettings.parse({});
}

export async function writeIdentitySettings(db: Kysely<Database>, workspaceId: string, settings: IdentitySettings, now: number): Promise<void> {
  await writeSetting(db, workspaceId, KEY, settings, now);
}
