/**
 * pathShaped and urlShaped look at a string's first characters before PATH_SHAPE and URL_SHAPE
 * run: they must answer exactly as the expressions alone, for every string.
 */
import { describe, expect, it } from 'vitest';
import { corpusStrings } from './corpus-strings.js';
import { shippedRules } from '../../src/inspect/build.js';
import { PATH_SHAPE, URL_SHAPE, pathShaped, urlShaped } from '../../src/inspect/kinds.js';
import { scaled, scaledItems } from '../test-scale.js';

// Strings of the characters the expressions turn on, every short one made of them (and a few
// characters the expressions do not name), so that every branch and every colon position is met.
function crafted(): string[] {
  const out: string[] = [];
  const alphabet = ['~', '.', '/', '\\', ':', 'f', 'F', 'i', 'l', 'e', 'C', 'z', '0', '+', '-', ' ', 'é', 'ſ', 'K'];
  const grow = (prefix: string, left: number): void => {
    out.push(prefix);
    if (left > 0) for (const c of alphabet) grow(prefix + c, left - 1);
  };
  grow('', 4);
  // Colons at every place up to and past 31, after a scheme of letters, digits and signs.
  for (let at = 1; at <= 34; at++) for (const tail of ['//x', '/x', '//']) out.push('h' + 'a1+.-'.repeat(8).slice(0, at - 1) + ':' + tail);
  out.push('file:', 'FILE:/x', 'File', 'c:\\x', 'C:/x', 'c:x', '\\\\host', '~', '~x', '..\\a', 'https://x', 'a://x', 'ab://x', ' https://x', '1http://x');
  return out;
}

describe('the shapes of paths and URLs, first characters read first', () => {
  it('answer as PATH_SHAPE and URL_SHAPE do', () => {
    const strings = [...crafted(), ...shippedRules().rules.flatMap((r) => [...r.examples.match, ...r.examples.nomatch]).filter((e): e is string => typeof e === 'string'), ...scaledItems(corpusStrings(65_536))];
    let paths = 0;
    let urls = 0;
    for (const s of strings) {
      expect(pathShaped(s), JSON.stringify(s)).toBe(PATH_SHAPE.test(s));
      expect(urlShaped(s), JSON.stringify(s)).toBe(URL_SHAPE.test(s));
      if (pathShaped(s)) paths++;
      if (urlShaped(s)) urls++;
    }
    // Both answers are met many times, so a shortcut that said no too often would show.
    expect(paths).toBeGreaterThan(scaled(1000));
    expect(urls).toBeGreaterThan(scaled(50));
  });
});
