/**
 * Which column of a file is which person field: named explicitly, else guessed from the
 * headers (case, spaces and punctuation ignored; synonyms such as "Surname", "E-mail",
 * "Mobile", "DOB"), else from the values of the remaining columns (nearly all e-mails,
 * dates or phone numbers). Pure: no I/O.
 */
import { z } from 'zod';
import { AppError } from '../../../platform/errors.js';
import { PERSON_KEYS, type PersonKey } from './codec.js';
import { parseBirthDate } from './comparators.js';

/** Field → column. */
export type FieldMapping = Partial<Record<PersonKey, string>>;
export const ZFieldMapping = z.partialRecord(z.enum(PERSON_KEYS), z.string().min(1).max(256));

/** Header synonyms per field, compared without case, spaces or punctuation. */
const SYNONYMS: Record<PersonKey, string[]> = {
  firstName: ['firstname', 'first', 'givenname', 'given', 'forename', 'fname', 'prenom', 'vorname', 'nombre'],
  lastName: ['lastname', 'last', 'surname', 'familyname', 'family', 'lname', 'nom', 'nachname', 'apellido'],
  name: ['name', 'fullname', 'contactname', 'customername', 'personname', 'displayname', 'person'],
  email: ['email', 'emailaddress', 'mail', 'emailaddr', 'contactemail'],
  phone: ['phone', 'phonenumber', 'telephone', 'tel', 'mobile', 'mobilephone', 'cell', 'cellphone', 'msisdn', 'contactnumber'],
  birthDate: ['birthdate', 'dateofbirth', 'dob', 'birthday', 'born', 'bdate'],
  address: ['address', 'streetaddress', 'street', 'address1', 'addressline1', 'addr', 'addressline', 'line1'],
  postcode: ['postcode', 'zip', 'zipcode', 'postalcode', 'postal', 'plz'],
  city: ['city', 'town', 'locality'],
  country: ['country', 'countrycode', 'nation'],
};
const norm = (h: string) => h.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[\d\s().-]{7,22}$/;

export interface ResolvedFields {
  /** Field → column index. */
  columns: Partial<Record<PersonKey, number>>;
  /** Fields whose column was guessed (from its header or its values). */
  guessed: PersonKey[];
}

/** Resolve the mapping: explicit first, then header synonyms, then values of the remaining columns. */
export function resolveFields(headers: string[], explicit: FieldMapping, sample: string[][], exclude: number[] = []): ResolvedFields {
  const columns: Partial<Record<PersonKey, number>> = {};
  const used = new Set<number>(exclude);
  const list = headers.map((h) => JSON.stringify(h)).join(', ');
  for (const [field, header] of Object.entries(explicit) as [PersonKey, string][]) {
    let at = headers.indexOf(header);
    if (at < 0) {
      const loose = headers.flatMap((h, i) => (norm(h) === norm(header) ? [i] : []));
      if (loose.length === 1) at = loose[0] as number;
    }
    if (at < 0) throw new AppError('DEDUPE_INPUT_INVALID', `no column "${header}" (for ${field}) in the file; its columns are ${list}`);
    columns[field] = at;
    used.add(at);
  }
  const guessed: PersonKey[] = [];
  for (const field of PERSON_KEYS) {
    if (field in columns) continue;
    for (const syn of SYNONYMS[field]) {
      const at = headers.findIndex((h, i) => !used.has(i) && norm(h) === syn);
      if (at >= 0) {
        columns[field] = at;
        used.add(at);
        guessed.push(field);
        break;
      }
    }
  }
  // Values: a column that is nearly all e-mails, phone numbers or dates.
  const tests: [PersonKey, (v: string) => boolean][] = [
    ['email', (v) => EMAIL.test(v)],
    ['birthDate', (v) => parseBirthDate(v) !== undefined],
    ['phone', (v) => PHONE.test(v) && (v.match(/\d/g)?.length ?? 0) >= 7],
  ];
  for (const [field, test] of tests) {
    if (field in columns) continue;
    for (let c = 0; c < headers.length; c++) {
      if (used.has(c)) continue;
      const values = sample.map((r) => (r[c] ?? '').trim()).filter((v) => v !== '');
      if (values.length >= 3 && values.filter(test).length >= 0.8 * values.length) {
        columns[field] = c;
        used.add(c);
        guessed.push(field);
        break;
      }
    }
  }
  return { columns, guessed };
}
