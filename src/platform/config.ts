import { z } from 'zod';
import { AppError } from './errors.js';

/** Runtime configuration, read from the environment and CLI flags, validated once. */
export const ZConfig = z.object({
  databaseUrl: z
    .string()
    .min(1)
    .default('./data/emptychair.db')
    .describe('a SQLite file path, or postgres://user@host:port/db'),
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(4700),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Secure cookies need HTTPS; on by default when the public URL is https. */
  publicUrl: z.string().url().optional(),
  bodyLimitBytes: z.coerce.number().int().positive().default(1_048_576),
  /** Behind a load balancer: take the client's address from X-Forwarded-For (rate limits, logs). */
  trustProxy: z.union([z.boolean(), z.stringbool()]).default(false),
  /** SMTP server for survey e-mails: smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465. */
  smtpUrl: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'an smtp:// or smtps:// URL')
    .optional(),
  /** The From of survey e-mails: "Acme <surveys@acme.com>" or an address. */
  mailFrom: z.string().min(3).max(300).optional(),
  /** Let notification targets be private, loopback or link-local addresses (default: yes on SQLite, no on PostgreSQL). */
  notifyAllowPrivate: z.union([z.boolean(), z.stringbool()]).optional(),
  /** Let notification targets use plain http to any host (default: only to this machine). */
  notifyAllowHttp: z.union([z.boolean(), z.stringbool()]).optional(),
  /** Notification deliveries at once in this process (half of them to any one target); default 64. */
  notifyConcurrency: z.coerce.number().int().min(1).max(1024).optional(),
  /**
   * Run the background jobs (identity resolution, rules, deadlines, deliveries) on a thread of
   * their own with a database connection of their own. Unset: on SQLite yes (the database runs
   * inside the server process, so the thread puts an otherwise idle core to work); on PostgreSQL
   * no (its own processes use the other cores: on a machine shared with the database the thread
   * measured slower).
   */
  backgroundThread: z.union([z.boolean(), z.stringbool()]).optional(),
});

export type Config = z.infer<typeof ZConfig>;

export function loadConfig(overrides: Partial<Record<keyof Config, unknown>> = {}, env = process.env): Config {
  const fromEnv = {
    databaseUrl: env.EMPTYCHAIR_DATABASE_URL,
    host: env.EMPTYCHAIR_HOST,
    port: env.EMPTYCHAIR_PORT ?? env.PORT,
    logLevel: env.EMPTYCHAIR_LOG_LEVEL,
    publicUrl: env.EMPTYCHAIR_PUBLIC_URL,
    bodyLimitBytes: env.EMPTYCHAIR_BODY_LIMIT,
    trustProxy: env.EMPTYCHAIR_TRUST_PROXY,
    smtpUrl: env.EMPTYCHAIR_SMTP_URL,
    mailFrom: env.EMPTYCHAIR_MAIL_FROM,
    notifyAllowPrivate: env.EMPTYCHAIR_NOTIFY_ALLOW_PRIVATE,
    notifyAllowHttp: env.EMPTYCHAIR_NOTIFY_ALLOW_HTTP,
    notifyConcurrency: env.EMPTYCHAIR_NOTIFY_CONCURRENCY,
    backgroundThread: env.EMPTYCHAIR_BACKGROUND_THREAD,
  };
  const merged = Object.fromEntries(
    Object.entries({ ...fromEnv, ...overrides }).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = ZConfig.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('VALIDATION_FAILED', `invalid configuration: ${issue?.path.join('.')}: ${issue?.message}`, {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return parsed.data;
}
