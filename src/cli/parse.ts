import type { z } from 'zod';
import { AppError } from '../platform/errors.js';

/** Validate CLI flags with zod; the first problem becomes a one-line error. */
export function parseFlags<S extends z.ZodType>(schema: S, flags: unknown): z.infer<S> {
  const parsed = schema.safeParse(flags);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flag = issue?.path.length ? `--${String(issue.path[0]).replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}` : 'flags';
    throw new AppError('VALIDATION_FAILED', `${flag}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
