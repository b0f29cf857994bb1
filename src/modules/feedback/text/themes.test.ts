import { describe, expect, it } from 'vitest';
import { clusterThemes, compileThemes, keyPhrases, themesOf } from './index.js';

describe('keyPhrases', () => {
  it('keeps content-word runs and drops stop words, numbers and punctuation', () => {
    expect(keyPhrases('The coffee was cold and the staff were rude.')).toEqual(['coffee', 'cold', 'staff', 'rude']);
    expect(keyPhrases('Delivery took 3 weeks, customer service never replied!')).toEqual(['delivery took', 'weeks', 'service never replied']);
  });
});

describe('themesOf', () => {
  it('maps a comment to the named themes of the dictionary, phrases included', () => {
    expect(themesOf('I was on hold for forty minutes before anyone answered')).toEqual(['support wait']);
    expect(themesOf('Still waiting for my refund, and the parcel arrived damaged')).toEqual(['delivery time', 'refund', 'quality', 'support wait']);
    expect(themesOf('Nothing to see here')).toEqual([]);
  });

  it('takes an edited dictionary', () => {
    const edited = compileThemes({ 'milk options': ['oat milk', 'soy'] });
    expect(themesOf('The oat milk ran out again', edited)).toEqual(['milk options']);
    expect(themesOf('The oat milk ran out again')).toEqual([]);
    expect(themesOf('Milk with oat flavour', edited)).toEqual([]);
  });
});

describe('clusterThemes', () => {
  const comments = [
    { text: 'Delivery was late again.', sentiment: -0.6 },
    { text: 'Fast delivery, great price.', sentiment: 0.8 },
    { text: 'The refund took forever.', sentiment: -0.7 },
    { text: 'Oat milk was out, again.', sentiment: -0.3 },
    { text: 'No oat milk today?', sentiment: -0.1 },
    { text: 'Please stock more oat milk.', sentiment: 0 },
  ];

  it('counts comments per theme with mean sentiment, top phrases and the shortest quotes, largest first', () => {
    const clusters = clusterThemes(comments);
    const delivery = clusters.find((c) => c.theme === 'delivery time');
    expect(delivery).toEqual({
      theme: 'delivery time',
      count: 2,
      meanSentiment: 0.1,
      phrases: [
        { phrase: 'delivery', count: 1 },
        { phrase: 'fast delivery', count: 1 },
        { phrase: 'late', count: 1 },
      ],
      examples: ['Delivery was late again.', 'Fast delivery, great price.'],
    });
    expect(clusters.find((c) => c.theme === 'refund')?.count).toBe(1);
    expect(clusters.find((c) => c.theme === 'price')?.examples).toEqual(['Fast delivery, great price.']);
  });

  it('turns a word that no theme claims, seen in enough comments, into an emergent theme', () => {
    const clusters = clusterThemes(comments);
    expect(clusters[0]).toMatchObject({ theme: '~milk', count: 3 });
    expect(clusterThemes(comments, { minEmergent: 4 }).some((c) => c.theme.startsWith('~'))).toBe(false);
    const edited = clusterThemes(comments, { dictionary: { 'milk options': ['oat milk'] } });
    expect(edited[0]).toMatchObject({ theme: 'milk options', count: 3, meanSentiment: -0.133 });
  });

  it('is deterministic whatever the input order', () => {
    const sort = (cs: ReturnType<typeof clusterThemes>) => cs.map((c) => ({ ...c, examples: [...c.examples].sort() }));
    expect(sort(clusterThemes([...comments].reverse()))).toEqual(sort(clusterThemes(comments)));
  });
});
