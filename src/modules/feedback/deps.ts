import type { Clock } from '../../platform/clock.js';
import type { Store } from '../../store/index.js';

export interface FeedbackDeps {
  store: Store;
  clock: Clock;
  /** The public base URL of the hosted survey pages (links in e-mails, the widget snippet). */
  publicUrl?: string | undefined;
}
