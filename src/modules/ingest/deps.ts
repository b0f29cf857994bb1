import type { Clock } from '../../platform/clock.js';
import type { Store } from '../../store/index.js';

export interface IngestDeps {
  store: Store;
  clock: Clock;
}
