import yargs from 'yargs';
import { describe, expect, it } from 'vitest';
import { parseStartFast } from '../../src/cli/fast-start.js';
import { PARSER_CONFIGURATION, START_OPTIONS } from '../../src/cli/start-options.js';

// What yargs, with the same option table, makes of argv; undefined when it refuses it.
function viaYargs(argv: string[]): Record<string, unknown> | undefined {
  let parsed: Record<string, unknown> | undefined;
  try {
    yargs(argv)
      .parserConfiguration(PARSER_CONFIGURATION)
      .command('start', 'start', (y) => y.options(START_OPTIONS), (args) => void (parsed = args as Record<string, unknown>))
      .strict()
      .help()
      .version()
      .exitProcess(false)
      .fail((message, error) => {
        throw error ?? new Error(message);
      })
      .parseSync();
  } catch {
    return undefined;
  }
  return parsed;
}

const pick = (args: Record<string, unknown>) => ({
  ...Object.fromEntries(Object.keys(START_OPTIONS).map((k) => [k, args[k]])),
  '--': args['--'] ?? [],
});

const AGREE: string[][] = [
  ['start', '--', 'node', 'server.js', '--port', '3', '007', '1e3'],
  ['start', '--server', 'npx -y @modelcontextprotocol/server-filesystem .'],
  ['start', '--server=node s.js', '--policy', 'p.yaml', '--mode', 'monitor', '--audit', 'a.jsonl'],
  ['start', '--on-block', 'error', '--log-level', 'debug', '--grace-ms', '300', '--name', 'fs', '--', 'x'],
  ['start', '--policy', 'p.yaml', '--', 'node', '--', 'inner'],
];

const FALL_BACK: Array<[string, string[]]> = [
  ['help', ['start', '--help']],
  ['short help', ['start', '-h', '--', 'x']],
  ['version', ['start', '--version']],
  ['an unknown option', ['start', '--polcy', 'p.yaml', '--', 'x']],
  ['a bad choice', ['start', '--mode', 'enforcee', '--', 'x']],
  ['a repeated option', ['start', '--mode', 'monitor', '--mode', 'enforce', '--', 'x']],
  ['a number that is not one', ['start', '--grace-ms', 'soon', '--', 'x']],
  ['a stray positional', ['start', 'node', 'server.js']],
  ['another command', ['check', 'p.yaml']],
];

describe('parseStartFast', () => {
  it.each(AGREE)('agrees with yargs on %j', (...argv) => {
    const fast = parseStartFast(argv);
    const slow = viaYargs(argv);
    expect(fast).toBeDefined();
    expect(slow).toBeDefined();
    expect(pick(fast as unknown as Record<string, unknown>)).toEqual(pick(slow!));
  });

  it('keeps everything after the first -- as the server command, as is', () => {
    expect(parseStartFast(['start', '--', 'node', '--inspect', 'a b', '--'])?.['--']).toEqual(['node', '--inspect', 'a b', '--']);
  });

  it.each(FALL_BACK)('leaves %s to yargs', (_, argv) => {
    expect(parseStartFast(argv)).toBeUndefined();
  });
});
