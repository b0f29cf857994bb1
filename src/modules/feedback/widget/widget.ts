/**
 * The embeddable widget, served as `/widget.js` (an IIFE) and loaded with one tag:
 *
 *   <script async src="{origin}/widget.js" data-survey="srv_…" data-token="…"></script>
 *
 * or `data-anonymous-id="…"` instead of a token when the survey allows anonymous answers.
 * It fetches the survey as the respondent sees it, decides from the survey's widget rules
 * (pages, event, delay, sample) whether and when to show it, and shows it in a shadow root
 * (the page's CSS cannot reach it, its CSS cannot leak out) as a non-modal dialog that
 * Escape closes. No cookies: what it remembers (drawn for the sample, shown, answered,
 * closed, an anonymous visitor's token) sits in the site's own localStorage.
 */
import type { PublicSurvey } from '../public/localize.js';
import { esc } from '../public/page/html.js';
import { surveyForm } from '../public/page/render.js';
import { surveyCss } from '../public/page/styles.js';
import { runSurvey } from '../public/page/survey-form.js';
import { inSample, pathMatches } from './rules.js';

interface View {
  survey: PublicSurvey;
  response: { answers: Record<string, number | string>; revision: number; complete: boolean } | null;
}
interface Memory {
  draw?: number;
  shown?: number;
  done?: number;
  closed?: number;
  visitor?: string;
  token?: string;
  expires?: number;
}
interface Global {
  emptychair?: { track?: (name: string) => void; q?: unknown[] };
}

const TRACK = 'emptychair:track';
const CSS = `:host{all:initial!important;position:fixed!important;right:16px!important;bottom:16px!important;left:auto!important;top:auto!important;z-index:2147483647!important;display:block!important}.ec-dialog{position:relative;width:min(360px,calc(100vw - 32px));max-height:calc(100vh - 32px);overflow:auto;background:#fff;border-radius:12px;border-top:6px solid var(--brand);box-shadow:0 8px 30px rgba(0,0,0,.3);padding:1rem}.ec-title{font-weight:600;margin:0 2.75rem .75rem 0}.ec-dialog .ec-close{position:absolute;top:.25rem;right:.25rem;min-width:44px;padding:0;border:0;background:transparent;color:#1a1a1a;font-size:1.5rem;line-height:1}@media (max-width:480px){:host{left:8px!important;right:8px!important;bottom:8px!important}.ec-dialog{width:100%}}`;

const eventName = (detail: unknown): string | undefined => {
  if (typeof detail === 'string') return detail;
  const d = detail as { event?: unknown; name?: unknown } | null;
  const name = d?.event ?? d?.name;
  return typeof name === 'string' ? name : undefined;
};

