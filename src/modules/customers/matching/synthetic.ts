/**
 * Synthetic people with a known truth, for tests and benchmarks: each person gets one or
 * more records, the extra ones with the damage real files show (typos, nicknames, first
 * and last names swapped, missing fields, a new address, e-mail or phone, dates with day
 * and month swapped or a slipped digit, other formats), and some people share a household
 * with another: one address and often one e-mail or landline for two different people.
 * Seeded: the same options give the same records. Pure: no I/O.
 */
import type { Random } from '../../../platform/random.js';
import { NICKNAMES } from './nicknames.js';
import type { PersonFields } from './types.js';

export interface SyntheticOptions {
  random: Random;
  /** Distinct people to generate. */
  people: number;
  /** Share of people with more than one record (default 0.4). */
  duplicateRate?: number;
  /** Share of people who live with the person before them and share contact details (default 0.1). */
  householdRate?: number;
}

export interface SyntheticRecord {
  id: string;
  /** The person the record belongs to: the truth. */
  person: number;
  fields: PersonFields;
}

const FEMALE = ('mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa margaret betty sandra ashley dorothy kimberly emily donna ' +
  'michelle carol amanda melissa deborah stephanie rebecca laura sharon cynthia kathleen amy shirley angela helen anna brenda pamela nicole samantha ' +
  'katherine emma ruth christine catherine debra rachel carolyn janet virginia maria heather diane julie joyce victoria kelly christina joan evelyn ' +
  'lauren judith olivia frances martha cheryl megan andrea hannah jacqueline ann jean alice kathryn gloria teresa doris sara janice julia marie madison ' +
  'grace judy theresa beverly denise marilyn amber danielle abigail brittany rose diana natalie sophia alexis lori kayla jane isabella charlotte ' +
  'chloe lucy ella eleanor harriet imogen florence poppy freya matilda phoebe esther rosemary josephine penelope gwendolyn bridget constance').split(' ');
const MALE = ('james robert john michael william david richard joseph thomas charles christopher daniel matthew anthony mark donald steven paul andrew ' +
  'joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon ' +
  'benjamin samuel gregory alexander frank patrick raymond jack dennis jerry tyler aaron jose adam nathan henry douglas zachary peter kyle ethan walter ' +
  'noah jeremy christian keith roger terry gerald harold sean austin carl arthur lawrence dylan jesse jordan bryan billy joe bruce gabriel logan albert ' +
  'willie alan juan wayne elijah randy roy vincent ralph eugene russell bobby mason philip louis harry oliver alfie archie theo leo oscar freddie ' +
  'rupert hugh angus callum declan rhys owen gareth dafydd isaac maxwell sebastian tobias julian frederick bernard leonard herbert clifford reginald').split(' ');
const SURNAMES = ('smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson anderson thomas taylor moore ' +
  'jackson martin lee perez thompson white harris sanchez clark ramirez lewis robinson walker young allen king wright scott torres nguyen hill flores ' +
  'green adams nelson baker hall rivera campbell mitchell carter roberts evans turner phillips parker edwards collins stewart morris murphy cook rogers ' +
  'morgan peterson cooper reed bailey bell gomez kelly howard ward cox diaz richardson wood watson brooks bennett gray james reyes cruz hughes price ' +
  'myers long foster sanders ross morales powell sullivan russell ortiz jenkins gutierrez perry butler barnes fisher henderson coleman simmons patterson ' +
  'jordan reynolds hamilton graham kim gonzales alexander ramos wallace griffin west cole hayes chavez gibson bryant ellis stevens murray ford marshall ' +
  "owens mcdonald harrison ruiz kennedy wells alvarez woods mendoza castillo olson webb washington tucker freeman burns henry vasquez snyder simpson " +
  "crawford jimenez porter mason shaw gordon wagner hunter romero hicks dixon hunt palmer robertson black holmes stone meyer boyd mills warren fox rose " +
  "rice moreno schmidt patel ferguson nichols herrera medina ryan fernandez weaver daniels stephens gardner payne kelley dunn pierce arnold tran spencer " +
  "peters hawkins grant hansen castro hoffman hart elliott cunningham knight bradley obrien oconnor macdonald mackenzie fitzgerald vanderberg").split(' ');
