/**
 * Wrap and unwrap over generated configs (every indentation, key order, line end, escape
 * style) and the edge cases: --only, entries we must not touch, and unwrap refusing to
 * lose text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rewriteConfig } from '../../src/clients/rewrite.js';
import type { WrapTarget } from '../../src/clients/wrap-entry.js';
import { parseJsonc, TARGET, wrappedArgs } from './helpers.js';
import { scaled } from '../test-scale.js';

type Entry = Record<string, unknown>;

const printable = fc.string({ unit: fc.constantFrom('a', 'Z', '-', ' ', '"', '\\', '/', 'é', '€', '😀', '\n', '\t', '\u2028', '0') });
const stdioEntry = fc
  .record({
    command: printable.filter((c) => c.length > 0 && !/vanguard/i.test(c)),
    args: fc.option(fc.array(printable, { maxLength: 4 }), { nil: undefined }),
    env: fc.option(fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }), { nil: undefined }),
    cwd: fc.option(printable, { nil: undefined }),
    type: fc.option(fc.constant('stdio'), { nil: undefined }),
    disabled: fc.option(fc.boolean(), { nil: undefined }),
  })
  .chain((e) => {
    const keys = Object.keys(e).filter((k) => e[k as keyof typeof e] !== undefined);
    // Any key order the user may have written.
    return fc.shuffledSubarray(keys, { minLength: keys.length }).map((order) => Object.fromEntries(order.map((k) => [k, e[k as keyof typeof e]])) as Entry);
  });
const remoteEntry = fc.oneof(
  fc.record({ url: fc.webUrl() }),
  fc.record({ type: fc.constantFrom('http', 'sse'), url: fc.webUrl(), headers: fc.constant({ A: 'b' }) }),
  fc.record({ serverUrl: fc.webUrl() }),
);
const config = fc.record({
  entries: fc.uniqueArray(fc.tuple(printable, fc.oneof({ weight: 4, arbitrary: stdioEntry }, { weight: 1, arbitrary: remoteEntry })), {
    selector: ([name]) => name,
    maxLength: 5,
  }),
  before: fc.boolean(),
  indent: fc.constantFrom(0, 2, 4, '\t'),
  crlf: fc.boolean(),
  finalNewline: fc.boolean(),
  asciiOnly: fc.boolean(),
  escapeSlash: fc.boolean(),
});

/** Print a config the way some tool or person might have written it. */
function render(c: fc.Value<typeof config>, key = 'mcpServers'): string {
  const servers = Object.fromEntries(c.entries);
  const doc = c.before ? { globalShortcut: 'x', [key]: servers } : { [key]: servers, other: [1, { a: null }] };
  let text = JSON.stringify(doc, null, c.indent);
  // Inside JSON text, non-ASCII and "/" occur only in strings, where these escapes mean the same.
  if (c.asciiOnly) text = text.replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (c.escapeSlash) text = text.replace(/\//g, '\\/');
  if (c.crlf) text = text.replace(/\n/g, '\r\n');
  return c.finalNewline ? `${text}${c.crlf ? '\r\n' : '\n'}` : text;
}

const wrap = (text: string, target: WrapTarget = TARGET, only?: string[]) =>
  rewriteConfig(text, { client: 'claude-desktop', mode: 'wrap', target, ...(only ? { only } : {}) });
const unwrap = (text: string, only?: string[]) => rewriteConfig(text, { client: 'claude-desktop', mode: 'unwrap', ...(only ? { only } : {}) });

describe('wrap then unwrap', () => {
  const targets = fc.constantFrom<WrapTarget>(TARGET, { ...TARGET, policy: '/etc/vanguard/policy "strict".yaml' }, { node: 'C:\\Program Files\\nodejs\\node.exe', script: 'C:\\npm\\node_modules\\vanguard-mcp\\bin\\vanguard.js' });

  it('gives back the original bytes; wrapping twice changes nothing', () => {
    fc.assert(
      fc.property(config, targets, (c, target) => {
        const original = render(c);
        const wrapped = wrap(original, target).text;
        expect(wrap(wrapped, target).text).toBe(wrapped);
        expect(unwrap(wrapped).text).toBe(original);
        expect(unwrap(original).text).toBe(original);
      }),
      { numRuns: scaled(400) },
    );
  });

  it('writes each stdio entry as node + vanguard.js start … -- command args, every other key and entry as it was', () => {
    fc.assert(
      fc.property(config, targets, (c, target) => {
        const original = render(c);
        const wrapped = wrap(original, target).text;
        // Read with the tree parser, not JSON.parse: Node 24.21.0's JSON.parse gives an object
        // whose only key is one escaped character ("\u20ac", "\n") the key "\\" when the last
        // such object it read had that key (a V8 fault; test/protocol/v8-json-keys.test.ts).
        const before = parseJsonc(original);
        const after = parseJsonc(wrapped);
        expect(Object.keys(after)).toEqual(Object.keys(before));
        expect(Object.keys(after.mcpServers)).toEqual(Object.keys(before.mcpServers));
        for (const [name, entry] of Object.entries(before.mcpServers as Record<string, Entry>)) {
          const now = after.mcpServers[name] as Entry;
          if (!('command' in entry)) {
            expect(now).toEqual(entry);
            continue;
          }
          expect(now.command).toBe(target.node);
          expect(now.args).toEqual(wrappedArgs(name, entry.command as string, (entry.args as string[] | undefined) ?? [], target));
          const keys = Object.keys(entry);
          if (!('args' in entry)) keys.splice(keys.indexOf('command') + 1, 0, 'args');
          expect(Object.keys(now)).toEqual(keys);
          expect({ ...now, command: 0, args: 0 }).toEqual({ ...entry, command: 0, args: 0 });
        }
        // Line ends and the final newline stay as they were.
        expect(wrapped.includes('\r')).toBe(original.includes('\r'));
        if (c.crlf) expect(wrapped.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
        expect(/\n$/.test(wrapped)).toBe(c.finalNewline);
      }),
      { numRuns: scaled(300) },
    );
  });
});

describe('wrap then unwrap with comments (VS Code JSONC)', () => {
  it('keeps every comment and gives back the original bytes', () => {
    fc.assert(
      fc.property(config, fc.constantFrom(' // c', ' /* c */'), (c, comment) => {
        // A comment at the end of every line, inside arrays and objects alike.
        const original = render({ ...c, indent: c.indent === 0 ? 2 : c.indent }, 'servers').replace(/(\r?\n)/g, `${comment}$1`);
        const wrapped = rewriteConfig(original, { client: 'vscode', mode: 'wrap', target: TARGET }).text;
        expect(wrapped.split(comment.trim()).length).toBe(original.split(comment.trim()).length);
        expect(rewriteConfig(wrapped, { client: 'vscode', mode: 'unwrap' }).text).toBe(original);
      }),
      { numRuns: scaled(200) },
    );
  });
});

describe('entries', () => {
  const sample = '{\n  "mcpServers": {\n    "alpha": { "command": "a" },\n    "beta": { "command": "b", "args": ["1"] },\n    "gamma": { "command": "c", "args": [] }\n  }\n}\n';

  it('--only wraps and unwraps just the named entries', () => {
    const wrapped = wrap(sample, TARGET, ['beta']);
    expect(wrapped.entries.map((e) => e.name)).toEqual(['beta']);
    const parsed = JSON.parse(wrapped.text);
    expect(parsed.mcpServers.alpha).toEqual({ command: 'a' });
    expect(parsed.mcpServers.beta.args).toEqual(wrappedArgs('beta', 'b', ['1']));
    const all = wrap(sample).text;
    const partly = unwrap(all, ['alpha', 'gamma']).text;
    expect(JSON.parse(partly).mcpServers.beta.command).toBe(TARGET.node);
    expect(unwrap(partly).text).toBe(sample);
  });

  it('--only with an unknown name is an error with the nearest name', () => {
    expect(() => wrap(sample, TARGET, ['betta'])).toThrow('no server named "betta" (did you mean "beta"?); the servers are: alpha, beta, gamma');
    expect(() => wrap(sample, TARGET, ['zzz'])).toThrow(/^no server named "zzz"; the servers are/);
  });

  it('leaves an entry already started through Vanguard by hand, with a note', () => {
    const manual = '{"mcpServers": {"fs": {"command": "vanguard", "args": ["start", "--", "npx", "srv"]}, "np": {"command": "npx", "args": ["-y", "vanguard-mcp", "start", "--", "x"]}}}';
    const result = wrap(manual);
    expect(result.text).toBe(manual);
    expect(result.entries.map((e) => e.note)).toEqual([
      'already starts through Vanguard, but not in the shape `vanguard wrap` writes',
      'already starts through Vanguard, but not in the shape `vanguard wrap` writes',
    ]);
  });

  it('marks entries it cannot read as problems and changes nothing about them', () => {
    const odd = '{"mcpServers": {"n": {"command": "x", "args": ["a", 1]}, "s": "text", "c": {"command": 5}, "e": {"env": {}}}}';
    const result = wrap(odd);
    expect(result.text).toBe(odd);
    expect(result.entries.map((e) => [e.name, e.problem ?? false, e.note])).toEqual([
      ['n', true, '"args" holds something other than strings'],
      ['s', true, 'not an object'],
      ['c', true, '"command" is not a string'],
      ['e', false, 'no "command"'],
    ]);
  });

  it('handles an entry named "--" and names with quotes', () => {
    const text = '{"mcpServers": {"--": {"command": "a"}, "say \\"hi\\"": {"command": "b", "args": ["--"]}}}';
    const wrapped = wrap(text).text;
    expect(JSON.parse(wrapped).mcpServers['--'].args).toEqual(wrappedArgs('--', 'a', []));
    expect(JSON.parse(wrapped).mcpServers['say "hi"'].args).toEqual(wrappedArgs('say "hi"', 'b', ['--']));
    expect(unwrap(wrapped).text).toBe(text);
  });

  it('unwrap restores the entry when other keys changed since, and keeps those changes', () => {
    const wrapped = wrap(sample).text.replace('"command": "/opt/node/bin/node"', '"env": {"K": "v"}, "command": "/opt/node/bin/node"');
    expect(unwrap(wrapped).text).toBe(sample.replace('"alpha": { "command": "a" }', '"alpha": { "env": {"K": "v"}, "command": "a" }'));
  });

  it('unwrap of a file the client re-saved in its own format gives back each command and args', () => {
    const resaved = JSON.stringify(JSON.parse(wrap(sample).text), null, 2);
    const expected = JSON.parse(sample);
    expected.mcpServers.alpha.args = [];
    expect(unwrap(resaved).text).toBe(JSON.stringify(expected, null, 2));
  });

  it('unwrap still works after a Node upgrade moved the node path', () => {
    const wrapped = wrap(sample).text.replaceAll('/opt/node/bin/node', '/home/me/.nvm/versions/node/v24.1.0/bin/node');
    expect(unwrap(wrapped).text).toBe(sample);
  });

  it('unwrap refuses, rather than drop it, a comment written into the added arguments', () => {
    const text = '{\n  // mine\n  "servers": {\n    "x": { "command": "a", "args": ["1"] }\n  }\n}\n';
    const wrapped = rewriteConfig(text, { client: 'vscode', mode: 'wrap', target: TARGET }).text;
    const commented = wrapped.replace('"start", ', '"start", /* keep me */ ');
    const result = rewriteConfig(commented, { client: 'vscode', mode: 'unwrap' });
    expect(result.text).toBe(commented);
    expect(result.entries[0]).toMatchObject({ action: 'left', problem: true, note: expect.stringContaining('unwrap it by hand') });
    expect(rewriteConfig(wrapped, { client: 'vscode', mode: 'unwrap' }).text).toBe(text);
    // The same for an entry that had an empty list, once re-saved on several lines.
    const multiline = '{"servers": {"y": {"command": "b", "args": [\n /* mine */ "/opt/vanguard/bin/vanguard.js", "start", "--name", "y", "--", "b"\n]}}}';
    const refused = rewriteConfig(multiline, { client: 'vscode', mode: 'unwrap' });
    expect(refused.text).toBe(multiline);
    expect(refused.entries[0]).toMatchObject({ problem: true, note: expect.stringContaining('comment') });
  });

  it('keeps a byte order mark', () => {
    const withBom = `\ufeff${sample}`;
    const wrapped = wrap(withBom).text;
    expect(wrapped.startsWith('\ufeff{')).toBe(true);
    expect(unwrap(wrapped).text).toBe(withBom);
  });

  it('unwrap leaves entries that are not wrapped', () => {
    const result = unwrap(sample);
    expect(result.text).toBe(sample);
    expect(result.entries.every((e) => e.action === 'left' && e.note === 'not wrapped')).toBe(true);
  });

  it('refuses comments in a client that reads plain JSON, with line and column', () => {
    expect(() => wrap('{\n  "mcpServers": {} // x\n}')).toThrow(expect.objectContaining({ line: 2, col: 20 }));
  });

  it('says which key is not shaped as the client expects', () => {
    expect(() => wrap('{"mcpServers": []}')).toThrow('"mcpServers" is not an object');
    expect(() => wrap('[1]')).toThrow('the top level is not a JSON object');
  });
});
