import { describe, expect, it } from 'vitest';
import {
  isEmailAddress, isIban, isPaymentCard, isPhoneNumber, isUkNino, isUsSsn, passesLuhn,
} from '../../../src/inspect/validators/personal-data.js';

// Every number is made up; the valid-looking ones were built to pass their check.

describe('passesLuhn', () => {
  it.each(['79927398713', '4294199682550949', '5548083791998036', '370865650389032', '6011430608303163', '0'])('%s passes', (digits) => {
    expect(passesLuhn(digits)).toBe(true);
  });

  it.each(['79927398710', '4294199682550948', '5548083791998037', '370865650389033', '1'])('%s fails', (digits) => {
    expect(passesLuhn(digits)).toBe(false);
  });
});

describe('isPaymentCard', () => {
  it.each([
    ['Visa', '4294199682550949'],
    ['Mastercard, spaced', '5548 0837 9199 8036'],
    ['Mastercard 2-series', '2221777777777774'],
    ['American Express, dashed', '3708-656503-89032'],
    ['American Express', '370865650389032'],
    ['Discover', '6011430608303163'],
    ['JCB', '3530777777777778'],
    ['Diners Club (14 digits)', '36777777777773'],
    ['UnionPay', '6277777777777778'],
    ['Visa (13 digits)', '4929777777778'],
    ['Visa (19 digits)', '4777777777777777775'],
  ])('accepts %s', (_, match) => {
    expect(isPaymentCard(match)).toBe(true);
  });

  it.each([
    ['a number that fails Luhn', '4294199682550948'],
    ['mixed separators', '4294 1996-8255 0949'],
    ['one digit repeated', '4444444444444444'],
    ['zeros', '0000000000000000'],
    ['an unknown issuer prefix', '1234567890123452'],
    ['a Visa prefix with a wrong length', '429419968255094'],
    ['an Amex prefix with 16 digits', '3708656503890324'],
    ['a Mastercard prefix with 15 digits', '554808379199803'],
  ])('rejects %s', (_, match) => {
    expect(isPaymentCard(match)).toBe(false);
  });
});

describe('isIban', () => {
  it.each([
    ['German', 'DE89370400440532013000'],
    ['British', 'GB29NWBK60161331926819'],
    ['British, in groups of four', 'GB29 NWBK 6016 1331 9268 19'],
    ['French, with a letter in the account', 'FR1420041010050500013M02606'],
    ['French, lower case', 'fr1420041010050500013m02606'],
  ])('accepts a %s IBAN', (_, match) => {
    expect(isIban(match)).toBe(true);
  });

  it.each([
    ['a wrong check', 'DE89370400440532013001'],
    ['swapped check digits', 'DE98370400440532013000'],
    ['an unknown country', 'XX89370400440532013000'],
    ['one character short', 'DE8937040044053201300'],
    ['one character too many', 'DE893704004405320130000'],
    ['another country length', 'GB89370400440532013000123'],
    ['a build id', 'ab12cdef34567890abcd'],
  ])('rejects %s', (_, match) => {
    expect(isIban(match)).toBe(false);
  });
});

describe('isUsSsn', () => {
  it.each(['512-44-8731', '219-09-9999', '001-01-0001', '899-99-9999'])('accepts %s', (match) => {
    expect(isUsSsn(match)).toBe(true);
  });

  it.each([
    ['area 000', '000-12-3456'],
    ['area 666', '666-12-3456'],
    ['area 9xx', '912-44-8731'],
    ['group 00', '512-00-8731'],
    ['serial 0000', '512-44-0000'],
    ['the voided sample number', '078-05-1120'],
    ['no dashes', '512448731'],
    ['one dash', '512-448731'],
  ])('rejects %s', (_, match) => {
    expect(isUsSsn(match)).toBe(false);
  });
});

describe('isUkNino', () => {
  it.each(['AB 12 34 56 C', 'JG103759A', 'jg103759a', 'CE123456D'])('accepts %s', (match) => {
    expect(isUkNino(match)).toBe(true);
  });

  it.each([
    ['a first letter never issued', 'QQ123456C'],
    ['D first', 'DA123456A'],
    ['O second', 'AO123456A'],
    ['a prefix never issued (GB)', 'GB123456A'],
    ['a prefix never issued (ZZ)', 'ZZ123456A'],
    ['a suffix past D', 'AB123456E'],
    ['five digits', 'AB12345C'],
    ['no suffix', 'AB123456'],
  ])('rejects %s', (_, match) => {
    expect(isUkNino(match)).toBe(false);
  });
});

describe('isEmailAddress', () => {
  it.each(['jane.doe+news@mail.example.org', 'ops@acme.io', 'A.Person@Example.COM', 'x@sub.domain.co.uk'])('accepts %s', (match) => {
    expect(isEmailAddress(match)).toBe(true);
  });

  it.each([
    ['an SSH remote', 'git@github.com'],
    ['a retina image', 'icon@2x.png'],
    ['a pinned package', 'lodash@4.17.21'],
    ['a script file', 'bundle@latest.js'],
    ['no local part', '@acme.io'],
    ['a one-letter top-level domain', 'a@b.c'],
  ])('rejects %s', (_, match) => {
    expect(isEmailAddress(match)).toBe(false);
  });
});

describe('isPhoneNumber', () => {
  it.each([
    ['an international London number', '+44 20 7946 0958'],
    ['an international US number', '+1-415-555-0132'],
    ['the North American form with parentheses', '(415) 555-0132'],
    ['the North American form with dots', '212.555.0187'],
    ['eight international digits', '+49 1234567'],
  ])('accepts %s', (_, match) => {
    expect(isPhoneNumber(match)).toBe(true);
  });

  it.each([
    ['a short sum', '+12'],
    ['seven international digits', '+49 12345'],
    ['sixteen international digits', '+1234567890123456'],
    ['an area code starting 0', '012-555-0187'],
    ['an area code starting 1', '112-555-0187'],
    ['nine digits', '415-555-013'],
    ['eleven digits without a plus', '1415-555-0132'],
  ])('rejects %s', (_, match) => {
    expect(isPhoneNumber(match)).toBe(false);
  });
});
