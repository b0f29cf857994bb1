import { describe, expect, it } from 'vitest';
import { blockingKeys } from './blocking.js';
import { DEFAULT_MODEL, DEFAULT_THRESHOLDS, ZMatchModel } from './model.js';
import { fromFeatures, prepare, toFeatures } from './prepare.js';
import { decidePair, scorePair } from './score.js';

const labels = (s: ReturnType<typeof scorePair>) => s.fields.map((f) => f.label);

describe('prepare', () => {
  it('makes fields comparable, drops placeholders, and round-trips through JSON', () => {
    const p = prepare({ name: 'LEE, Ann-Marie', email: 'Ann.Lee+shop@GMail.com', phone: '07700 900123', birthDate: '12/03/1985', address: '12 High St.', postcode: 'sw1a 1aa', city: 'London', country: 'GB' });
    expect(p).toEqual({ first: 'annmarie', last: 'lee', firstKey: 'ANARY', lastKey: 'LY', dob: '1985-03-12', email: 'annlee@gmail.com', phone: '+447700900123', address: '12 high street', postcode: 'SW1A1AA', city: 'london' });
    expect(fromFeatures(JSON.parse(JSON.stringify(toFeatures(p))))).toEqual(p);
    expect(fromFeatures({ first: 'x', evil: { a: 1 }, dob: 5 })).toEqual({ first: 'x' });
    const junk = prepare({ email: 'test@test.com', phone: '0000000000', birthDate: '1900-01-01' }, { defaultCountry: 'GB' });
    expect(junk).toEqual({});
  });
  it('reads national phone numbers in the record\'s country, else the default', () => {
    expect(prepare({ phone: '(415) 555-2671', country: 'US' }).phone).toBe('+14155552671');
    expect(prepare({ phone: '(415) 555-2671' }, { defaultCountry: 'US' }).phone).toBe('+14155552671');
  });
  it('files a record under a few short keys that nicknames, typos and swaps share', () => {
    const bob = prepare({ firstName: 'Bob', lastName: 'Smith', email: 'bob@example.org', birthDate: '1970-01-02' });
    const robert = prepare({ firstName: 'Robert', lastName: 'Smiht', birthDate: '1970-01-02' });
    const swapped = prepare({ firstName: 'Smith', lastName: 'Robert' });
    const kb = blockingKeys(bob);
    expect(kb.length).toBeGreaterThanOrEqual(2);
    expect(kb.length).toBeLessThanOrEqual(6);
    expect(kb.every((k) => k.length <= 48)).toBe(true);
    expect(kb.some((k) => blockingKeys(robert).includes(k))).toBe(true);
    expect(kb.some((k) => blockingKeys(swapped).includes(k))).toBe(true);
    expect(blockingKeys(prepare({ firstName: 'Ann', lastName: 'Lee' }))).toEqual(blockingKeys(prepare({ firstName: 'Lee', lastName: 'Ann' })));
  });
});

describe('scorePair', () => {
  const a = prepare({ firstName: 'Bob', lastName: 'Smith', email: 'bob.smith@example.org', birthDate: '1970-03-12', phone: '+44 7700 900123' });
  it('explains each field with a readable label and its evidence', () => {
    const b = prepare({ firstName: 'Robert', lastName: 'Smiht', email: 'bob.smith@mail.com', birthDate: '12/03/1970' });
    const s = scorePair(a, b, DEFAULT_MODEL);
    expect(labels(s)).toEqual([
      'first name: nickname (Bob/Robert)',
      'last name: one typo (Smith/Smiht)',
      'date of birth: exact (1970-03-12)',
      'e-mail: same name at another domain (bob.smith@example.org/bob.smith@mail.com)',
      'phone: not on both records',
      'address: not on both records',
    ]);
    expect(s.fields.find((f) => f.field === 'phone')?.weight).toBe(0);
    expect(s.weight).toBeCloseTo(s.fields.reduce((t, f) => t + f.weight, 0), 10);
    expect(s.probability).toBeGreaterThan(DEFAULT_THRESHOLDS.merge);
    expect(decidePair(s)).toBe('merge');
  });
  it('names nicknames that meet through their formal name', () => {
    const s = scorePair(prepare({ firstName: 'Bobby', lastName: 'Lee' }), prepare({ firstName: 'Rob', lastName: 'Lee' }), DEFAULT_MODEL);
    expect(s.fields[0]?.label).toBe('first name: nickname of Robert (Bobby/Rob)');
  });
  it('compares first and last names crosswise when they were swapped', () => {
    const s = scorePair(prepare({ firstName: 'Ann', lastName: 'Lee', birthDate: '1980-01-05' }), prepare({ firstName: 'Lee', lastName: 'Ann', birthDate: '1980-01-05' }), DEFAULT_MODEL);
    expect(labels(s).slice(0, 2)).toEqual(['first name: exact (Ann, first and last swapped)', 'last name: exact (Lee, first and last swapped)']);
    expect(decidePair(s)).toBe('merge');
  });
  it('keeps a household sharing an e-mail and phone for review, not merged', () => {
    const ann = prepare({ firstName: 'Ann', lastName: 'Lee', email: 'lees@example.org', phone: '+447700900123', birthDate: '1980-01-05', address: '1 Park Road' });
    const tom = prepare({ firstName: 'Tom', lastName: 'Lee', email: 'lees@example.org', phone: '+447700900123', birthDate: '1978-06-30', address: '1 Park Road' });
    const s = scorePair(ann, tom, DEFAULT_MODEL);
    expect(s.probability).toBeGreaterThan(DEFAULT_THRESHOLDS.merge);
    expect(s.conflict).toBe('date of birth: different (1980-01-05/1978-06-30)');
    expect(decidePair(s)).toBe('review');
  });
  it('puts records that share only a common name apart', () => {
    const s = scorePair(prepare({ firstName: 'John', lastName: 'Smith', email: 'js1@example.org' }), prepare({ firstName: 'John', lastName: 'Smith', email: 'jsmith@other.org' }), DEFAULT_MODEL);
    expect(decidePair(s)).toBe('apart');
  });
  it('has a default model that its own schema accepts, and a schema that refuses a wrong level count', () => {
    expect(ZMatchModel.safeParse(DEFAULT_MODEL).success).toBe(true);
    const bad = structuredClone(DEFAULT_MODEL);
    bad.comparisons.phone.m = [0.5, 0.5];
    expect(ZMatchModel.safeParse(bad).success).toBe(false);
  });
});