function start(script: HTMLScriptElement): void {
  script.setAttribute('data-ec-ready', '');
  const { survey: surveyId, token: givenToken, anonymousId, lang } = script.dataset;
  if (!surveyId) return;
  const api = `${new URL(script.src, location.href).origin}/s/api/${encodeURIComponent(surveyId)}`;
  const key = `emptychair:${surveyId}`;
  let memory: Memory = {};
  try {
    memory = (JSON.parse(localStorage.getItem(key) ?? '{}') as Memory | null) ?? {};
  } catch {
    // Storage blocked or garbled: remember nothing.
  }
  const remember = (change: Memory) => {
    memory = { ...memory, ...change };
    try {
      localStorage.setItem(key, JSON.stringify(memory));
    } catch {
      // Storage full or blocked: the widget still works, it only forgets.
    }
  };
  if (memory.done || memory.closed) return;

  const early: string[] = [];
  let onEvent: ((name: string) => void) | undefined;
  window.addEventListener(TRACK, (e) => {
    const name = eventName((e as CustomEvent<unknown>).detail);
    if (name === undefined) return;
    if (onEvent) onEvent(name);
    else early.push(name);
  });

  async function token(): Promise<string | undefined> {
    if (givenToken) return givenToken;
    if (!anonymousId) return undefined;
    if (memory.token && memory.visitor === anonymousId && (memory.expires ?? 0) > Date.now() + 3_600_000) return memory.token;
    const res = await fetch(`${api}/visitor`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ anonymousId }) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { token: string; expiresAt: string };
    remember({ visitor: anonymousId, token: body.token, expires: Date.parse(body.expiresAt) });
    return body.token;
  }

  function show(view: View, t: string): void {
    const s = view.survey;
    remember({ shown: Date.now() });
    const before = document.activeElement as HTMLElement | null;
    const host = document.createElement('emptychair-survey');
    const root = host.attachShadow({ mode: 'open' });
    const css = surveyCss(s.branding.colour, ':host') + CSS;
    let style = '';
    try {
      // A constructed sheet is not inline style: it works under the site's own CSP too.
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [sheet];
    } catch {
      style = `<style>${css}</style>`;
    }
    const title = s.title ?? s.branding.companyName ?? s.ui.defaultTitle;
    root.innerHTML = `${style}<div class="ec ec-dialog" role="dialog" aria-modal="false" aria-labelledby="ecw-title" tabindex="-1" lang="${esc(s.language)}"><button type="button" class="ec-close" aria-label="${esc(s.ui.close)}">×</button><p class="ec-title" id="ecw-title">${esc(title)}</p>${surveyForm(s, view.response?.answers ?? {}, 'ecw')}</div>`;
    document.body.appendChild(host);
    const dialog = root.querySelector('.ec-dialog') as HTMLElement;
    const close = () => {
      host.remove();
      remember({ closed: Date.now() });
      if (before && before.isConnected) before.focus();
    };
    root.querySelector('.ec-close')?.addEventListener('click', close);
    dialog.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      close();
    });
    runSurvey({ root, prefix: 'ecw', api, token: t, language: s.language, revision: view.response?.revision ?? 0, ui: s.ui, onFinished: () => remember({ done: Date.now() }) });
    // Take focus only from someone not busy typing on the page.
    if (!before || !before.matches('input,textarea,select,[contenteditable]:not([contenteditable="false"])')) dialog.focus();
  }

  async function load(): Promise<void> {
    const t = await token();
    if (!t) return;
    const res = await fetch(`${api}?t=${encodeURIComponent(t)}${lang ? `&lang=${encodeURIComponent(lang)}` : ''}`);
    if (!res.ok) return;
    const view = (await res.json()) as View;
    if (view.response?.complete) return remember({ done: Date.now() });
    const rules = view.survey.widget;
    if (memory.draw === undefined) remember({ draw: Math.random() });
    if (!inSample(memory.draw as number, rules.sample)) return;
    let armed = false;
    const arm = () => {
      if (armed || !pathMatches(rules.pages, location.pathname)) return;
      armed = true;
      setTimeout(() => show(view, t), rules.delaySeconds * 1000);
    };
    if (!rules.event) return arm();
    onEvent = (name) => {
      if (name === rules.event) arm();
    };
    early.forEach(onEvent);
  }

  load().catch(() => undefined);
}

const g = window as unknown as Global;
const api = (g.emptychair ??= {});
if (!api.track) {
  api.track = (name: string) => void window.dispatchEvent(new CustomEvent(TRACK, { detail: name }));
  // Calls queued before the script loaded: `(window.emptychair = window.emptychair || {q: []}).q.push('Event')`.
  const queued = api.q ?? [];
  api.q = { push: (name: unknown) => api.track?.(String(name)) } as unknown as unknown[];
  setTimeout(() => queued.forEach((name) => api.track?.(String(name))));
}
const current = document.currentScript as HTMLScriptElement | null;
if (current?.dataset.survey) start(current);
else document.querySelectorAll<HTMLScriptElement>('script[data-survey]:not([data-ec-ready])').forEach(start);
