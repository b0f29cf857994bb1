import { describe, expect, it } from 'vitest';
import { labelOf, registerSentimentAnalyser, sentimentLanguages, sentimentOf } from './index.js';

describe('sentimentOf (English)', () => {
  it('labels clear praise and complaints, within [−1, 1]', () => {
    const good = sentimentOf('The staff were wonderful and the coffee was excellent!');
    const bad = sentimentOf('Terrible service, the order arrived broken.');
    expect(good.label).toBe('positive');
    expect(bad.label).toBe('negative');
    for (const s of [good, bad]) expect(Math.abs(s.score)).toBeLessThanOrEqual(1);
  });

  it('flips on negation and reads customer-service phrases a general lexicon misses', () => {
    expect(sentimentOf('The coffee was good.').label).toBe('positive');
    expect(sentimentOf('The coffee was not good.').label).toBe('negative');
    expect(sentimentOf('I was on hold for forty minutes.').label).toBe('negative');
    expect(sentimentOf('The croissant was stale.').label).toBe('negative');
    expect(sentimentOf('No complaints, arrived on time.').label).toBe('positive');
  });

  it('weighs the clause after "but" more', () => {
    expect(sentimentOf('The coffee is fine but the service was painfully slow and rude.').label).toBe('negative');
    expect(sentimentOf('Slow start, but the agent was brilliant and so helpful.').label).toBe('positive');
  });

  it('says neutral for statements of fact and empty text', () => {
    expect(sentimentOf('I ordered a medium latte.')).toEqual({ score: 0, label: 'neutral' });
    expect(sentimentOf('')).toEqual({ score: 0, label: 'neutral' });
  });

  it('uses a registered analyser for its language, English otherwise', () => {
    registerSentimentAnalyser('xx', (text) => (text.includes('bon') ? 0.9 : -0.9));
    expect(sentimentLanguages()).toContain('xx');
    expect(sentimentOf('très bon', 'xx')).toEqual({ score: 0.9, label: 'positive' });
    expect(sentimentOf('awful', 'zz').label).toBe('negative');
    expect(labelOf(0.05)).toBe('neutral');
  });
});
