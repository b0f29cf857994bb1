/**
 * When the widget may show itself: on which pages (path patterns, `*` for anything), and to
 * which share of visitors (a random draw per visitor, kept so that a visitor stays in or out).
 * Pure.
 */

/** Does a URL path match one of the patterns (none: every page)? `*` matches any run of characters. */
export function pathMatches(patterns: readonly string[], path: string): boolean {
  if (patterns.length === 0) return true;
  return patterns.some((p) => new RegExp(`^${p.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(path));
}

/** Is a visitor with this draw (0 ≤ draw < 1) in a sample of this share? */
export const inSample = (draw: number, share: number): boolean => draw < share;
