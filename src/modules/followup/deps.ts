import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import type { Store } from '../../store/index.js';
import type { NotificationOptions } from './notifications/options.js';

export interface FollowupDeps {
  store: Store;
  clock: Clock;
  publicUrl?: string | undefined;
  smtpUrl?: string | undefined;
  mailFrom?: string | undefined;
  /** Limits and the SSRF stance of outbound notifications (defaults in notifications/options.ts). */
  notifications?: NotificationOptions | undefined;
  logger?: Logger | undefined;
}
