import type { Clock } from '../../platform/clock.js';
import type { Store } from '../../store/index.js';

/** What the module's use cases need from the outside world. */
export interface WorkspaceDeps {
  store: Store;
  clock: Clock;
}
