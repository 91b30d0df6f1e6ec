import { describe, expect, it } from 'vitest';
import { decodeBlobs } from '../../../src/inspect/normalize/blobs.js';
import { decodeUtf8Lenient } from '../../../src/inspect/normalize/bytes.js';
import { unescapeOnce } from '../../../src/inspect/normalize/escapes.js';
import { htmlDecodeOnce } from '../../../src/inspect/normalize/html.js';
import { cleanText, stripInvisible } from '../../../src/inspect/normalize/invisible.js';
import { percentDecode, percentDecodeOnce } from '../../../src/inspect/normalize/url.js';

describe('decodeUtf8Lenient', () => {
  it.each([
    ['well-formed UTF-8', [0x63, 0x61, 0x66, 0xc3, 0xa9], 'café', 0],
    ['a long well-formed run (native path)', [...Buffer.from('é'.repeat(100))], 'é'.repeat(100), 0],
    ['a two-byte overlong dot', [0xc0, 0xae], '.', 0],
    ['a three-byte overlong slash', [0xe0, 0x80, 0xaf], '/', 0],
    ['a four-byte overlong dot', [0xf0, 0x80, 0x80, 0xae], '.', 0],
    ['a lead byte without continuation (dropped)', [0xc0, 0x5c], '\\', 1],
    ['a stray continuation byte (dropped)', [0x61, 0x80, 0x62], 'ab', 1],
    ['an encoded surrogate (dropped)', [0xed, 0xa0, 0x80], '', 3],
    ['bytes that can never start a sequence', [0xff, 0xfe, 0x41], 'A', 2],
  ])('%s', (_, bytes, text, dropped) => {
    expect(decodeUtf8Lenient(bytes)).toEqual({ text, dropped });
  });
});

describe('percentDecode', () => {
  it.each([
    ['a lone percent sign', '100% sure', '100% sure'],
    ['a percent sign at the end', 'abc%', 'abc%'],
    ['a lone escape that is no character', "echo %date% LIKE '%cable%'", "echo %date% LIKE '%cable%'"],
    ['a bad escape', '%zz%2', '%zz%2'],
    ['mixed case hex', '%2E%2e', '..'],
    ['multi-byte UTF-8 across escapes', '%E2%80%AE', '\u202e'],
    ['IIS %u', '%u002e%U002E', '..'],
    ['a short %u', '%u2e', '%u2e'],
    ['plus is not a space', 'a+b', 'a+b'],
  ])('%s', (_, raw, decoded) => {
    expect(percentDecodeOnce(raw)).toBe(decoded);
  });

  it('reads + as a space in the form spelling, in the first pass only', () => {
    expect(percentDecode('a+b%252B', 4, true)).toEqual({ text: 'a b+', rounds: 2 });
  });

  it('counts rounds until stable', () => {
    expect(percentDecode('%25252e', 4)).toEqual({ text: '.', rounds: 3 });
    expect(percentDecode('plain', 4)).toEqual({ text: 'plain', rounds: 0 });
  });
});

describe('htmlDecodeOnce', () => {
  it.each([
    ['named, case-insensitive', '&LT;script&gt;', '<script>'],
    ['legacy names without ;', '&lt&gt&amp', '<>&'],
    ['other names need ;', '&period&sol', '&period&sol'],
    ['unknown names', '&bogus; &', '&bogus; &'],
    ['numeric zero and out of range', '&#0;&#x110000;', '\ufffd\ufffd'],
    ['a surrogate', '&#xd800;', '\ufffd'],
    ['astral', '&#x1F600;', '\u{1F600}'],
    ['no digits', '&#; &#x;', '&#; &#x;'],
    ['invisible by name', 'a&zwj;b&shy;c', 'a\u200db\u00adc'],
  ])('%s', (_, raw, decoded) => {
    expect(htmlDecodeOnce(raw)).toBe(decoded);
  });
});

describe('unescapeOnce', () => {
  it.each([
    ['\\u with too few digits', '\\u2e', '\\u2e'],
    ['\\u{} out of range', '\\u{110000}', '\\u{110000}'],
    ['\\U', '\\U0001F600', '\u{1F600}'],
    ['surrogate pairs from \\u', '\\ud83d\\ude00', '\u{1F600}'],
    ['\\x runs as UTF-8', '\\xe2\\x80\\xae', '\u202e'],
    ['a lone \\x byte that is no character', 'a\\xffb\\x2e', 'a\\xffb.'],
    ['octal above \\377 is not octal', '\\456', '\\456'],
    ['a Windows path stays', 'C:\\Users\\alice', 'C:\\Users\\alice'],
    ['0x letters stay', 'mask 0x41 0x7f', 'mask 0x41 0x7f'],
    ['0x punctuation', '0x2e0x2E0x5c', '..\\'],
    ['a 0x hex blob is not glued bytes', '0x2e2e2f2e2e2f6574632f706173737764', '0x2e2e2f2e2e2f6574632f706173737764'],
  ])('%s', (_, raw, decoded) => {
    expect(unescapeOnce(raw)).toBe(decoded);
  });
});

describe('decodeBlobs', () => {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');

  it.each([
    ['base64 needs 16 characters', b64('short'), []],
    ['padding is consumed', `${b64('../../etc/passwd!')}.`, ['base64']],
    ['a hex blob inside a word run', `id-${Buffer.from('cat /etc/shadow').toString('hex')}`, ['hex']],
    ['odd-length hex is left', `${Buffer.from('cat /etc/shadow').toString('hex')}0`, []],
    ['random bytes are left', 'k9Qz7Xw2Lm4Vb8Nn1Rt5Yp3Hs6Jd0Fg', []],
  ])('%s', (_, raw, via) => {
    expect(decodeBlobs(raw).via).toEqual(via);
  });
});

describe('stripInvisible and cleanText', () => {
  it.each([
    ['zero-width and bidi', 'a\u200bb\u202ec\u2066d', 'abcd'],
    ['ANSI sequences whole', 'a\x1b[1;31mb\x1b[0mc', 'abc'],
    ['an OSC hyperlink', 'a\x1b]8;;http://x\x07b\x1b]8;;\x1b\\c', 'abc'],
    ['controls but not tab, LF, CR', 'a\0b\x7fc\td\ne\rf', 'abc\td\ne\rf'],
    ['joiners beside ASCII only', 'i\u200dx \u{1F468}\u200d\u{1F469}', 'ix \u{1F468}\u200d\u{1F469}'],
    ['a lone selector after ASCII', 'rm\ufe0f -rf', 'rm -rf'],
    ['a selector after an emoji stays', '\u2764\ufe0f', '\u2764\ufe0f'],
    ['tag characters, flags kept', `x\u{E0041}y \u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}`, `xy \u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}`],
  ])('strips %s', (_, raw, stripped) => {
    expect(stripInvisible(raw)).toBe(stripped);
  });

  it('names what changed, in order', () => {
    expect(cleanText('．\u200b．')).toEqual({ text: '..', via: ['invisible', 'nfkc'] });
    expect(cleanText('plain')).toEqual({ text: 'plain', via: [] });
    expect(cleanText('127\u30020\u30020\u30021')).toEqual({ text: '127.0.0.1', via: ['nfkc'] });
  });

  it('refuses NFKC growth beyond four times', () => {
    expect(cleanText('\ufdfa'.repeat(100))).toBeUndefined();
    expect(cleanText('\ufdfa')?.via).toEqual(['nfkc']);
  });
});
