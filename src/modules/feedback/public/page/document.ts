/**
 * The hosted page as one HTML document: the brand, the survey form, its data for the page
 * script, the styles and the script inline under the response's CSP nonce. And the friendly
 * page shown instead when a link cannot be answered. Pure.
 */
import type { PublicSurvey } from '../localize.js';
import { esc, jsonForScript } from './html.js';
import { surveyForm, type AnswerValues } from './render.js';
import type { UiStrings } from './strings.js';
import { surveyCss } from './styles.js';

/** What the page script needs, read from `<script type="application/json" id="ec-data">`. */
export interface PageData {
  surveyId: string;
  token: string;
  language: string;
  revision: number;
  /** A score given in the link (a one-click e-mail button), recorded by the script on load. */
  score: { question: string; value: number } | null;
  ui: UiStrings;
}

const PAGE_CSS = `html{background:#f3f4f6}body{margin:0}.ec-page{max-width:40rem;margin:0 auto;padding:1rem}.ec-card{background:#fff;border-radius:12px;border-top:6px solid var(--brand);padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.2)}.ec-brand{display:flex;align-items:center;gap:.75rem;margin:0 0 1rem;font-weight:600}.ec-brand img{max-height:48px;max-width:10rem;object-fit:contain}.ec h1{font-size:1.375em;line-height:1.3;margin:0 0 1rem}@media (min-width:40rem){.ec-page{padding:2rem 1rem}.ec-card{padding:2rem}}`;

const RTL = new Set(['ar', 'he', 'fa', 'ur']);

function shell(o: { lang: string; title: string; nonce: string; css: string; body: string; scripts?: string }): string {
  return (
    `<!doctype html><html lang="${esc(o.lang)}" dir="${RTL.has(o.lang) ? 'rtl' : 'ltr'}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><meta name="robots" content="noindex">` +
    `<title>${esc(o.title)}</title><style nonce="${o.nonce}">${o.css}${PAGE_CSS}</style></head>` +
    `<body class="ec"><main class="ec-page"><div class="ec-card">${o.body}</div></main>${o.scripts ?? ''}</body></html>`
  );
}

function brandHeader(branding: PublicSurvey['branding']): string {
  const name = branding.companyName ? `<span>${esc(branding.companyName)}</span>` : '';
  const logo = branding.logoUrl ? `<img src="${esc(branding.logoUrl)}" alt="${branding.companyName ? '' : 'Logo'}">` : '';
  return logo || name ? `<div class="ec-brand">${logo}${name}</div>` : '';
}

export function surveyPage(o: { survey: PublicSurvey; answers: AnswerValues; complete: boolean; data: PageData; nonce: string; script: string }): string {
  const { survey, nonce } = o;
  const title = survey.title ?? survey.branding.companyName ?? survey.ui.defaultTitle;
  const note = o.complete ? `<p class="ec-note">${esc(survey.ui.answeredBefore)}</p>` : '';
  const body = `${brandHeader(survey.branding)}<h1>${esc(title)}</h1>${note}${surveyForm(survey, o.answers, 'ec')}`;
  const scripts = `<script type="application/json" id="ec-data">${jsonForScript(o.data)}</script><script nonce="${nonce}">${o.script}</script>`;
  return shell({ lang: survey.language, title, nonce, css: surveyCss(survey.branding.colour), body, scripts });
}

export type PageProblem = keyof Omit<UiStrings['errors'], 'title'>;

export function errorPage(o: { ui: UiStrings; language: string; problem: PageProblem; nonce: string }): string {
  const body = `<h1>${esc(o.ui.errors.title)}</h1><p>${esc(o.ui.errors[o.problem])}</p>`;
  return shell({ lang: o.language, title: o.ui.errors.title, nonce: o.nonce, css: surveyCss(undefined), body });
}
