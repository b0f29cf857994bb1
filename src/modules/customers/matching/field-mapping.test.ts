import { describe, expect, it } from 'vitest';
import { resolveFields } from './field-mapping.js';

describe('resolveFields', () => {
  it('guesses from headers, then from values, after the columns named explicitly', () => {
    const headers = ['ID', 'Given Name', 'SURNAME', 'contact', 'col5', 'Mobile No', 'notes'];
    const sample = [
      ['1', 'Ann', 'Lee', 'ann@example.org', '1980-01-02', '+44 7700 900123', 'x'],
      ['2', 'Bob', 'Ray', 'bob@example.org', '02/03/1975', '07700 900456', 'y'],
      ['3', 'Cy', 'Day', 'cy@example.org', '1990-12-31', '', 'z'],
    ];
    const r = resolveFields(headers, { phone: 'Mobile No' }, sample, [0]);
    expect(r.columns).toEqual({ phone: 5, firstName: 1, lastName: 2, email: 3, birthDate: 4 });
    expect(r.guessed).toEqual(['firstName', 'lastName', 'email', 'birthDate']);
  });
  it('refuses a named column the file does not have, listing its columns', () => {
    expect(() => resolveFields(['a', 'b'], { email: 'Mail' }, [])).toThrow('no column "Mail" (for email) in the file; its columns are "a", "b"');
  });
});
