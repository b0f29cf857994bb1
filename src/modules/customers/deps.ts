import type { Clock } from '../../platform/clock.js';
import type { Store } from '../../store/index.js';
import type { Matcher } from './matcher.js';

export interface CustomerDeps {
  store: Store;
  clock: Clock;
  matcher: Matcher;
}
