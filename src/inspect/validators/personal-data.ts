/**
 * Validators for personal data (policies/rules/pii.yaml): the checksum or structure each
 * kind of number has, so that order numbers, dates and hashes are not taken for cards,
 * IBANs or national ids. Each gets the matched text in its original case.
 */

const digitsOf = (text: string): string => text.replace(/[^0-9]/g, '');

/** The Luhn (mod 10) check that every payment card number passes. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

// Issuer prefixes and the lengths their cards have: Visa, Mastercard (51–55, 2221–2720),
// American Express, Discover, JCB, Diners Club, UnionPay, Maestro.
function issuerAccepts(digits: string): boolean {
  const n = digits.length;
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  if (digits.startsWith('4')) return n === 13 || n === 16 || n === 19;
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return n === 16;
  if (two === 34 || two === 37) return n === 15;
  if (digits.startsWith('6011') || digits.startsWith('65') || (Number(digits.slice(0, 3)) >= 644 && Number(digits.slice(0, 3)) <= 649)) return n >= 16 && n <= 19;
  if (four >= 3528 && four <= 3589) return n >= 16 && n <= 19;
  if (two === 36 || two === 38 || two === 39 || (Number(digits.slice(0, 3)) >= 300 && Number(digits.slice(0, 3)) <= 305)) return n >= 14 && n <= 19;
  if (two === 62) return n >= 16 && n <= 19;
  if (two === 50 || (two >= 56 && two <= 69)) return n >= 12 && n <= 19;
  return false;
}

/** A payment card number: a known issuer's prefix and length, the Luhn check, one separator style. */
export function isPaymentCard(match: string): boolean {
  const separators = new Set(match.replace(/[0-9]/g, ''));
  if (separators.size > 1) return false;
  const digits = digitsOf(match);
  // All one digit repeated, or a run like 1234567890123456, is a placeholder.
  if (/^(\d)\1+$/.test(digits)) return false;
  return issuerAccepts(digits) && passesLuhn(digits);
}

// IBAN lengths by country (ISO 13616 registry), for the countries most often seen.
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, CH: 21, CR: 22, CY: 28, CZ: 24,
  DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18,
  GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LI: 21,
  LT: 20, LU: 20, LV: 21, MC: 27, MD: 24, ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24,
  PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, SA: 24, SE: 24, SI: 19, SK: 24, SM: 27, TN: 24, TR: 26,
  UA: 29, VG: 24, XK: 20,
};

/** An IBAN: a known country, that country's length, and the ISO 7064 mod-97 check. */
export function isIban(match: string): boolean {
  const iban = match.replace(/ /g, '').toUpperCase();
  if (IBAN_LENGTHS[iban.slice(0, 2)] !== iban.length) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : ch;
    for (const digit of value) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

/** A US social security number: never area 000, 666 or 9xx, group 00 or serial 0000. */
export function isUsSsn(match: string): boolean {
  const [area, group, serial] = match.split('-');
  if (area === undefined || group === undefined || serial === undefined) return false;
  if (area === '000' || area === '666' || area.startsWith('9')) return false;
  if (group === '00' || serial === '0000') return false;
  // The number the SSA itself voided after it appeared on sample cards.
  return `${area}${group}${serial}` !== '078051120';
}

// Prefix letters HMRC never issues for a National Insurance number.
const NINO_FIRST_NOT = new Set('DFIQUV');
const NINO_SECOND_NOT = new Set('DFIOQUV');
const NINO_PREFIX_NOT = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

/** A UK National Insurance number: two allowed letters, six digits, a suffix A–D. */
export function isUkNino(match: string): boolean {
  const nino = match.replace(/ /g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{6}[A-D]$/.test(nino)) return false;
  const first = nino[0] ?? '';
  const second = nino[1] ?? '';
  return !NINO_FIRST_NOT.has(first) && !NINO_SECOND_NOT.has(second) && !NINO_PREFIX_NOT.has(nino.slice(0, 2));
}

// File names and hosts that look like mail addresses: retina images (icon@2x.png), packages
// pinned with a version (lodash@4.17.21), and SSH remotes (git@github.com).
const NOT_A_MAILBOX_TLD = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'js', 'ts', 'css', 'json', 'md', 'txt']);

/** An email address: a real-looking top-level domain, and not an SSH remote or file name. */
export function isEmailAddress(match: string): boolean {
  const at = match.lastIndexOf('@');
  const local = match.slice(0, at).toLowerCase();
  const tld = match.slice(match.lastIndexOf('.') + 1).toLowerCase();
  if (local === 'git' || local.length === 0) return false;
  if (!/^[a-z]{2,}$/.test(tld) || NOT_A_MAILBOX_TLD.has(tld)) return false;
  return true;
}

/** A phone number: 8 to 15 digits in international form, exactly 10 in the North American form. */
export function isPhoneNumber(match: string): boolean {
  const digits = digitsOf(match);
  if (match.trimStart().startsWith('+')) return digits.length >= 8 && digits.length <= 15;
  return digits.length === 10 && !/^[01]/.test(digits);
}
