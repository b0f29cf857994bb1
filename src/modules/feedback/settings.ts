/** A workspace's feedback settings: contact limits, quiet hours, link lifetime, brand. */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { readSetting, writeSetting, type Database } from '../../store/index.js';
import { ZBranding } from './surveys/survey.schema.js';

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};
export const ZTimeZone = z.string().min(1).max(64).refine(isTimeZone, 'an IANA time zone such as "Europe/Paris"');

export const ZFeedbackSettings = z.object({
  /** Nobody is asked more than once in this many days, across all surveys (0: no limit). */
  contactLimitDays: z.number().int().min(0).max(365).default(30),
  /** No e-mail is sent between these hours of the customer's local time; null: any hour. */
  quietHours: z
    .object({ start: z.number().int().min(0).max(23), end: z.number().int().min(0).max(23) })
    .refine((q) => q.start !== q.end, 'start and end must differ')
    .nullable()
    .default({ start: 21, end: 8 }),
  /** The time zone of customers whose profile has none. */
  defaultTimeZone: ZTimeZone.default('UTC'),
  /** How long a survey link stays valid. */
  linkLifetimeDays: z.number().int().min(1).max(365).default(30),
  /** The workspace's logo, colour and name; a survey's own branding overrides it. */
  branding: ZBranding.default({}),
});
export type FeedbackSettings = z.infer<typeof ZFeedbackSettings>;

const KEY = 'feedback';

export async function readFeedbackSettings(db: Kysely<Database>, workspaceId: string): Promise<FeedbackSettings> {
  const stored = await readSetting<unknown>(db, workspaceId, KEY);
  const parsed = ZFeedbackSettings.safeParse(stored ?? {});
  return parsed.success ? parsed.data : ZFeedbackSettings.parse({});
}

export async function writeFeedbackSettings(db: Kysely<Database>, workspaceId: string, settings: FeedbackSettings, now: number): Promise<void> {
  await writeSetting(db, workspaceId, KEY, settings, now);
}
