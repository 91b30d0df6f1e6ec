import { describe, expect, it } from 'vitest';
import { splitCommand } from '../../src/cli/split-command.js';

describe('splitCommand (POSIX)', () => {
  it.each([
    ['npx -y @modelcontextprotocol/server-filesystem "/My Docs"', ['npx', '-y', '@modelcontextprotocol/server-filesystem', '/My Docs']],
    ['node server.js', ['node', 'server.js']],
    ['  node\t server.js \n', ['node', 'server.js']],
    ['node "/path with spaces/server.js"', ['node', '/path with spaces/server.js']],
    ["node '/path with spaces/server.js'", ['node', '/path with spaces/server.js']],
    ['node /path\\ with\\ spaces/server.js', ['node', '/path with spaces/server.js']],
    ['a"b c"d', ['ab cd']],
    ["a'b c'd\"e f\"g", ['ab cde fg']],
    ['cmd "" \'\' x', ['cmd', '', '', 'x']],
    ['cmd ""', ['cmd', '']],
    ['echo "say \\"hi\\""', ['echo', 'say "hi"']],
    ['echo "a\\\\b"', ['echo', 'a\\b']],
    ['echo "\\$HOME \\`x\\`"', ['echo', '$HOME `x`']],
    // Inside double quotes, a backslash before any other character is kept.
    ['echo "C:\\temp\\new"', ['echo', 'C:\\temp\\new']],
    // A backslash is literal inside single quotes; '\'' is how a shell user embeds a quote.
    ["echo 'it\\'\\''s'", ['echo', "it\\'s"]],
    ["echo 'say \"hi\"'", ['echo', 'say "hi"']],
    ['echo \\"quoted\\"', ['echo', '"quoted"']],
    ['echo \\\\', ['echo', '\\']],
    ['echo a\\\nb', ['echo', 'ab']],
    ['echo "a\\\nb"', ['echo', 'ab']],
    ['echo "line1\nline2"', ['echo', 'line1\nline2']],
    // No expansion and no operators: these are ordinary characters.
    ['echo $HOME *.js a|b c;d > out &', ['echo', '$HOME', '*.js', 'a|b', 'c;d', '>', 'out', '&']],
    ['uvx mcp-server-git --repository ~/repo', ['uvx', 'mcp-server-git', '--repository', '~/repo']],
    ['node s.js --json \'{"a": [1, 2]}\'', ['node', 's.js', '--json', '{"a": [1, 2]}']],
    ['cmd é "日本 語"', ['cmd', 'é', '日本 語']],
  ])('%j', (line, argv) => {
    expect(splitCommand(line, 'linux')).toEqual({ ok: true, argv });
  });

  it('treats darwin like linux', () => {
    expect(splitCommand('a\\ b "c\\d"', 'darwin')).toEqual({ ok: true, argv: ['a b', 'c\\d'] });
  });
});

describe('splitCommand (win32)', () => {
  it.each([
    ['"C:\\Program Files\\nodejs\\node.exe" server.js', ['C:\\Program Files\\nodejs\\node.exe', 'server.js']],
    ['node C:\\servers\\fs\\index.js', ['node', 'C:\\servers\\fs\\index.js']],
    ['npx -y @modelcontextprotocol/server-filesystem "C:\\My Docs"', ['npx', '-y', '@modelcontextprotocol/server-filesystem', 'C:\\My Docs']],
    ['\\\\server\\share\\x', ['\\\\server\\share\\x']],
    ['echo "say \\"hi\\""', ['echo', 'say "hi"']],
    ['echo \\"x\\"', ['echo', '"x"']],
    // 2n backslashes before a quote: n backslashes, and the quote delimits.
    ['dir "C:\\dir\\\\" next', ['dir', 'C:\\dir\\', 'next']],
    ['a\\\\"b c"', ['a\\b c']],
    // 2n+1 backslashes before a quote: n backslashes and a literal quote.
    ['a\\\\\\"b', ['a\\"b']],
    ['echo "$HOME `x`"', ['echo', '$HOME `x`']],
    ["echo 'single quoted'", ['echo', 'single quoted']],
    ['trailing\\', ['trailing\\']],
  ])('%j', (line, argv) => {
    expect(splitCommand(line, 'win32')).toEqual({ ok: true, argv });
  });

  it('reports an unterminated quote when the closing quote is escaped', () => {
    expect(splitCommand('dir "C:\\Program Files\\"', 'win32')).toEqual({
      ok: false,
      message: 'unterminated double quote opened at position 4',
    });
  });
});

describe('splitCommand errors', () => {
  it.each([
    ['', 'empty command'],
    ['   \t\n ', 'empty command'],
    ['node "unterminated', 'unterminated double quote opened at position 5'],
    ["node 'unterminated", 'unterminated single quote opened at position 5'],
    ["echo 'it\\'s'", 'unterminated single quote opened at position 11'],
    ['node "a\\"', 'unterminated double quote opened at position 5'],
    ['node "a\\', 'unterminated double quote opened at position 5'],
    ['node x\\', 'trailing backslash at position 6 escapes nothing'],
  ])('%j → %s', (line, message) => {
    expect(splitCommand(line, 'linux')).toEqual({ ok: false, message });
  });

  it('reports empty commands on win32 too', () => {
    expect(splitCommand(' ', 'win32')).toEqual({ ok: false, message: 'empty command' });
  });

  it('defaults to the current platform', () => {
    expect(splitCommand('a "b c"')).toEqual({ ok: true, argv: ['a', 'b c'] });
  });
});
