import { describe, expect, it } from 'vitest';
import { planSearch, soundex, termsFor } from './terms.js';

describe('search terms', () => {
  it('computes American Soundex as published (Robert R163, Rupert R163, Ashcraft A261, Tymczak T522, Pfister P236)', () => {
    expect(['Robert', 'Rupert', 'Rubin', 'Ashcraft', 'Ashcroft', 'Tymczak', 'Pfister', 'Honeyman'].map(soundex)).toEqual(['r163', 'r163', 'r150', 'a261', 'a261', 't522', 'p236', 'h555']);
  });

  it('reads a query as an e-mail, a phone number however written, or name tokens', () => {
    expect(planSearch('Ann.Lee@X.example').prefixes).toEqual([['e:ann.lee@x.example']]);
    expect(planSearch('(415) 555-0199').prefixes).toEqual([['p:4155550199']]);
    expect(planSearch('+44 7700 900123').prefixes).toEqual([['p:447700900123']]);
    expect(planSearch('07700 900123').prefixes).toEqual([['p:07700900123', 'p:7700900123']]);
    expect(planSearch('José  García').prefixes).toEqual([['n:jose', 'i:jose'], ['n:garcia', 'i:garcia']]);
  });

  it('indexes names, e-mails, phones (international and national) and ids', () => {
    const terms = termsFor({ firstName: 'Ann', lastName: 'Lee' }, [
      { kind: 'email', value: 'annlee@gmail.com' },
      { kind: 'phone', value: '+447700900123' },
      { kind: 'external', value: 'crm/contact/C-17' },
    ]);
    expect(terms).toEqual(['n:ann', 'n:lee', 'e:annlee@gmail.com', 'p:447700900123', 'p:7700900123', 'i:c-17']);
  });
});
