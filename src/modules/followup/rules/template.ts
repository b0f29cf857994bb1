/**
 * Title and message templates: plain text with `{{field}}` placeholders, e.g.
 * "Call {{customer.name}} back: NPS {{feedback.score}}". The result is plain text (no markup,
 * no escaping): whoever displays it escapes it for their medium. Pure.
 */

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const FIELD = /^(customer\.(name|email|id|traits\.[^\s.][^\s]*)|event\.(name|type|properties\.[^\s.][^\s]*|traits\.[^\s.][^\s]*)|feedback\.(score|category|metric|surveyName|surveyId|channel|sentiment|themes)|rule\.name)$/;

/** The fields a template names, and what is wrong with it (unknown fields, stray braces). */
export function templateFields(text: string): { fields: string[]; problems: string[] } {
  const fields: string[] = [];
  const problems: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) {
    const f = m[1] ?? '';
    if (FIELD.test(f)) fields.push(f);
    else problems.push(`unknown placeholder {{${f}}}: use customer.name, customer.email, customer.traits.<x>, event.name, event.properties.<x>, feedback.score, feedback.category …`);
  }
  const rest = text.replace(PLACEHOLDER, '');
  if (rest.includes('{{') || rest.includes('}}')) problems.push('unbalanced {{ or }}');
  return { fields, problems };
}

/** A value by dotted path; a key that itself holds dots ("plan.name") is found too. */
export function valueAt(root: unknown, path: string): unknown {
  let here: unknown = root;
  const parts = path.split('.');
  for (let i = 0; i < parts.length; i++) {
    if (typeof here !== 'object' || here === null || Array.isArray(here)) return undefined;
    const o = here as Record<string, unknown>;
    const rest = parts.slice(i).join('.');
    if (i > 0 && Object.hasOwn(o, rest)) return o[rest];
    const part = parts[i] as string;
    if (!Object.hasOwn(o, part)) return undefined;
    here = o[part];
  }
  return here;
}

function plain(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(plain).filter(Boolean).join(', ');
  return '';
}

/**
 * Fill a template from a context `{customer, event, feedback, rule}`. Missing values become
 * empty; control characters go; runs of spaces collapse; the result is cut to `max` characters.
 */
export function renderTemplate(text: string, context: Record<string, unknown>, max = 300): string {
  const filled = text.replace(PLACEHOLDER, (_m, f: string) => plain(valueAt(context, f)));
  // eslint-disable-next-line no-control-regex
  const clean = filled.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s{2,}/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
