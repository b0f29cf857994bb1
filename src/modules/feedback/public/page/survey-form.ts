/**
 * The survey form at work in a browser, on the hosted page and in the widget alike: one step
 * at a time, the NPS "why?" shown once a score is chosen, each answer saved as it is given
 * (scores after a short pause, so that arrowing through a scale saves once; text when the
 * field is left), the last step sent as finished, then the thank-you. Saves go one after the
 * other, each with the revision the previous one returned; a stale revision (the answer was
 * edited elsewhere) is retried once from the current one, so the latest answer wins.
 */
import type { UiStrings } from './strings.js';

export interface SurveyFormOptions {
  /** The element (or shadow root) holding what `surveyForm` rendered. */
  root: ParentNode;
  prefix: string;
  /** The public API of this survey, `{origin}/s/api/{surveyId}`. */
  api: string;
  token: string;
  language: string;
  revision: number;
  ui: UiStrings;
  onFinished?: () => void;
}

type Values = Record<string, number | string>;
type Field = HTMLInputElement | HTMLTextAreaElement;

interface ApiError {
  error?: { code?: string; details?: { revision?: number } };
  revision?: number;
}

const SAVE_PAUSE_MS = 700;

export function runSurvey(o: SurveyFormOptions): { give(question: string, value: number): Promise<boolean> } {
  const $ = <T extends Element>(selector: string) => o.root.querySelector<T>(selector);
  const form = $<HTMLFormElement>('.ec-form') as HTMLFormElement;
  const errorBox = $<HTMLElement>(`#${o.prefix}-error`);
  const statusBox = $<HTMLElement>(`#${o.prefix}-status`);
  const thanks = $<HTMLElement>(`#${o.prefix}-thanks`);
  const steps = Array.from(form.querySelectorAll<HTMLElement>('.ec-step'));
  const fields = (scope: ParentNode) => Array.from(scope.querySelectorAll<Field>('input,textarea'));
  let current = Math.max(0, steps.findIndex((s) => !s.hidden));
  let revision = o.revision;
  let busy = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let chain: Promise<boolean> = Promise.resolve(true);
  const pending: Values = {};
  const saved: Values = {};
  for (const f of fields(form)) if (f.type !== 'radio' || (f as HTMLInputElement).checked) saved[f.name] = f.type === 'radio' ? Number(f.value) : f.value;

  const say = (box: HTMLElement | null, text: string) => {
    if (box) box.textContent = text;
  };
  const messageFor = (code: string | undefined) => {
    const e = o.ui.errors;
    if (code === 'SURVEY_TOKEN_EXPIRED') return e.expired;
    if (code === 'SURVEY_CLOSED') return e.closed;
    if (code === 'SURVEY_TOKEN_INVALID') return e.invalid;
    if (code === 'RATE_LIMITED') return e.tooMany;
    return o.ui.saveFailed;
  };

  const note = (f: Field) => {
    const value = f.type === 'radio' ? Number(f.value) : f.value;
    if (saved[f.name] === value && pending[f.name] === undefined) return;
    pending[f.name] = value;
  };

  async function send(finished: boolean): Promise<boolean> {
    const answers: Values = { ...pending };
    if (Object.keys(answers).length === 0 && !finished) return true;
    for (let attempt = 0; attempt < 2; attempt++) {
      let res: Response;
      let body: ApiError | null;
      try {
        res = await fetch(`${o.api}/answers`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token: o.token, answers, revision, finished, language: o.language }),
        });
        body = (await res.json().catch(() => null)) as ApiError | null;
      } catch {
        say(errorBox, o.ui.saveFailed);
        return false;
      }
      if (res.ok && typeof body?.revision === 'number') {
        revision = body.revision;
        for (const [k, v] of Object.entries(answers)) {
          saved[k] = v;
          if (pending[k] === v) delete pending[k];
        }
        say(errorBox, '');
        return true;
      }
      const code = body?.error?.code;
      const current = body?.error?.details?.revision;
      if (code === 'ANSWER_STALE' && attempt === 0 && typeof current === 'number') {
        revision = current;
        continue;
      }
      say(errorBox, messageFor(code));
      return false;
    }
    return false;
  }

  const flush = (finished: boolean): Promise<boolean> => {
    clearTimeout(timer);
    chain = chain.then(() => send(finished));
    return chain;
  };

  const firstControl = (step: HTMLElement): HTMLElement | null =>
    step.querySelector<HTMLElement>('.ec-radio:checked') ?? step.querySelector<HTMLElement>('.ec-radio, textarea');

  const revealWhy = (radio: HTMLInputElement) => {
    const why = radio.closest('.ec-step')?.querySelector<HTMLElement>('.ec-why');
    if (why) why.hidden = false;
  };

  function show(index: number): void {
    const from = steps[current];
    const to = steps[index];
    if (!to) return;
    if (from) from.hidden = true;
    to.hidden = false;
    current = index;
    say(errorBox, '');
    firstControl(to)?.focus();
  }

  function answered(step: HTMLElement): boolean {
    return fields(step).some((f) => (f.type === 'radio' ? (f as HTMLInputElement).checked : f.name === step.dataset.question && f.value.trim() !== ''));
  }

  async function next(): Promise<void> {
    const step = steps[current];
    if (!step || busy) return;
    if (step.dataset.required === '1' && !answered(step)) {
      say(errorBox, o.ui.required);
      firstControl(step)?.focus();
      return;
    }
    for (const f of fields(step)) if (f.type !== 'radio') note(f);
    const last = current === steps.length - 1;
    busy = true;
    say(statusBox, o.ui.saving);
    const ok = await flush(last);
    busy = false;
    say(statusBox, '');
    if (!ok) return;
    if (!last) return show(current + 1);
    form.hidden = true;
    if (thanks) {
      thanks.hidden = false;
      thanks.focus();
    }
    o.onFinished?.();
  }

  form.addEventListener('change', (event) => {
    const f = event.target as Field;
    if (!f.name) return;
    note(f);
    if (f.type === 'radio') revealWhy(f as HTMLInputElement);
    say(errorBox, '');
    clearTimeout(timer);
    timer = setTimeout(() => void flush(false), f.type === 'radio' ? SAVE_PAUSE_MS : 0);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void next();
  });
  form.addEventListener('click', (event) => {
    if (!(event.target as Element).closest('.ec-back') || current === 0) return;
    for (const f of fields(steps[current] as HTMLElement)) if (f.type !== 'radio') note(f);
    void flush(false);
    show(current - 1);
  });

  return {
    /** Record a score given before the page opened (a one-click e-mail button), then ask "why?". */
    async give(question: string, value: number): Promise<boolean> {
      const radio = Array.from(form.querySelectorAll<HTMLInputElement>('.ec-radio')).find((r) => r.name === question && Number(r.value) === value);
      if (!radio) return false;
      const step = radio.closest<HTMLElement>('.ec-step');
      const index = step ? steps.indexOf(step) : -1;
      if (index >= 0 && index !== current) show(index);
      radio.checked = true;
      pending[question] = value;
      revealWhy(radio);
      const ok = await flush(false);
      (step?.querySelector<HTMLElement>('.ec-why textarea') ?? radio).focus();
      return ok;
    },
  };
}
