import type { Clock } from '../../platform/clock.js';
import type { Store } from '../../store/index.js';

export interface FeedbackDeps {
  store: Store;
  clock: Clock;
  /** The public base URL of the hosted survey pages (links in e-mails, the widget snippet). */
  publicUrl?: string | undefined;
  /** SMTP server for survey e-mails (smtp://user:pass@host:587); absent: e-mail is off. */
  smtpUrl?: string | undefined;
  /** The From of survey e-mails. */
  mailFrom?: string | undefined;
}