const PREFIX = 'ash black brad brook cald carl dal dun ed fair gar hal hart hol kirk lang mar mil nor pen rad red ro sal shel stan thorn wal west whit win wood ald bram crom '.trim().split(' ');
const SUFFIX = 'ley ton well wood worth by field ford ham man more stead wick bridge bury den dale ing cott combe'.split(' ');
const STREETS = ('high station church park victoria green manor kings queens mill school new north south london york albert chapel grange windsor ' +
  'springfield richmond oak elm ash cedar maple willow beech hawthorn meadow orchard river bridge castle market abbey priory lime sycamore chestnut ' +
  'highfield westfield broad mount hill mayfield cherry poplar laurel rosemary heather larch fern juniper').split(' ');
const STREET_TYPES: [string, string][] = [['Street', 'St'], ['Road', 'Rd'], ['Lane', 'Ln'], ['Avenue', 'Ave'], ['Drive', 'Dr'], ['Close', 'Cl'], ['Way', 'Way'], ['Court', 'Ct'], ['Place', 'Pl']];
const GB_CITIES = 'London Manchester Birmingham Leeds Glasgow Sheffield Bradford Liverpool Edinburgh Bristol Cardiff Leicester Coventry Nottingham Newcastle Brighton Hull Plymouth Stoke Wolverhampton Derby Swansea Southampton Salford Aberdeen Westminster Portsmouth York Peterborough Dundee Lancaster Oxford Newport Preston Cambridge Norwich Exeter Bath Durham Chester'.split(' ');
const US_CITIES = 'Springfield Franklin Greenville Bristol Clinton Fairview Salem Madison Georgetown Arlington Ashland Dover Oxford Jackson Burlington Manchester Milton Newport Auburn Dayton Lexington Milford Riverside Cleveland Hudson Kingston Mount Vernon Oakland Centerville Winchester'.split(' ');
const DOMAINS = ['gmail.com', 'gmail.com', 'gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'icloud.com', 'aol.com', 'btinternet.com', 'hotmail.co.uk', 'yahoo.co.uk', 'protonmail.com', 'mail.com'];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

const NICKS = new Map<string, readonly string[]>(Object.entries(NICKNAMES));

interface Person {
  first: string;
  last: string;
  dob: [number, number, number];
  email?: string;
  phone?: string;
  country: 'GB' | 'US';
  street?: string;
  postcode?: string;
  city?: string;
}

export function* syntheticRecords(options: SyntheticOptions): Generator<SyntheticRecord> {
  const r = options.random;
  const duplicateRate = options.duplicateRate ?? 0.4;
  const householdRate = options.householdRate ?? 0.1;
  const rnd = (n: number) => Math.floor(r.next() * n);
  const chance = (p: number) => r.next() < p;
  const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)] as T;
  /** Skewed towards the front of a list: common names are common. */
  const skewed = <T>(xs: readonly T[]): T => xs[Math.floor(xs.length * r.next() ** 2)] as T;
  const digits = (n: number) => Array.from({ length: n }, () => rnd(10)).join('');
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  const surname = () => (chance(0.55) ? skewed(SURNAMES) : pick(PREFIX) + pick(SUFFIX) + (chance(0.3) ? pick(SUFFIX) : ''));
  const usedEmails = new Set<string>();

  const newEmail = (first: string, last: string, year: number): string => {
    for (;;) {
      const f = first.replace(/[^a-z]/g, '');
      const l = last.replace(/[^a-z]/g, '');
      const patterns = [`${f}.${l}`, `${f}${l}`, `${f[0]}${l}`, `${f}_${l}`, `${l}.${f}`, `${f}${l[0]}`, `${f}.${l}${year % 100}`, `${f}${rnd(1000)}`];
      let local = pick(patterns);
      if (chance(0.5)) local += String(rnd(100));
      const email = `${local}@${pick(DOMAINS)}`;
      if (!usedEmails.has(email)) {
        usedEmails.add(email);
        return email;
      }
    }
  };
  const newPhone = (country: 'GB' | 'US'): string =>
    country === 'GB' ? `07${1 + rnd(9)}${digits(8)}` : `${2 + rnd(8)}${digits(2)}${2 + rnd(8)}${digits(6)}`;
  const newAddress = (p: Person) => {
    p.street = `${1 + rnd(240)} ${cap(pick(STREETS))} ${pick(STREET_TYPES)[0]}`;
    if (p.country === 'GB') {
      p.postcode = `${pick(['SW', 'NW', 'E', 'N', 'M', 'B', 'LS', 'G', 'EH', 'BS', 'CF', 'OX', 'CB', 'YO'])}${1 + rnd(20)} ${rnd(10)}${LETTERS[rnd(26)]}${LETTERS[rnd(26)]}`.toUpperCase();
      p.city = pick(GB_CITIES);
    } else {
      p.postcode = String(10000 + rnd(89999));
      p.city = pick(US_CITIES);
    }
  };
  const typo = (s: string): string => {
    if (s.length < 3) return s;
    const i = 1 + rnd(s.length - 1);
    switch (rnd(4)) {
      case 0:
        return s.slice(0, i) + LETTERS[rnd(26)] + s.slice(i);
      case 1:
        return s.slice(0, i) + s.slice(i + 1);
      case 2:
        return s.slice(0, i) + LETTERS[rnd(26)] + s.slice(i + 1);
      default:
        return i + 1 < s.length ? s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2) : s.slice(0, i - 1) + s[i] + s[i - 1];
    }
  };
  const formatPhone = (p: string, country: 'GB' | 'US'): string => {
    if (country === 'GB') {
      const national = p;
      switch (rnd(4)) {
        case 0:
          return national;
        case 1:
          return `${national.slice(0, 5)} ${national.slice(5)}`;
        case 2:
          return `+44 ${national.slice(1, 5)} ${national.slice(5)}`;
        default:
          return `+44${national.slice(1)}`;
      }
    }
    switch (rnd(3)) {
      case 0:
        return `(${p.slice(0, 3)}) ${p.slice(3, 6)}-${p.slice(6)}`;
      case 1:
        return `+1 ${p.slice(0, 3)} ${p.slice(3, 6)} ${p.slice(6)}`;
      default:
        return `${p.slice(0, 3)}-${p.slice(3, 6)}-${p.slice(6)}`;
    }
  };
  const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
  const formatDate = ([y, m, d]: [number, number, number]): string => {
    switch (rnd(4)) {
      case 0:
      case 1:
        return `${y}-${pad(m)}-${pad(d)}`;
      case 2:
        return `${pad(d)}/${pad(m)}/${y}`;
      default:
        return `${y}${pad(m)}${pad(d)}`;
    }
  };

  /** One record of a person; `clean` for the first, which is written as the person is. */
  const record = (p: Person, clean: boolean): PersonFields => {
    let first = p.first;
    let last = p.last;
    const nicks = NICKS.get(first);
    if (nicks && chance(clean ? 0.1 : 0.2)) first = pick(nicks);
    if (!clean) {
      if (chance(0.08)) first = typo(first);
      if (chance(0.08)) last = typo(last);
      if (chance(0.02)) first = first[0] as string;
    }
    let firstOut = cap(first);
    let lastOut = cap(last);
    if (chance(0.08)) {
      firstOut = firstOut.toUpperCase();
      lastOut = lastOut.toUpperCase();
    }
    if (!clean && chance(0.03)) [firstOut, lastOut] = [lastOut, firstOut];
    const fields: PersonFields = { firstName: firstOut, lastName: lastOut, country: p.country };
    if (chance(clean ? 0.9 : 0.85)) {
      let dob: [number, number, number] = [...p.dob];
      if (!clean && chance(0.04) && dob[2] <= 12) dob = [dob[0], dob[2], dob[1]];
      else if (!clean && chance(0.03)) dob = [dob[0], dob[1], Math.min(28, Math.max(1, dob[2] + (chance(0.5) ? 1 : -1)))];
      fields.birthDate = formatDate(dob);
    }
    if (p.email && chance(clean ? 0.95 : 0.85)) fields.email = chance(0.1) ? p.email.toUpperCase() : p.email;
    if (p.phone && chance(clean ? 0.85 : 0.75)) fields.phone = formatPhone(p.phone, p.country);
    if (p.street && chance(clean ? 0.9 : 0.8)) {
      let street = p.street;
      if (chance(0.3)) for (const [full, abbr] of STREET_TYPES) street = street.replace(` ${full}`, ` ${abbr}`);
      fields.address = street;
      fields.postcode = p.postcode;
      fields.city = p.city;
    }
    return fields;
  };

  let previous: Person | undefined;
  let n = 0;
  const pending: SyntheticRecord[] = [];
  for (let id = 0; id < options.people; id++) {
    const female = chance(0.5);
    const year = 1940 + rnd(66);
    let person: Person;
    if (previous && chance(householdRate)) {
      // A household member: same address, and often the same e-mail or landline.
      const spouse = chance(0.6);
      const pyear = previous.dob[0];
      const y = spouse ? pyear - 5 + rnd(11) : Math.min(2006, pyear + 20 + rnd(15));
      person = {
        first: pick(female ? FEMALE : MALE),
        last: chance(0.85) ? previous.last : surname(),
        dob: [y, 1 + rnd(12), 1 + rnd(28)],
        country: previous.country,
        street: previous.street,
        postcode: previous.postcode,
        city: previous.city,
      };
      if (person.first === previous.first) person.first = pick(female ? FEMALE : MALE);
      const sharesEmail = chance(0.5);
      const sharesPhone = !sharesEmail || chance(0.4);
      person.email = sharesEmail && previous.email ? previous.email : newEmail(person.first, person.last, y);
      person.phone = sharesPhone && previous.phone ? previous.phone : newPhone(person.country);
    } else {
      const country = chance(0.7) ? 'GB' : 'US';
      person = { first: skewed(female ? FEMALE : MALE), last: surname(), dob: [year, 1 + rnd(12), 1 + rnd(28)], country };
      if (chance(0.92)) person.email = newEmail(person.first, person.last, year);
      if (chance(0.85)) person.phone = newPhone(country);
      newAddress(person);
    }
    previous = person;
    let copies = 1;
    if (chance(duplicateRate)) copies += 1 + (chance(0.35) ? 1 + (chance(0.3) ? 1 : 0) : 0);
    for (let c = 0; c < copies; c++) {
      if (c > 0) {
        // Between records a person may have moved, or changed e-mail or phone.
        const moved = { ...person };
        if (chance(0.15)) newAddress(moved);
        if (chance(0.2)) moved.email = newEmail(person.first, person.last, person.dob[0]);
        if (chance(0.2)) moved.phone = newPhone(person.country);
        pending.push({ id: '', person: id, fields: record(moved, false) });
      } else pending.push({ id: '', person: id, fields: record(person, true) });
    }
    // Records of one person are not next to each other in a real file.
    if (pending.length >= 1000 || id === options.people - 1) {
      for (let i = pending.length - 1; i > 0; i--) {
        const j = rnd(i + 1);
        [pending[i], pending[j]] = [pending[j] as SyntheticRecord, pending[i] as SyntheticRecord];
      }
      for (const rec of pending) {
        rec.id = `r${++n}`;
        yield rec;
      }
      pending.length = 0;
    }
  }
}

/** All the records of `options.people` people at once (for tests; the bench streams `syntheticRecords`). */
export function synthetic(options: SyntheticOptions): SyntheticRecord[] {
  return [...syntheticRecords(options)];
}
