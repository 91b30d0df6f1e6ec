/** The forgiving path decoder: every smuggled dot and slash comes out as itself. */
import { describe, expect, test } from 'vitest';
import { decodePathLeniently, decodePercents, decodeUtf8Leniently } from '../../../src/inspect/detectors/paths/decode.js';

describe('decodePathLeniently', () => {
  test.each([
    ['%2e%2e%2f', '../', 'plain percent-escapes'],
    ['%2E%2E%5C', '..\\', 'upper-case hex'],
    ['%252e%252e%252f', '../', 'double-encoded'],
    ['%25252e%25252e', '..', 'triple-encoded'],
    ['%%32%65%%32%65/', '../', 'escapes that build an escape'],
    ['..%c0%af', '../', 'overlong slash'],
    ['%c0%ae%c0%ae%c0%af', '../', 'overlong dots'],
    ['..%c1%9c', '..\\', 'overlong backslash'],
    ['%e0%80%ae%e0%80%ae/', '../', 'three-byte overlong dots'],
    ['%c0%2e%c0%2e%c0%5c', '..\\', 'a 0xc0 lead before a plain byte is dropped'],
    ['..%25c0%25af', '../', 'encoded overlong'],
    ['%uff0e%uff0e%u2215', '../', 'IIS %u with fullwidth dot and division slash'],
    ['..%u2216', '..\\', 'set minus as a backslash'],
    ['..%uEFC8..%uF025', '../../', 'private-use separators'],
    ['0x2e0x2e0x2f', '../', 'literal 0x tokens'],
    ['\uff0e\uff0e\uff0f', '../', 'fullwidth forms'],
    ['\u2025/', '../', 'two-dot leader'],
  ])('%s → %s (%s)', (input, expected) => {
    expect(decodePathLeniently(input)).toBe(expected);
  });

  test.each([
    ['reports/q3.csv'],
    ['./résumé-template.docx'],
    ['budget v2 (final).xlsx'],
    ['100% done/notes.md'],
    ['C:\\data\\cars.csv'],
  ])('%s is left alone', (input) => {
    expect(decodePathLeniently(input)).toBe(input);
  });

  test('a Latin-1 byte that starts nothing stays a character', () => {
    expect(decodePathLeniently('caf%e9.txt')).toBe('café.txt');
  });

  test('valid UTF-8 decodes normally', () => {
    expect(decodeUtf8Leniently([0x72, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80])).toBe('ré€😀');
  });

  test('a long input decodes in one pass per nesting level', () => {
    const long = '%2e%2e%2f'.repeat(20_000);
    expect(decodePathLeniently(long)).toBe('../'.repeat(20_000));
  });
});

describe('decodePercents', () => {
  test.each([
    ['%2e%2e%2fetc', '../etc'],
    ['caf%C3%A9/men%c3%bc', 'café/menü'],
    ['%252e', '%2e'],
    ['100%', '100%'],
    ['%zz%2', '%zz%2'],
    ['%u002e%u002E/', '../'],
    ['%C0%AE%C0%AE/', '../'],
  ])('%s', (input, expected) => {
    expect(decodePercents(input)).toBe(expected);
  });

  test('keeps a lone surrogate from %uD800 as it is', () => {
    const decoded = decodePercents('a%uD800b');
    expect(decoded.length).toBe(3);
    expect(decoded.charCodeAt(1)).toBe(0xd800);
  });

  test('decodes a megabyte of escapes to the same text as one escape at a time', () => {
    const unit = '%252e%252e%252f';
    const long = unit.repeat(70_000);
    expect(decodePercents(long)).toBe('%2e%2e%2f'.repeat(70_000));
  });
});
