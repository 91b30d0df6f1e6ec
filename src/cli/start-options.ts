/**
 * The options of `vanguard start`, defined once: yargs builds the command and its help
 * from this table, and the fast path (fast-start.ts) checks its parse against it.
 */

/** One option, in the shape yargs' `.options()` takes. */
export interface StartOption {
  type: 'string' | 'number';
  describe: string;
  choices?: readonly string[];
  default?: string | number;
}

export const START_OPTIONS = {
  server: { type: 'string', describe: 'The server command line, split like a shell (quotes, escapes)' },
  policy: { type: 'string', describe: 'Policy file (YAML or JSON) or a shipped preset name (default, strict, filesystem-readonly, monitor); default: default' },
  name: { type: 'string', describe: "The server's name in logs; default: derived from the command" },
  mode: { type: 'string', choices: ['enforce', 'monitor'], describe: "Override the policy's mode (monitor: decide and log, block nothing)" },
  audit: { type: 'string', describe: 'Also write the audit trail, hash-chained, to this file' },
  'on-block': { type: 'string', choices: ['result', 'error'], describe: 'Answer blocked calls as a tool error result (default) or a JSON-RPC error' },
  'grace-ms': {
    type: 'number',
    default: 2000,
    describe: 'On shutdown: how long the server gets after stdin closes, and again after SIGTERM, before SIGKILL',
  },
  'log-level': { type: 'string', choices: ['debug', 'info', 'warn', 'error'], default: 'info', describe: 'Least severe audit/log level written' },
  'log-format': { type: 'string', choices: ['json', 'pretty'], default: 'json', describe: 'How records look on stderr: JSON lines (pino, numeric levels), or one readable line each for a terminal; the audit file is always JSON' },
} as const satisfies Record<string, StartOption>;

/**
 * How both parsers read argv: everything after `--` is kept for the server, as strings
 * ("007" must not become 7).
 */
export const PARSER_CONFIGURATION = { 'populate--': true, 'parse-positional-numbers': false } as const;
