import type { Clock } from '../../platform/clock.js';
import type { Store } from '../../store/index.js';

export interface ImportDeps {
  store: Store;
  clock: Clock;
}
