/** The shell reader: how a command line splits into simple commands and words. */
import { describe, expect, test } from 'vitest';
import { parseShell, type LexOptions } from '../../../src/inspect/detectors/shell/lexer.js';

const POSIX: LexOptions = { windows: false, escapedNewlines: true };

// Each command as "<joint> <context> word|word|…".
function shape(text: string, options: LexOptions = POSIX): string[] {
  return parseShell(text, options).commands.map((c) => `${c.joint} ${c.context} ${c.words.map((w) => w.text).join('|')}`);
}

describe('parseShell', () => {
  test.each([
    ['one command', 'ls -la /srv/data', ['start top ls|-la|/srv/data']],
    ['a ; inside double quotes is text', 'echo "a; b"', ['start top echo|a; b']],
    ['a ; inside single quotes is text', "echo 'a; b'", ['start top echo|a; b']],
    ['an escaped ; is text', 'echo a\\; b', ['start top echo|a;|b']],
    ['separators', 'a; b && c || d & e | f |& g', ['start top a', '; top b', '&& top c', '|| top d', '& top e', '| top f', '|& top g']],
    ['a newline separates', 'a\nb', ['start top a', 'newline top b']],
    ['an escaped newline continues the line', 'a \\\nb', ['start top a|b']],
    ['a written-out \\n separates when asked', 'ls x\\nid', ['start top ls|x', 'newline top id']],
    ['a written-out \\n inside quotes stays', 'printf "a\\nb"', ['start top printf|a\\nb']],
    ['quotes are removed and joined', `c''url "a"b'c'`, ['start top curl|abc']],
    ['command substitution is followed', 'echo $(id) `whoami`', ['start dollar id', 'start backtick whoami', 'start top echo|$(…)|`…`']],
    ['substitution inside double quotes', 'echo "x $(id) y"', ['start dollar id', 'start top echo|x $(…) y']],
    ['process substitution', 'diff <(sort a) b', ['start process sort|a', 'start top diff|<(…)|b']],
    ['arithmetic is not a command', 'echo $((1 + 2))', ['start arith 1|+|2', 'start top echo|$((…))']],
    ['a default that runs a command', 'echo ${X:-$(id)}', ['start dollar id', 'start top echo|${X:-$(id)}']],
    ['parentheses group', '(cd x && make)', ['( top cd|x', '&& top make']],
    ['an unmatched ) separates', 'a)|id', ['start top a', '| top id']],
    ['redirections are not words', 'make 2>&1 > build.log', ['start top make']],
    ['a here-document body is data', 'cat <<EOF\nid; whoami\nEOF\necho done', ['start top cat', 'newline top echo|done']],
    ['a comment ends at the newline', 'ls # ; id\npwd', ['start top ls', 'newline top pwd']],
    ['$IFS splits words', 'cat${IFS}/etc/hosts', ['start top cat|/etc/hosts']],
    ['empty positional expansions vanish', 'who$@ami', ['start top whoami']],
    ["$'…' decodes escapes", "$'\\x69\\x64'", ['start top id']],
    ['Windows paths keep backslashes', 'dir C:\\new\\bin', ['start top dir|C:\\new\\bin']],
  ])('%s', (_, text, expected) => {
    const windows = /[a-z]:\\/i.test(text);
    expect(shape(text, { windows, escapedNewlines: !windows })).toEqual(expected);
  });

  test('marks words whose letters were split by quotes or escapes', () => {
    const [cmd] = parseShell(`w'h'oami c\\url "ls" -m"x"`, POSIX).commands;
    expect(cmd?.words.map((w) => [w.text, w.split])).toEqual([
      ['whoami', true],
      ['curl', true],
      ['ls', false],
      ['-mx', true],
    ]);
  });

  test('reports unterminated quotes and too deep nesting, and stays linear on long input', () => {
    expect(parseShell('echo "open', POSIX).unterminated).toBe(true);
    expect(parseShell('$('.repeat(50) + 'id' + ')'.repeat(50), POSIX).tooDeep).toBe(true);
    const long = parseShell('echo a; '.repeat(50_000), POSIX);
    expect(long.commands).toHaveLength(50_000);
    expect(parseShell('`'.repeat(100_001), POSIX).unterminated).toBe(true);
  });
});
