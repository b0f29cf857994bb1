import { describe, expect, it } from 'vitest';
import { localize } from '../public/localize.js';
import { ZSurveyDefinition } from '../surveys/survey.schema.js';
import { escapeHtml, renderSurveyEmail } from './email.render.js';
import { redactSecrets } from '../../../platform/mail.js';

const definition = ZSurveyDefinition.parse({
  defaultLanguage: 'en',
  questions: [{ id: 'nps', type: 'nps', text: { en: 'Would you <b>recommend</b> us?', fr: 'Nous recommanderiez-vous ?' } }],
  branding: { companyName: '<script>alert("co")</script> & Sons', colour: '#ffcc00' },
  email: { subject: { en: 'How did we do?', fr: 'Comment était-ce ?' } },
});
const page = 'https://surveys.example.com/s/srv_1?t=v1.abc.def';

describe('survey e-mails', () => {
  it('puts one link per score on the hosted page, in the respondent’s language', () => {
    const email = renderSurveyEmail({ survey: localize('srv_1', definition, 'fr', {}), definition, pageUrl: page, recipientName: 'Zoé' });
    expect(email.subject).toBe('Comment était-ce ?');
    expect(email.scoreLinks.map((l) => l.score)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(email.scoreLinks[9]?.url).toBe('https://surveys.example.com/s/srv_1?t=v1.abc.def&score=9');
    expect(email.html).toContain('href="https://surveys.example.com/s/srv_1?t=v1.abc.def&amp;score=9"');
    expect(email.text).toContain('Nous recommanderiez-vous ?');
    expect(email.text).toContain('10: https://surveys.example.com/s/srv_1?t=v1.abc.def&score=10');
    expect(email.html).toContain('Bonjour Zoé,');
  });

  it('escapes everything anyone typed in the HTML', () => {
    const email = renderSurveyEmail({ survey: localize('srv_1', definition, 'en', {}), definition, pageUrl: page, recipientName: '<img src=x onerror=alert(1)>' });
    expect(email.html).not.toMatch(/<script|<img src=x|<b>recommend/);
    expect(email.html).toContain('&lt;script&gt;alert(&quot;co&quot;)&lt;/script&gt; &amp; Sons');
    expect(email.html).toContain('Would you &lt;b&gt;recommend&lt;/b&gt; us?');
    expect(email.html).toContain('Hi &lt;img src=x onerror=alert(1)&gt;,');
    // Dark text on a light brand colour.
    expect(email.html).toContain('color:#111111');
  });

  it('offers the page itself when no question is scored', () => {
    const textOnly = ZSurveyDefinition.parse({ questions: [{ id: 'q', type: 'text', text: { en: 'Anything to tell us?' } }] });
    const email = renderSurveyEmail({ survey: localize('srv_2', textOnly, 'en', {}), definition: textOnly, pageUrl: '/s/srv_2?t=x' });
    expect(email.scoreLinks).toEqual([]);
    expect(email.html).toContain('href="/s/srv_2?t=x"');
    expect(email.subject).toBe('A quick question');
  });

  it('escapes quotes and backticks', () => {
    expect(escapeHtml(`"'\`<>&`)).toBe('&quot;&#39;&#96;&lt;&gt;&amp;');
  });

  it('keeps SMTP credentials out of error text', () => {
    const url = 'smtp://mailer%40acme.test:s3cr%2Ft@smtp.acme.test:587';
    expect(redactSecrets(`Invalid login for mailer@acme.test with s3cr/t at ${url}`, url)).toBe('Invalid login for *** with *** at smtp://***@smtp.acme.test:587');
  });
});
