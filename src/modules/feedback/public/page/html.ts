/** Text made safe for HTML: everything a customer or a company typed goes through these. Pure. */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for an element's content or a double-quoted attribute value. */
export const esc = (value: unknown): string => String(value).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

/**
 * JSON that can sit inside `<script type="application/json">`: no `<`, `>` or `&` can close the
 * element or open a comment, and the line separators JavaScript once choked on are escaped.
 */
export const jsonForScript = (value: unknown): string =>
  JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
