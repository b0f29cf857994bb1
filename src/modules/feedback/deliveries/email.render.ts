/**
 * A survey as an e-mail: subject, HTML and plain text, in the respondent's language, with the
 * brand, and for a scored first question one link per score. Pure: everything arrives as data.
 * Everything a customer or the company typed is escaped; URLs are ours (built with URL).
 */
import type { PublicQuestion, PublicSurvey } from '../public/localize.js';
import type { SurveyDefinition, Wording } from '../surveys/survey.schema.js';

export interface RenderInput {
  /** The survey in the respondent's language, with the brand merged (see localize). */
  survey: PublicSurvey;
  definition: SurveyDefinition;
  /** The hosted page for this delivery, absolute, with its token (`…/s/<id>?t=…`). */
  pageUrl: string;
  recipientName?: string | null | undefined;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  /** The score links in order (low to high), for the scored question; empty otherwise. */
  scoreLinks: { score: number; url: string }[];
}

const WORDS: Record<string, { subject: string; hello: (name: string) => string; open: string; footer: (company: string) => string }> = {
  en: { subject: 'A quick question', hello: (n) => `Hi ${n},`, open: 'Answer the survey', footer: (c) => `You received this e-mail because you are a customer of ${c}.` },
  fr: { subject: 'Une petite question', hello: (n) => `Bonjour ${n},`, open: 'Répondre à l’enquête', footer: (c) => `Vous recevez cet e-mail en tant que client de ${c}.` },
  de: { subject: 'Eine kurze Frage', hello: (n) => `Hallo ${n},`, open: 'Zur Umfrage', footer: (c) => `Sie erhalten diese E-Mail als Kunde von ${c}.` },
  es: { subject: 'Una pregunta rápida', hello: (n) => `Hola ${n}:`, open: 'Responder a la encuesta', footer: (c) => `Recibe este correo porque es cliente de ${c}.` },
  nl: { subject: 'Een korte vraag', hello: (n) => `Hallo ${n},`, open: 'Naar de enquête', footer: (c) => `U ontvangt deze e-mail omdat u klant bent van ${c}.` },
};

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c] as string);
/** One line of text for a header or the plain part: no line breaks, no control characters. */
// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]+/g;
const oneLine = (s: string): string => s.replace(CONTROL, ' ').trim();

const COLOUR = /^#[0-9a-fA-F]{6}$/;
const DEFAULT_COLOUR = '#2f6fed';

const wordingIn = (w: Wording | undefined, language: string, fallback: string): string | undefined => w?.[language] ?? w?.[fallback];

