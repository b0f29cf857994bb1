/** A workspace's follow-up settings: which tracked events count as a human contact. */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { readSetting, writeSetting, type Database } from '../../store/index.js';

export const DEFAULT_CONTACT_EVENTS = ['Contacted', 'Call Logged', 'Email Replied'];

export const ZFollowupSettings = z
  .object({
    /** Track events (from the tracking API) that stop the clocks of their customer's open tasks. */
    contactEvents: z.array(z.string().trim().min(1).max(200)).max(50).default(DEFAULT_CONTACT_EVENTS),
  })
  .strict();
export type FollowupSettings = z.infer<typeof ZFollowupSettings>;

const KEY = 'followup';

export async function readFollowupSettings(db: Kysely<Database>, workspaceId: string): Promise<FollowupSettings> {
  const parsed = ZFollowupSettings.safeParse((await readSetting<unknown>(db, workspaceId, KEY)) ?? {});
  return parsed.success ? parsed.data : ZFollowupSettings.parse({});
}

export async function writeFollowupSettings(db: Kysely<Database>, workspaceId: string, settings: FollowupSettings, now: number): Promise<void> {
  await writeSetting(db, workspaceId, KEY, settings, now);
}
