import { describe, expect, it } from 'vitest';
import { blockingNames, formalNames, nicknamePairs, sharedFormalName } from './nickname-index.js';
import { foldName, normaliseFirstName, normaliseLastName, splitFullName } from './normalise-name.js';

describe('names', () => {
  it('folds accents, case, titles and suffixes', () => {
    expect(foldName(' Zoë-Ann ')).toBe('zoeann');
    expect(normaliseFirstName('Dr. José')).toBe('jose');
    expect(normaliseFirstName('Mary Ann')).toBe('mary');
    expect(normaliseLastName('van der Berg')).toBe('vanderberg');
    expect(normaliseLastName("O'Brien Jr.")).toBe('obrien');
  });
  it('splits full names written either way', () => {
    expect(splitFullName('Ann Lee')).toEqual({ first: 'ann', last: 'lee' });
    expect(splitFullName('LEE, Ann')).toEqual({ first: 'ann', last: 'lee' });
    expect(splitFullName('Mr Ann Marie Lee Jr')).toEqual({ first: 'ann', last: 'lee' });
    expect(splitFullName('Jan van der Berg')).toEqual({ first: 'jan', last: 'vanderberg' });
    expect(splitFullName('Madonna')).toEqual({ last: 'madonna' });
  });
});

describe('nickname table', () => {
  it('holds a few hundred nickname pairs', () => {
    expect(nicknamePairs()).toBeGreaterThanOrEqual(300);
  });
  it('links nicknames through their formal name', () => {
    expect(sharedFormalName('bob', 'robert')).toBe('robert');
    expect(sharedFormalName('bobby', 'rob')).toBe('robert');
    expect(sharedFormalName('peggy', 'margaret')).toBe('margaret');
    expect(sharedFormalName('bob', 'william')).toBeUndefined();
    expect(formalNames('alex')).toEqual(new Set(['alexander', 'alexandra']));
    expect(blockingNames('bill')).toEqual(['william']);
    expect(blockingNames('zebedee')).toEqual(['zebedee']);
  });
});
