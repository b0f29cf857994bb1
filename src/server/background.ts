import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { Store } from '../store/index.js';

export interface BackgroundWork {
  stop(): Promise<void>;
}

/** Start the job worker with every module's handlers. (Wired to the queue once it lands.) */
export async function startBackgroundWork(_store: Store, _logger: Logger, _clock: Clock): Promise<BackgroundWork> {
  return { stop: async () => undefined };
}
