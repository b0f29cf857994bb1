import { describe, expect, it } from 'vitest';
import { compileDateFormat, readAmount, readCurrency, readDate, readNumber } from './values.js';
import { resolveMapping } from './mapping.js';

const iso = compileDateFormat(undefined);
const reason = (r: { ok: boolean; reason?: string }) => (r.ok ? 'ok' : r.reason);

describe('strict dates', () => {
  it('reads ISO 8601 dates and date-times, with zones, as UTC epoch ms', () => {
    expect(readDate('2025-03-04', iso)).toEqual({ ok: true, value: Date.UTC(2025, 2, 4) });
    expect(readDate('2025-03-04T10:20:30.5+02:00', iso)).toEqual({ ok: true, value: Date.UTC(2025, 2, 4, 8, 20, 30, 500) });
    expect(readDate('2025-03-04 10:20', iso)).toEqual({ ok: true, value: Date.UTC(2025, 2, 4, 10, 20) });
  });
  it('refuses impossible and ambiguous dates, and reads them only with an explicit format', () => {
    expect(reason(readDate('2025-02-29', iso))).toBe('not a real calendar date or time');
    expect(reason(readDate('03/04/2025', iso))).toMatch(/^ambiguous date/);
    expect(reason(readDate('13/04/2025', iso))).toMatch(/^not ISO 8601/);
    expect(reason(readDate(1735689600000, iso))).toMatch(/a number is not a date/);
    expect(readDate('03/04/2025', compileDateFormat('DD/MM/YYYY'))).toEqual({ ok: true, value: Date.UTC(2025, 3, 3) });
    expect(readDate('03/04/2025 17:05', compileDateFormat('MM/DD/YYYY HH:mm'))).toEqual({ ok: true, value: Date.UTC(2025, 2, 4, 17, 5) });
    expect(reason(readDate('31/02/2025', compileDateFormat('DD/MM/YYYY')))).toMatch(/^not a real calendar date/);
    expect(readDate('1735689600', compileDateFormat('epoch-s'))).toEqual({ ok: true, value: 1735689600000 });
    expect(() => compileDateFormat('DD/MM')).toThrow(/needs exactly one YYYY/);
  });
});

describe('strict numbers and currencies', () => {
  it('never guesses what a comma means', () => {
    expect(readNumber('1234.5')).toEqual({ ok: true, value: 1234.5 });
    expect(readNumber('-0.25')).toEqual({ ok: true, value: -0.25 });
    expect(reason(readNumber('1,234'))).toMatch(/^contains a comma/);
    expect(readNumber('1,234', { decimal: '.' })).toEqual({ ok: true, value: 1234 });
    expect(readNumber('1,234', { decimal: ',' })).toEqual({ ok: true, value: 1.234 });
    expect(readNumber('1.234.567,89', { decimal: ',' })).toEqual({ ok: true, value: 1234567.89 });
    expect(reason(readNumber('12,34.5', { decimal: '.' }))).toMatch(/group three digits/);
    expect(reason(readNumber('ten'))).toBe('not a number');
  });
  it('takes ISO 4217 codes, and symbols only with a matching default currency', () => {
    expect(readCurrency('eur')).toEqual({ ok: true, value: 'EUR' });
    expect(reason(readCurrency('EUX'))).toBe('not an ISO 4217 currency code');
    expect(reason(readCurrency('$'))).toMatch(/a symbol is not a currency code/);
    expect(readCurrency('$', 'USD')).toEqual({ ok: true, value: 'USD' });
    expect(readAmount('EUR 12.50', {})).toEqual({ ok: true, value: { amount: 12.5, currency: 'EUR' } });
    expect(readAmount('12.50 gbp', {})).toEqual({ ok: true, value: { amount: 12.5, currency: 'GBP' } });
    expect(reason(readAmount('€12.50', {}))).toMatch(/needs --currency/);
    expect(readAmount('€12,50', { defaultCurrency: 'EUR', decimal: ',' })).toEqual({ ok: true, value: { amount: 12.5, currency: 'EUR' } });
    expect(reason(readAmount('£3', { defaultCurrency: 'USD' }))).toMatch(/not that of the default currency USD/);
  });
});

describe('mapping guesses', () => {
  it('matches headers whatever their case, spacing or punctuation, and common synonyms', () => {
    const r = resolveMapping('contact', ['CUSTOMER_ID', 'E-mail Address', 'first name', 'Last-Name', 'Phone Number', 'Notes']);
    expect(r.mapping).toEqual({ externalId: 'CUSTOMER_ID', email: 'E-mail Address', firstName: 'first name', lastName: 'Last-Name', phone: 'Phone Number' });
    const o = resolveMapping('order', ['Order ID', 'Customer ID', 'Order Date', 'Amount (USD)']);
    expect(o.mapping).toEqual({ externalId: 'Order ID', customerId: 'Customer ID', placedAt: 'Order Date', total: 'Amount (USD)' });
    expect(o.headerCurrency).toBe('USD');
  });
  it('lets explicit choices win and refuses unknown fields and headers with the list', () => {
    expect(resolveMapping('contact', ['id', 'Work Email', 'Email'], { email: 'work email' }).mapping).toEqual({ externalId: 'id', email: 'Work Email' });
    expect(() => resolveMapping('contact', ['id'], { shoeSize: 'id' })).toThrow(/unknown contact field "shoeSize"/);
    expect(() => resolveMapping('contact', ['id', 'Mail'], { email: 'E-mail' })).toThrow('no column "E-mail" (for email) in the file; its columns are "id", "Mail"');
    expect(() => resolveMapping('order', ['Order ID', 'Customer ID', 'Order Date', 'Amount'])).toThrow(/no column for currency of order/);
  });
});
