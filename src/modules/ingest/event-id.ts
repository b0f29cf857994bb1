/**
 * Event ids that only grow within this process: the live tail reads "ids after the cursor",
 * so an id assigned later must never sort before one assigned earlier. `newId` is sortable
 * by millisecond; within one, we step the last id up by one instead of drawing at random.
 */
import { newId, type IdPrefix } from '../../platform/ids.js';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** The next id in base-32 order after `id` (the prefix never carries). */
function increment(id: string): string {
  const chars = id.split('');
  for (let i = chars.length - 1; i >= 0; i--) {
    const pos = ALPHABET.indexOf(chars[i] as string);
    if (pos < 0) break;
    if (pos < ALPHABET.length - 1) {
      chars[i] = ALPHABET[pos + 1] as string;
      return chars.join('');
    }
    chars[i] = '0';
  }
  throw new Error('event id space exhausted');
}

export class EventIdSequence {
  private last = '';

  constructor(private readonly prefix: IdPrefix) {}

  next(now: number): string {
    const id = newId(this.prefix, now);
    this.last = id > this.last ? id : increment(this.last);
    return this.last;
  }
}
