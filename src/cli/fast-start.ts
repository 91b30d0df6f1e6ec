/**
 * The fast path for `vanguard start`. Every client start of a wrapped server pays for the
 * CLI's startup, and loading yargs costs ~100 ms (its help layout loads ICU segmentation
 * data) before the server can even be spawned. So a plain `start` is parsed with
 * yargs-parser, the parser yargs itself uses, against the same option table. Anything
 * this path is not sure of (help, version, an unknown or repeated option, a bad choice)
 * returns undefined and goes through yargs, which gives the full error or help.
 */
import parse from 'yargs-parser';
import type { StartArgs } from './commands/start.js';
import { PARSER_CONFIGURATION, START_OPTIONS, type StartOption } from './start-options.js';

const OPTIONS: Record<string, StartOption> = START_OPTIONS;
const NAMES = Object.keys(OPTIONS);
const camel = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
// yargs-parser also reports camelCase copies of dashed names; they are the same option.
const KNOWN = new Set([...NAMES, ...NAMES.map(camel), '_', '--', '$0']);

/** The parsed arguments of a plain `start`, or undefined when yargs should decide. */
export function parseStartFast(argv: string[]): StartArgs | undefined {
  if (argv[0] !== 'start') return undefined;
  const separator = argv.indexOf('--');
  const own = separator === -1 ? argv : argv.slice(0, separator);
  if (own.some((word) => word === '-h' || word === '--help' || word === '--version' || word === '--no-help')) return undefined;

  const parsed = parse(argv, {
    string: NAMES.filter((n) => OPTIONS[n]?.type === 'string'),
    number: NAMES.filter((n) => OPTIONS[n]?.type === 'number'),
    configuration: PARSER_CONFIGURATION,
  });
  if (parsed._.length !== 1 || parsed._[0] !== 'start') return undefined;
  for (const key of Object.keys(parsed)) if (!KNOWN.has(key)) return undefined;

  const args: Record<string, unknown> = { '--': parsed['--'] ?? [] };
  for (const name of NAMES) {
    const option = OPTIONS[name]!;
    const value: unknown = parsed[name] ?? option.default;
    if (value === undefined) continue;
    if (option.type === 'string' && typeof value !== 'string') return undefined;
    if (option.type === 'number' && (typeof value !== 'number' || Number.isNaN(value))) return undefined;
    if (option.choices && !option.choices.includes(value as string)) return undefined;
    args[name] = value;
  }
  return args as unknown as StartArgs;
}
