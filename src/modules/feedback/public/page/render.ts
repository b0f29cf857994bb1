/**
 * A survey as HTML: one step per question, each scored question a fieldset of radio buttons
 * with its legend and the words at the ends of its scale, NPS followed by its "why?", then the
 * thank-you. The server renders it into the hosted page; the widget renders the same markup
 * into its shadow root. Everything typed by a company or a customer is escaped. Pure.
 */
import type { PublicQuestion, PublicSurvey } from '../localize.js';
import { esc } from './html.js';

export type AnswerValues = Record<string, number | string>;

const WHY = ':why';

function scaleStep(q: PublicQuestion, p: string, answers: AnswerValues): string {
  const scale = q.scale as NonNullable<PublicQuestion['scale']>;
  const id = `${p}-${q.id}`;
  const chosen = answers[q.id];
  const options: string[] = [];
  for (let v = scale.min; v <= scale.max; v++) {
    options.push(
      `<span class="ec-opt"><input class="ec-radio" type="radio" id="${id}-${v}" name="${esc(q.id)}" value="${v}"${chosen === v ? ' checked' : ''}${q.required ? ' required' : ''}><label for="${id}-${v}">${v}</label></span>`,
    );
  }
  const ends = `<p class="ec-ends" id="${id}-ends"><span><span class="ec-sr">${scale.min}: </span>${esc(scale.lowLabel)}</span><span><span class="ec-sr">${scale.max}: </span>${esc(scale.highLabel)}</span></p>`;
  let html = `<fieldset class="ec-q" aria-describedby="${id}-ends"><legend class="ec-legend">${esc(q.text)}${q.required ? '<span class="ec-req" aria-hidden="true"> *</span>' : ''}</legend><div class="ec-scale ec-n${scale.max - scale.min + 1}">${options.join('')}</div>${ends}</fieldset>`;
  if (q.followUp !== null) {
    const why = answers[q.id + WHY];
    html += `<div class="ec-why"${typeof chosen === 'number' ? '' : ' hidden'}><label class="ec-label" for="${id}-why">${esc(q.followUp)}</label><textarea id="${id}-why" name="${esc(q.id + WHY)}" rows="4">${typeof why === 'string' ? esc(why) : ''}</textarea></div>`;
  }
  return html;
}

function textStep(q: PublicQuestion, p: string, answers: AnswerValues): string {
  const value = answers[q.id];
  return `<div class="ec-q"><label class="ec-label ec-legend" for="${p}-${q.id}">${esc(q.text)}${q.required ? '<span class="ec-req" aria-hidden="true"> *</span>' : ''}</label><textarea id="${p}-${q.id}" name="${esc(q.id)}" rows="5"${q.required ? ' required' : ''}>${typeof value === 'string' ? esc(value) : ''}</textarea></div>`;
}

/**
 * The survey's form and its live regions. `prefix` keeps ids unique (the page and a widget on
 * the same document); `answers` are shown as given before.
 */
export function surveyForm(survey: PublicSurvey, answers: AnswerValues, prefix: string): string {
  const ui = survey.ui;
  const total = survey.questions.length;
  const steps = survey.questions.map((q, i) => {
    const last = i === total - 1;
    const progress = total > 1 ? `<p class="ec-progress">${esc(ui.progress.replace('{n}', String(i + 1)).replace('{total}', String(total)))}</p>` : '';
    const body = q.scale ? scaleStep(q, prefix, answers) : textStep(q, prefix, answers);
    const back = i > 0 ? `<button type="button" class="ec-back">${esc(ui.back)}</button>` : '';
    return `<section class="ec-step" data-step="${i}" data-question="${esc(q.id)}" data-required="${q.required ? '1' : '0'}" tabindex="-1"${i > 0 ? ' hidden' : ''}>${progress}${body}<div class="ec-nav">${back}<button type="submit" class="ec-next">${esc(last ? ui.send : ui.next)}</button></div></section>`;
  });
  return (
    `<form class="ec-form" novalidate>${steps.join('')}</form>` +
    `<p class="ec-error" role="alert" id="${prefix}-error"></p><p class="ec-status" role="status" id="${prefix}-status"></p>` +
    `<p class="ec-thanks" id="${prefix}-thanks" tabindex="-1" hidden>${esc(survey.thankYou)}</p>`
  );
}
