/**
 * How one person's identity gets mangled as it passes through different systems:
 * nicknames, typos, case, e-mail aliases and phone formats. Pure.
 */
import { chance, intBetween, pick, type Random } from './samplers.js';
import type { Country } from './names.js';

/** A typo a person or an agent makes when typing a name: transposed, dropped or doubled letter. */
export function typo(rng: Random, word: string): string {
  if (word.length < 4) return word;
  const i = intBetween(rng, 1, word.length - 2);
  const kind = intBetween(rng, 0, 2);
  if (kind === 0) return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  if (kind === 1) return word.slice(0, i) + word.slice(i + 1);
  return word.slice(0, i) + word[i] + word.slice(i);
}

export interface NameStyle {
  nickname: number;
  typo: number;
  initial?: number;
  upper?: number;
  lower?: number;
}

export interface PersonName {
  first: string;
  last: string;
  nicknames: readonly string[];
}

/** The name as one system holds it; `variant` says what was done to it (ground truth). */
export function nameVariant(rng: Random, name: PersonName, style: NameStyle): { first: string; last: string; variant: string[] } {
  let first = name.first;
  let last = name.last;
  const variant: string[] = [];
  if (name.nicknames.length > 0 && chance(rng, style.nickname)) {
    first = pick(rng, name.nicknames);
    variant.push('nickname');
  }
  if (chance(rng, style.typo)) {
    if (chance(rng, 0.6)) last = typo(rng, last);
    else first = typo(rng, first);
    if (first !== name.first || last !== name.last) variant.push('typo');
  }
  if (style.initial && chance(rng, style.initial)) {
    first = `${first[0]}.`;
    variant.push('initial');
  }
  if (style.upper && chance(rng, style.upper)) {
    first = first.toUpperCase();
    last = last.toUpperCase();
    variant.push('case');
  } else if (style.lower && chance(rng, style.lower)) {
    first = first.toLowerCase();
    last = last.toLowerCase();
    variant.push('case');
  }
  return { first, last, variant };
}

/** ASCII slug for e-mail local parts and domains. */
export function slug(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

/** A personal mailbox for a person: local-part style + provider. */
export function personalEmail(rng: Random, name: PersonName, country: Country, birthYear: number, providers: readonly string[]): string {
  const f = slug(name.first);
  const l = slug(name.last);
  const yy = String(birthYear % 100).padStart(2, '0');
  const local = pick(rng, [
    `${f}.${l}`, `${f}${l}`, `${f[0]}${l}`, `${f}_${l}`, `${f}.${l}${yy}`, `${f}${l}${birthYear}`,
    `${l}.${f}`, `${f}${intBetween(rng, 1, 999)}`, `${f[0]}.${l}`,
  ]);
  const domain = chance(rng, 0.3) && country.mail.length > 0 ? pick(rng, country.mail) : pick(rng, providers);
  return `${local}@${domain}`;
}

export function workEmail(rng: Random, name: PersonName, domain: string): string {
  const f = slug(name.first);
  const l = slug(name.last);
  return `${pick(rng, [`${f}.${l}`, `${f}.${l}`, `${f[0]}${l}`, `${f}`, `${f}${l[0] ?? ''}`])}@${domain}`;
}

/** The address as typed into one system: case changes, plus-addressing, dots (which mailbox providers ignore). */
export function emailVariant(rng: Random, email: string): { email: string; variant: string[] } {
  const at = email.indexOf('@');
  let local = email.slice(0, at);
  let domain = email.slice(at + 1);
  const variant: string[] = [];
  if (chance(rng, 0.1)) {
    local = local.charAt(0).toUpperCase() + local.slice(1).replace(/\.(\w)/g, (_m, c: string) => `.${c.toUpperCase()}`);
    if (chance(rng, 0.5)) domain = domain.charAt(0).toUpperCase() + domain.slice(1);
    variant.push('case');
  }
  if (chance(rng, 0.08)) {
    local = `${local}+${pick(rng, ['coffee', 'shop', 'northwind', 'orders', 'news'])}`;
    variant.push('plus');
  } else if (domain.toLowerCase().startsWith('gmail.') && chance(rng, 0.15)) {
    local = local.includes('.') ? local.replace('.', '') : local.length > 3 ? `${local.slice(0, 3)}.${local.slice(3)}` : local;
    variant.push('dots');
  }
  return { email: `${local}@${domain}`, variant };
}

/** A national mobile number (digits only, without trunk prefix) for a country. */
export function nationalNumber(rng: Random, country: Country): string {
  const digits = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += String(intBetween(rng, 0, 9));
    return s;
  };
  switch (country.code) {
    case 'US':
    case 'CA':
      return `${intBetween(rng, 2, 9)}${digits(2)}${intBetween(rng, 2, 9)}${digits(6)}`;
    case 'GB':
      return `7${digits(9)}`;
    case 'IE':
      return `8${intBetween(rng, 3, 9)}${digits(7)}`;
    case 'DE':
      return `15${digits(9)}`;
    case 'FR':
      return `${pick(rng, ['6', '7'])}${digits(8)}`;
    case 'NL':
      return `6${digits(8)}`;
    case 'AU':
      return `4${digits(8)}`;
  }
}

/** The same number written the way different systems and people write it. */
export function phoneVariant(rng: Random, national: string, country: Country): string {
  const e164 = `+${country.dial}${national}`;
  const trunk = country.code === 'US' || country.code === 'CA' ? national : `0${national}`;
  const style = intBetween(rng, 0, 4);
  if (style === 0) return e164;
  if (country.code === 'US' || country.code === 'CA') {
    const a = national.slice(0, 3);
    const b = national.slice(3, 6);
    const c = national.slice(6);
    return [`(${a}) ${b}-${c}`, `${a}-${b}-${c}`, `${a}.${b}.${c}`, `+1 ${a} ${b} ${c}`][style - 1] ?? e164;
  }
  const spaced = trunk.replace(/(\d{3,4})(\d{3})(\d+)/, '$1 $2 $3');
  const intl = `+${country.dial} ${national.replace(/(\d{3})(\d{3})(\d+)/, '$1 $2 $3')}`;
  return [spaced, intl, trunk, `00${country.dial}${national}`][style - 1] ?? e164;
}
