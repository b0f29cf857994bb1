import { describe, expect, it } from 'vitest';
import { inSample, pathMatches } from './rules.js';

describe('widget rules', () => {
  it('matches paths against patterns with * as a wildcard, literally otherwise', () => {
    expect(pathMatches([], '/anything')).toBe(true);
    expect(pathMatches(['/checkout/*'], '/checkout/pay')).toBe(true);
    expect(pathMatches(['/checkout/*'], '/checkout/pay/confirm')).toBe(true);
    expect(pathMatches(['/checkout/*'], '/checkout')).toBe(false);
    expect(pathMatches(['/checkout/*'], '/account/checkout/pay')).toBe(false);
    expect(pathMatches(['/cart', '/orders/*/done'], '/orders/1234/done')).toBe(true);
    expect(pathMatches(['/cart'], '/cart/extra')).toBe(false);
    // Regular-expression characters in a pattern are plain characters.
    expect(pathMatches(['/a.b(c)+'], '/a.b(c)+')).toBe(true);
    expect(pathMatches(['/a.b'], '/axb')).toBe(false);
  });

  it('keeps a visitor in or out of a sample by their own draw', () => {
    expect(inSample(0.3, 0.5)).toBe(true);
    expect(inSample(0.7, 0.5)).toBe(false);
    expect(inSample(0, 0)).toBe(false);
    expect(inSample(0.999, 1)).toBe(true);
  });
});