/** White or near-black text, whichever reads better on the brand colour. */
function textOn(colour: string): string {
  const n = Number.parseInt(colour.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  return 0.299 * r + 0.587 * g + 0.114 * b > 160 ? '#111111' : '#ffffff';
}

export function scoreUrl(pageUrl: string, score: number): string {
  const url = new URL(pageUrl, 'http://placeholder.invalid');
  url.searchParams.set('score', String(score));
  return pageUrl.startsWith('/') ? `${url.pathname}${url.search}` : url.toString();
}

/** The question the score buttons answer: the first, when it is scored; else the first scored one. */
export function scoredQuestion(survey: PublicSurvey): PublicQuestion | undefined {
  const first = survey.questions[0];
  return first?.scale ? first : survey.questions.find((q) => q.scale !== null);
}

export function renderSurveyEmail(input: RenderInput): RenderedEmail {
  const { survey, definition, pageUrl } = input;
  const lang = survey.language;
  const words = WORDS[lang] ?? (WORDS.en as NonNullable<(typeof WORDS)['en']>);
  const brand = survey.branding;
  const company = brand.companyName ? oneLine(brand.companyName) : undefined;
  const colour = brand.colour && COLOUR.test(brand.colour) ? brand.colour : DEFAULT_COLOUR;
  const scored = scoredQuestion(survey);
  const first = survey.questions[0];
  const intro = wordingIn(definition.email.intro, lang, definition.defaultLanguage);
  const question = scored ?? first;
  const questionText = question?.text ?? '';

  const subjectWords = wordingIn(definition.email.subject, lang, definition.defaultLanguage) ?? survey.title ?? (company ? `${company}: ${words.subject}` : words.subject);
  const subject = oneLine(subjectWords).slice(0, 250);
  const name = input.recipientName ? oneLine(input.recipientName).slice(0, 100) : '';

  const scoreLinks = scored?.scale ? range(scored.scale.min, scored.scale.max).map((score) => ({ score, url: scoreUrl(pageUrl, score) })) : [];

  // Plain text.
  const text: string[] = [];
  if (company) text.push(company, '');
  if (name) text.push(words.hello(name), '');
  if (intro) text.push(oneLine(intro), '');
  text.push(oneLine(questionText), '');
  if (scored?.scale) {
    text.push(`${scored.scale.min} = ${oneLine(scored.scale.lowLabel)}, ${scored.scale.max} = ${oneLine(scored.scale.highLabel)}`, '');
    for (const l of scoreLinks) text.push(`${l.score}: ${l.url}`);
    text.push('');
  }
  text.push(`${words.open}: ${pageUrl}`);
  if (company) text.push('', words.footer(company));

  // HTML: tables and inline styles, which is what mail clients render.
  const e = escapeHtml;
  const fg = textOn(colour);
  const buttons = scoreLinks
    .map(
      (l) =>
        `<td style="padding:2px"><a href="${e(l.url)}" style="display:inline-block;min-width:28px;padding:8px 6px;border-radius:4px;background:${colour};color:${fg};font:bold 15px Arial,sans-serif;text-align:center;text-decoration:none">${l.score}</a></td>`,
    )
    .join('');
  const html: string[] = [
    '<!doctype html>',
    `<html lang="${e(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${e(subject)}</title></head>`,
    '<body style="margin:0;padding:0;background:#f4f5f7">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f5f7"><tr><td align="center" style="padding:24px 12px">',
    '<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;border-radius:8px;font:15px/1.5 Arial,sans-serif;color:#222222">',
    `<tr><td style="padding:20px 24px;border-top:6px solid ${colour};border-radius:8px 8px 0 0">`,
    brand.logoUrl ? `<img src="${e(brand.logoUrl)}" alt="${e(company ?? '')}" height="40" style="height:40px;border:0;display:block">` : company ? `<strong style="font-size:18px">${e(company)}</strong>` : '',
    '</td></tr>',
    '<tr><td style="padding:8px 24px 24px">',
    name ? `<p style="margin:0 0 12px">${e(words.hello(name))}</p>` : '',
    intro ? `<p style="margin:0 0 12px">${e(intro)}</p>` : '',
    `<p style="margin:0 0 16px;font-size:17px;font-weight:bold">${e(questionText)}</p>`,
    scored?.scale
      ? [
          `<table role="presentation" cellpadding="0" cellspacing="0"><tr>${buttons}</tr></table>`,
          `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="font-size:12px;color:#666666;margin-top:4px"><tr><td align="left">${e(scored.scale.lowLabel)}</td><td align="right">${e(scored.scale.highLabel)}</td></tr></table>`,
        ].join('')
      : `<p style="margin:0"><a href="${e(pageUrl)}" style="display:inline-block;padding:10px 16px;border-radius:4px;background:${colour};color:${fg};text-decoration:none;font-weight:bold">${e(words.open)}</a></p>`,
    scored?.scale ? `<p style="margin:16px 0 0;font-size:13px"><a href="${e(pageUrl)}" style="color:${colour}">${e(words.open)}</a></p>` : '',
    '</td></tr>',
    company ? `<tr><td style="padding:12px 24px 20px;font-size:12px;color:#888888">${e(words.footer(company))}</td></tr>` : '',
    '</table></td></tr></table></body></html>',
  ];
  return { subject, html: html.filter((l) => l !== '').join('\n'), text: text.join('\n'), scoreLinks };
}

function range(min: number, max: number): number[] {
  const out: number[] = [];
  for (let i = min; i <= max; i++) out.push(i);
  return out;
}
