/**
 * The rule patterns are compiled to machine code on their first run once the linear engine's
 * flags are set (REGEXP_FLAG_COMPILE_AT_ONCE), not first to bytecode and then again: read in a
 * real Node process through V8's own test functions (--allow-natives-syntax), as V8's tests
 * of its tier-up read it. The build under test is dist (npm test builds it first).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const linearRegex = JSON.stringify(path.join(root, 'dist', 'rules', 'linear-regex.js'));

interface Compiled {
  match: string | null;
  bytecode: boolean;
  native: boolean;
}

// A pattern of the rules' shape made after (or, `enable` false, without) enableLinearEngine,
// run once on a one-byte text and once on a two-byte one: what V8 holds for it after each run.
function compiledAfterOneRun(enable: boolean): { oneByte: Compiled; twoByte: Compiled } {
  const script = `
    import { compileLinear, enableLinearEngine } from ${linearRegex};
    if (${enable}) enableLinearEngine();
    // (A source of its own per run: V8 shares what it compiled between patterns of one source.)
    const compiled = (text, oneByte, last) => {
      const source = '\\\\b(?:ignore|disregard)\\\\s{1,4}(?:all|' + last + ')\\\\b';
      const made = ${enable} ? compileLinear(source) : { ok: true, regex: new RegExp(source, 'g') };
      if (!made.ok) throw new Error(made.message);
      const match = made.regex.exec(text);
      return { match: match && match[0], bytecode: %RegexpHasBytecode(made.regex, oneByte), native: %RegexpHasNativeCode(made.regex, oneByte) };
    };
    console.log(JSON.stringify({ oneByte: compiled('please ignore all of it', true, 'any'), twoByte: compiled('please ignore  every one of it \\u2014 now', false, 'every') }));`;
  return JSON.parse(execFileSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], { encoding: 'utf8' }).trim()) as { oneByte: Compiled; twoByte: Compiled };
}

describe('enableLinearEngine: patterns compiled at once', () => {
  it('compiles a pattern made after it to machine code on its first run, with no bytecode first', () => {
    const { oneByte, twoByte } = compiledAfterOneRun(true);
    expect(oneByte).toEqual({ match: 'ignore all', bytecode: false, native: true });
    expect(twoByte).toEqual({ match: 'ignore  every', bytecode: false, native: true });
  });

  it('is what changes it: without it, V8 makes bytecode for the first run (the reading above can tell them apart)', () => {
    const { oneByte, twoByte } = compiledAfterOneRun(false);
    expect(oneByte.match).toBe('ignore all');
    expect(twoByte.match).toBe('ignore  every');
    expect(oneByte.bytecode).toBe(true);
    expect(twoByte.bytecode).toBe(true);
  });
});
