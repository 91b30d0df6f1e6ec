/** The JUnit writer: counts, one testcase per case, and escaping that survives hostile text. */
import { describe, expect, it } from 'vitest';
import { escapeXml, renderJUnit } from '../../src/testing/report-junit.js';
import type { CaseResult, SuiteResult } from '../../src/testing/types.js';
import { findAll, parseXml } from './xml.js';

const hostile = 'a <b> & "c" \'d\' ]]> e\u001b[31m\u0000\u0007\u000b\u000c\u007f\u0085\ud800 f\uffff\ttab\nline\r\n😀';

function suite(name: string, cases: CaseResult[], startError?: string): SuiteResult {
  return { file: `${name}.yaml`, name, cases, durationMs: 1234, startedAt: '2026-01-02T03:04:05.000Z', ...(startError !== undefined && { startError }) };
}

const passed: CaseResult = { name: 'lists <tools>', status: 'passed', got: 'listed 3 tools', mismatches: [], durationMs: 12 };
const failed: CaseResult = {
  name: `reads ${hostile}`,
  status: 'failed',
  got: 'allowed',
  mismatches: [
    { key: 'verdict', expected: 'blocked', got: `allowed: ${hostile}` },
    { key: 'contains', expected: 'text containing "x"', got: '"]]>"' },
  ],
  durationMs: 5,
};
const errored: CaseResult = { name: 'server died', status: 'error', got: 'not run', mismatches: [], message: 'no answer\nstderr line <x>', durationMs: 1 };

describe('escapeXml', () => {
  it('escapes markup characters so "]]>" cannot appear', () => {
    expect(escapeXml('a<b&c]]>d')).toBe('a&lt;b&amp;c]]&gt;d');
  });
  it('spells out characters XML 1.0 cannot hold, and DEL/C1 too', () => {
    expect(escapeXml('x\u0000y\u001bz\u007f\u0085')).toBe('x\\u0000y\\u001bz\\u007f\\u0085');
    expect(escapeXml('\ud800 \udc00 \uffff')).toBe('\\ud800 \\udc00 \\uffff');
  });
  it('keeps tab, newline, and surrogate pairs in text, and references whitespace in attributes', () => {
    expect(escapeXml('a\tb\nc😀')).toBe('a\tb\nc😀');
    expect(escapeXml('a\tb\nc\r"\'', true)).toBe('a&#9;b&#10;c&#13;&quot;&apos;');
  });
});

describe('renderJUnit', () => {
  const xml = renderJUnit([suite('first', [passed, failed, errored]), suite('second', [passed])]);
  const root = parseXml(xml);

  it('is one well-formed document with the totals on <testsuites>', () => {
    expect(root.name).toBe('testsuites');
    expect(root.attributes).toMatchObject({ tests: '4', failures: '1', errors: '1' });
  });

  it('has one testsuite per file and one testcase per case, with counts', () => {
    const suites = findAll(root, 'testsuite');
    expect(suites.map((s) => s.attributes.name)).toEqual(['first', 'second']);
    expect(suites[0]!.attributes).toMatchObject({ tests: '3', failures: '1', errors: '1', skipped: '0', time: '1.234', timestamp: '2026-01-02T03:04:05.000Z' });
    expect(findAll(suites[0]!, 'testcase').map((c) => c.attributes.name)).toEqual(['lists <tools>', failed.name.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\uffff]|\ud800/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`), 'server died']);
    expect(findAll(suites[1]!, 'testcase')).toHaveLength(1);
  });

  it('writes a failure with expected and got for every mismatch, text read back as written', () => {
    const [failure] = findAll(root, 'failure');
    expect(failure!.attributes.message).toContain('verdict: expected blocked; got allowed: a <b> & "c" \'d\' ]]> e\\u001b[31m\\u0000');
    expect(failure!.attributes.message).toContain('\ttab\nline\r\n😀');
    expect(failure!.text).toContain('verdict\n  expected: blocked\n  got:      allowed: a <b> &');
    expect(failure!.text).toContain('contains\n  expected: text containing "x"\n  got:      "]]>"');
  });

  it('writes an error for a case that could not run', () => {
    const [error] = findAll(root, 'error');
    expect(error!.attributes.message).toBe('no answer');
    expect(error!.text).toBe('no answer\nstderr line <x>');
  });

  it('gives a suite whose server did not start its reason and an error per case', () => {
    const dead = parseXml(renderJUnit([suite('dead', [{ ...errored, name: 'a', message: 'could not start the server behind its policy: boom' }], 'boom & <bust>')]));
    expect(findAll(dead, 'system-err')[0]!.text).toBe('boom & <bust>');
    expect(findAll(dead, 'error')[0]!.attributes.message).toBe('could not start the server behind its policy: boom');
  });
});

describe('the XML reader these tests trust', () => {
  it.each([
    ['a raw <', '<a>x < y</a>'],
    ['a raw &', '<a>x & y</a>'],
    ['"]]>" in text', '<a>]]></a>'],
    ['a control character', '<a>\u001b</a>'],
    ['a forbidden reference', '<a>&#0;</a>'],
    ['a lone surrogate', '<a>\ud800</a>'],
    ['mismatched tags', '<a><b></a></b>'],
    ['a newline-less attribute quote', '<a x="1></a>'],
  ])('rejects %s', (_, text) => {
    expect(() => parseXml(text)).toThrow();
  });
});
