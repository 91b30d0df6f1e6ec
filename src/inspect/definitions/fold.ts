/**
 * One spelling of a definition's prose for the steering rules: NFKC (full-width and
 * compatibility forms), invisible characters removed, letters from other scripts that look
 * like Latin ones folded to them (a description that writes "аlways" with a Cyrillic "а"
 * reads the same to a model), lower case, runs of white space as one space. Only the
 * steering rules read this spelling; a fold never reaches the client.
 */
import { stripInvisible } from '../normalize/invisible.js';

// Cyrillic, Greek and a few other letters a reader takes for Latin ones (lower and upper case).
const CONFUSABLES: Readonly<Record<string, string>> = {
  // Cyrillic
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's', і: 'i', ї: 'i', ј: 'j', ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ӏ: 'l', ɡ: 'g',
  А: 'a', В: 'b', Е: 'e', Ё: 'e', К: 'k', М: 'm', Н: 'h', О: 'o', Р: 'p', С: 'c', Т: 't', У: 'y', Х: 'x', Ѕ: 's', І: 'i', Ї: 'i', Ј: 'j', Ԁ: 'd', Ԛ: 'q', Ԝ: 'w', Һ: 'h', Ӏ: 'l',
  // Greek
  α: 'a', ε: 'e', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w',
  Α: 'a', Β: 'b', Ε: 'e', Ζ: 'z', Η: 'h', Ι: 'i', Κ: 'k', Μ: 'm', Ν: 'n', Ο: 'o', Ρ: 'p', Τ: 't', Υ: 'y', Χ: 'x',
  // Latin look-alikes outside ASCII that NFKC keeps
  ı: 'i', ȷ: 'j', ℓ: 'l',
};
const CONFUSABLE_RE = new RegExp(`[${Object.keys(CONFUSABLES).join('')}]`, 'g');
// A letter of another script is folded inside a word that also has Latin letters, and a word
// made only of look-alikes when the text is mostly Latin: a description written in Russian or
// Greek (which has letters with no Latin look-alike) is left as it is.
const WORD_RE = /[\p{L}\p{M}]+/gu;
const LATIN_RE = /[a-z]/i;
const LATIN_LETTERS_RE = /[a-z]/gi;
const OTHER_LETTERS_RE = /[^\p{Script=Latin}\P{L}]/gu;

/** The folded spelling of one string of a definition. */
export function foldDefinitionText(text: string): string {
  const plain = stripInvisible(text.normalize('NFKC'));
  const mostlyLatin = (plain.match(LATIN_LETTERS_RE)?.length ?? 0) > (plain.match(OTHER_LETTERS_RE)?.length ?? 0);
  const fold = (word: string): string => word.replace(CONFUSABLE_RE, (c) => CONFUSABLES[c] ?? c);
  const folded = plain.replace(WORD_RE, (word) => (LATIN_RE.test(word) || (mostlyLatin && [...word].every((c) => c in CONFUSABLES)) ? fold(word) : word));
  return folded.toLowerCase().replace(/\s+/g, ' ');
}
