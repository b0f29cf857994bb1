import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../platform/random.js';
import {
  addressTokens, compareBirthDates, isTransposition, jaro, jaroWinkler, jaroWinklerBound, joinedTokenOverlap, levenshtein, normalisePostcode, oneTypo, parseBirthDate, tokenOverlap,
} from './comparators.js';

describe('Jaro and Jaro–Winkler', () => {
  it('gives the published values (Winkler 1990; Wikipedia examples)', () => {
    expect(jaro('MARTHA', 'MARHTA')).toBeCloseTo(0.944, 3);
    expect(jaroWinkler('MARTHA', 'MARHTA')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('DWAYNE', 'DUANE')).toBeCloseTo(0.84, 3);
    expect(jaroWinkler('DIXON', 'DICKSONX')).toBeCloseTo(0.813, 3);
    expect(jaro('CRATE', 'TRACE')).toBeCloseTo(0.733, 3);
  });
  it('is 1 for equal strings, 0 for nothing in common or an empty string, and symmetric', () => {
    expect(jaroWinkler('ann', 'ann')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('', 'abc')).toBe(0);
    expect(jaroWinkler('jonathon', 'johnathan')).toBeCloseTo(jaroWinkler('johnathan', 'jonathon'), 12);
  });
  it('has an upper bound that is never below the real value', () => {
    const r = seededRandom(5);
    const word = () => Array.from({ length: 2 + Math.floor(r.next() * 8) }, () => 'abcdeilmnorst'[Math.floor(r.next() * 13)]).join('');
    for (let i = 0; i < 2000; i++) {
      const a = word();
      const b = r.next() < 0.5 ? word() : a.slice(0, -1) + 'x';
      expect(jaroWinklerBound(a, b)).toBeGreaterThanOrEqual(jaroWinkler(a, b) - 1e-12);
    }
  });
});

describe('Levenshtein', () => {
  it('counts edits', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('flaw', 'lawn')).toBe(2);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('same', 'same')).toBe(0);
    expect(levenshtein('saturday', 'sunday')).toBe(3);
  });
  it('stops early past a maximum, answering max + 1', () => {
    expect(levenshtein('kitten', 'sitting', 1)).toBe(2);
    expect(levenshtein('abcdef', 'a', 2)).toBe(3);
    expect(levenshtein('smith', 'smyth', 1)).toBe(1);
  });
  it('knows one typo: an edit or two swapped neighbours', () => {
    expect(isTransposition('martha', 'marhta')).toBe(true);
    expect(isTransposition('martha', 'martha')).toBe(false);
    expect(oneTypo('smith', 'smiht')).toBe(true);
    expect(oneTypo('smith', 'smithe')).toBe(true);
    expect(oneTypo('smith', 'jones')).toBe(false);
  });
});

describe('dates of birth', () => {
  it('reads the usual ways of writing a date', () => {
    expect(parseBirthDate('1985-03-12')).toBe('1985-03-12');
    expect(parseBirthDate('1985/3/2')).toBe('1985-03-02');
    expect(parseBirthDate('19850312')).toBe('1985-03-12');
    expect(parseBirthDate('12/03/1985')).toBe('1985-03-12');
    expect(parseBirthDate('12/03/1985', 'mdy')).toBe('1985-12-03');
    expect(parseBirthDate('03/25/1985')).toBe('1985-03-25');
    expect(parseBirthDate('1.2.85')).toBe('1985-02-01');
    expect(parseBirthDate('1985-03-12T00:00:00Z')).toBe('1985-03-12');
    expect(parseBirthDate('not a date')).toBeUndefined();
    expect(parseBirthDate('1985-13-01')).toBeUndefined();
  });
  it('compares exact, day and month swapped, one digit off, and different', () => {
    expect(compareBirthDates('1985-03-12', '1985-03-12')).toBe('exact');
    expect(compareBirthDates('1985-03-12', '1985-12-03')).toBe('swapped');
    expect(compareBirthDates('1985-03-12', '1985-03-13')).toBe('close');
    expect(compareBirthDates('1985-03-12', '1958-03-12')).toBe('close');
    expect(compareBirthDates('1989-03-12', '1990-03-12')).toBe('close');
    expect(compareBirthDates('1985-03-12', '1971-07-30')).toBe('different');
  });
});

describe('addresses', () => {
  it('tokenises with abbreviations spelled out', () => {
    expect(addressTokens('12B High St., Flat 3')).toEqual(['12b', 'high', 'street', 'flat', '3']);
    expect(addressTokens('  Rue de l’Église ')).toEqual(['rue', 'de', 'l', 'eglise']);
  });
  it('measures token overlap the same way on lists and joined strings', () => {
    const a = addressTokens('12 High Street');
    const b = addressTokens('12 High St, Flat 2');
    expect(tokenOverlap(a, b)).toBeCloseTo(3 / 5, 10);
    expect(joinedTokenOverlap(a.join(' '), b.join(' '))).toBeCloseTo(3 / 5, 10);
    expect(joinedTokenOverlap('1 park road', '9 mill lane')).toBe(0);
  });
  it('normalises postcodes', () => {
    expect(normalisePostcode('sw1a 1aa')).toBe('SW1A1AA');
    expect(normalisePostcode('-')).toBeUndefined();
  });
});
