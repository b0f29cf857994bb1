import { statSync } from 'node:fs';
import { AppError, type ErrorCode } from './errors.js';

/** The size of a regular file; a missing file, a directory or no access is one clear error with `code`. */
export function readableFileSize(path: string, code: ErrorCode): number {
  try {
    const st = statSync(path);
    if (st.isFile()) return st.size;
  } catch {
    // fall through: the same answer as for a directory
  }
  throw new AppError(code, `cannot read ${path}`);
}
