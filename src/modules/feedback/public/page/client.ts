/** The hosted page's script: the form at work on the server-rendered survey, and a score given in the link recorded on load. */
import type { PageData } from './document.js';
import { runSurvey } from './survey-form.js';

const data = JSON.parse(document.getElementById('ec-data')?.textContent ?? 'null') as PageData | null;
if (data) {
  const survey = runSurvey({ root: document, prefix: 'ec', api: `/s/api/${encodeURIComponent(data.surveyId)}`, token: data.token, language: data.language, revision: data.revision, ui: data.ui });
  const score = data.score;
  if (score) {
    // Recorded here, not by the server: a link scanner fetching the URL does not run scripts.
    void survey.give(score.question, score.value).then((ok) => {
      if (!ok) return;
      const url = new URL(location.href);
      url.searchParams.delete('score');
      history.replaceState(null, '', url);
    });
  }
}
