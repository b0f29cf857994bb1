/**
 * One walk over a decoded JSON value before validation: refuses absurd nesting, and makes
 * every string storable on both dialects (PostgreSQL text and jsonb take neither NUL nor a
 * lone UTF-16 surrogate). Iterative, so a hostile depth cannot overflow the stack.
 */
const PATTERN = '\\u0000|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
const UNSTORABLE = new RegExp(PATTERN);
const UNSTORABLE_ALL = new RegExp(PATTERN, 'g');

const clean = (s: string): string => (UNSTORABLE.test(s) ? s.replace(UNSTORABLE_ALL, '\ufffd') : s);

export type Sanitized = { ok: true; value: unknown } | { ok: false; reason: string };

export function sanitize(root: unknown, maxDepth: number): Sanitized {
  const holder: { v: unknown } = { v: root };
  // Each entry: a container, a key in it, and the depth of the value at that key.
  const stack: Array<[Record<string, unknown> | unknown[], string | number, number]> = [[holder as Record<string, unknown>, 'v', 0]];
  while (stack.length > 0) {
    const [parent, key, depth] = stack.pop() as [Record<string, unknown>, string, number];
    const value = parent[key];
    if (typeof value === 'string') {
      parent[key] = clean(value);
    } else if (value !== null && typeof value === 'object') {
      if (depth >= maxDepth) return { ok: false, reason: `nested deeper than ${maxDepth} levels` };
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) stack.push([value, i, depth + 1]);
      } else {
        const obj = value as Record<string, unknown>;
        for (const k of Object.keys(obj)) {
          if (UNSTORABLE.test(k)) {
            const v = obj[k];
            delete obj[k];
            obj[clean(k)] = v;
            stack.push([obj, clean(k), depth + 1]);
          } else {
            stack.push([obj, k, depth + 1]);
          }
        }
      }
    }
  }
  return { ok: true, value: holder.v };
}

/** Whether objects and arrays in `root` nest deeper than `maxDepth` (iterative). */
export function nestsDeeperThan(root: unknown, maxDepth: number): boolean {
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (value === null || typeof value !== 'object') continue;
    if (depth >= maxDepth) return true;
    for (const child of Object.values(value)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}
