/**
 * The command line: yargs builds the commands; each command reads its inputs, calls the
 * pure parts, and prints. Returns the exit code; only main.ts exits the process.
 */
import yargs from 'yargs';
import { VanguardError } from '../errors.js';
import type { PinArgs } from './commands/pin.js';
import type { StartArgs } from './commands/start.js';
import type { TestArgs } from './commands/test.js';
import { vanguardVersion } from './package-info.js';
import { PARSER_CONFIGURATION, START_OPTIONS } from './start-options.js';

const EXAMPLES_EPILOGUE = `From a terminal:
  vanguard start --server "npx -y @modelcontextprotocol/server-filesystem ."
  vanguard start --policy p.yaml -- npx -y @modelcontextprotocol/server-filesystem /data
  (--server is split like a shell; everything after -- is taken as it is)

Claude Desktop (claude_desktop_config.json):
  "filesystem": {
    "command": "vanguard",
    "args": ["start", "--policy", "/path/to/policy.yaml", "--",
             "npx", "-y", "@modelcontextprotocol/server-filesystem", "/Users/me/Documents"]
  }

Claude Code (.mcp.json), Cursor (mcp.json) and VS Code take the same command and args.
Logs and the audit trail go to stderr (Claude Desktop keeps a log per server) or --audit FILE;
stdout carries protocol frames only.`;

// Commands are imported when chosen: the demo's SDK client alone costs ~150 ms to load,
// and every start of a wrapped server pays for whatever is loaded here.

/** Parse argv, run the command, and return the process exit code. */
export async function runCli(argv: string[]): Promise<number> {
  let exitCode = 0;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  const parser = yargs(argv)
    .scriptName('vanguard')
    .parserConfiguration(PARSER_CONFIGURATION)
    .usage('$0 <command> [options]\n\nA security shim for stdio MCP servers: it sits between the client and one server and enforces a local policy.')
    .command<StartArgs>(
      'start',
      'Run an MCP server behind the policy: vanguard start [options] (--server "<command line>" | -- <command> [args…])',
      (y) =>
        y
          .options(START_OPTIONS)
          .epilogue(EXAMPLES_EPILOGUE),
      async (args) => setExit(await (await import('./commands/start.js')).startCommand(args)),
    )
    .command<{ policy?: string }>(
      'check [policy]',
      'Validate a policy; print the effective policy (presets merged) or every error as file:line:col',
      (y) => y.positional('policy', { type: 'string', describe: 'Policy file or shipped preset name; default: the shipped default' }),
      async (args) => setExit(await (await import('./commands/check.js')).checkCommand(args.policy)),
    )
    .command<PinArgs>(
      'pin',
      'Start a server, list its tools, prompts and resources, and write a lock file of their fingerprints (or, with --check, compare with it): vanguard pin [--check] [--lock FILE] (--server "<command line>" | -- <command> [args…])',
      (y) =>
        y
          .option('lock', { type: 'string', default: 'vanguard.lock.json', describe: 'Where to write the lock file' })
          .option('server', { type: 'string', describe: 'The server command line, split like a shell' })
          .option('name', { type: 'string', describe: "The server's name in the lock file; default: derived from the command" })
          .option('check', { type: 'boolean', default: false, describe: 'Write nothing: compare the server with the lock file and exit 1 naming every difference' }),
      async (args) => setExit(await (await import('./commands/pin.js')).pinCommand(args)),
    )
    .command<TestArgs>(
      'test [files..]',
      'Run test files (default vanguard.test.yaml) against real servers behind their policies: vanguard test [FILE…] [--junit FILE] [--json] [--filter NAME]; start one with vanguard test --init (--server "…" | -- <command> [args…])',
      (y) =>
        y
          .positional('files', { type: 'string', array: true, describe: 'Test files (YAML or JSON); with --init, the file to write' })
          .option('junit', { type: 'string', describe: 'Also write a JUnit XML report to this file' })
          .option('json', { type: 'boolean', describe: 'Print a JSON report on stdout (the progress lines go to stderr)' })
          .option('filter', { type: 'string', describe: 'Run only the cases whose name contains this text, or matches it as a glob' })
          .option('init', { type: 'boolean', describe: "Write a starter test file from the server's tool list (never overwrites)" })
          .option('server', { type: 'string', describe: 'With --init: the server command line, split like a shell' })
          .option('policy', { type: 'string', describe: 'With --init: the policy the starter file names' }),
      async (args) => setExit(await (await import('./commands/test.js')).testCommand(args)),
    )
    // scan: a server's definitions under the policy, as text, JSON or SARIF.
    .command<import('./commands/scan.js').ScanArgs>(
      'scan',
      'Start a server, list everything it offers, and report what the policy would do with each definition: vanguard scan [--policy FILE] [--lock FILE] [--json] [--sarif FILE] [--fail-on SEVERITY] (--server "<command line>" | -- <command> [args…])',
      (y) =>
        y
          .option('server', { type: 'string', describe: 'The server command line, split like a shell' })
          .option('policy', { type: 'string', describe: 'Policy file or shipped preset name; default: the shipped default' })
          .option('lock', { type: 'string', describe: "A lock file from vanguard pin to compare with; default: the policy's pinning.lock" })
          .option('json', { type: 'boolean', default: false, describe: 'Print the report as JSON' })
          .option('sarif', { type: 'string', describe: 'Also write the findings as SARIF 2.1.0 to this file' })
          .option('sarif-anchor', { type: 'string', describe: 'A repository file that declares the server (e.g. .mcp.json): SARIF results are placed at its first line, for code-scanning dashboards' })
          .option('fail-on', { type: 'string', choices: ['low', 'medium', 'high', 'critical'], default: 'high', describe: 'Exit 1 when a finding is at least this severe' }),
      async (args) => setExit(await (await import('./commands/scan.js')).scanCommand(args)),
    )
    .command(
      'demo',
      'Run a filesystem server behind a shipped policy and show what the shim does (offline)',
      (y) => y.option('builtin-server', { type: 'boolean', default: false, describe: "Use Vanguard's own small demo server even when the official one is installed" }),
      async (args) => setExit(await (await import('./commands/demo.js')).demoCommand({ builtin: args['builtin-server'] === true })),
    )
    .command<import('./commands/approve.js').ApproveArgs>(
      'approve [code]',
      'Approve, once, a call Vanguard held for a person (the code is in the refusal the model relays): vanguard approve <CODE>; list the codes waiting with vanguard approve --list',
      (y) =>
        y
          .positional('code', { type: 'string', describe: 'The code from the refusal' })
          .option('list', { type: 'boolean', describe: 'List the codes waiting for approval and what each would allow' }),
      async (args) => setExit((await import('./commands/approve.js')).approveCommand(args)),
    )
    .command('audit', 'Work with audit files', (y) =>
      y
        .command<{ file: string; files?: string[] }>(
          'verify <file> [files..]',
          'Check an audit file\'s hash chains offline (several files: oldest first, as rotated); names the first record altered, removed or reordered',
          (z) => z.positional('file', { type: 'string', demandOption: true }).positional('files', { type: 'string', array: true }),
          async (args) => setExit((await import('./commands/audit-verify.js')).auditVerifyCommand(args.file, ...(args.files ?? []).map(String))),
        )
        .command<import('./commands/audit-show.js').AuditShowArgs>(
          'show <files..>',
          'Print audit files as a table (time, server, method, tool, verdict, rules, reason), newest last: vanguard audit show FILE… [--since 1h] [--verdict block,hide] [--tool GLOB] [--follow] [--json]',
          (z) =>
            z
              .positional('files', { type: 'string', array: true, demandOption: true })
              .option('since', { type: 'string', describe: 'Only records from this long ago (90s, 15m, 1h, 2d) or since this date' })
              .option('verdict', { type: 'string', array: true, describe: 'Only these verdicts, comma-separated: forward, rewrite, block, hide, drop, would-block, warn (a definition only flagged), log (warnings of the shim itself)' })
              .option('tool', { type: 'string', describe: 'Only tools matching this glob (the policy glob rules)' })
              .option('follow', { type: 'boolean', default: false, describe: 'Keep printing rows as the files grow, until interrupted' })
              .option('json', { type: 'boolean', default: false, describe: 'One JSON object per row instead of the table' }),
          async (args) => setExit(await (await import('./commands/audit-show.js')).auditShowCommand(args)),
        )
        .demandCommand(1, 'Say what to do: vanguard audit verify FILE, or vanguard audit show FILE'),
    )
    // wrap / unwrap: edit an MCP client's config so its stdio servers start through Vanguard.
    .command<import('./commands/wrap.js').WrapArgs>(
      'wrap',
      "Rewrite an MCP client's config so each stdio server starts through Vanguard (a backup is kept): vanguard wrap --client NAME [--config FILE] [--policy FILE] [--only NAME…] [--dry-run]",
      (y) =>
        y
          .option('client', { type: 'string', demandOption: true, choices: ['claude-desktop', 'claude-code', 'cursor', 'vscode', 'windsurf'], describe: 'Whose config to edit' })
          .option('config', { type: 'string', describe: "The config file; default: the client's file for this OS (a project file first)" })
          .option('policy', { type: 'string', describe: 'The policy the wrapped servers start with: a file (written as an absolute path) or a shipped preset name' })
          .option('only', { type: 'string', array: true, describe: 'Only these server entries, by name' })
          .option('dry-run', { type: 'boolean', default: false, describe: 'Print the diff and write nothing' }),
      async (args) => setExit(await (await import('./commands/wrap.js')).wrapCommand('wrap', args)),
    )
    .command<import('./commands/wrap.js').WrapArgs>(
      'unwrap',
      "Undo vanguard wrap: each wrapped entry gets back exactly what it had: vanguard unwrap --client NAME [--config FILE] [--only NAME…] [--dry-run]",
      (y) =>
        y
          .option('client', { type: 'string', demandOption: true, choices: ['claude-desktop', 'claude-code', 'cursor', 'vscode', 'windsurf'], describe: 'Whose config to edit' })
          .option('config', { type: 'string', describe: "The config file; default: the client's file for this OS (a project file first)" })
          .option('only', { type: 'string', array: true, describe: 'Only these server entries, by name' })
          .option('dry-run', { type: 'boolean', default: false, describe: 'Print the diff and write nothing' }),
      async (args) => setExit(await (await import('./commands/wrap.js')).wrapCommand('unwrap', args)),
    )
    .command('policy', 'Work with policies', (y) =>
      y
        .command<{ files: string[]; out?: string }>(
          'learn <files..>',
          'Write the least-privilege policy that allows what recorded sessions did: vanguard policy learn AUDIT_FILE… [--out policy.yaml]',
          (z) => z.positional('files', { type: 'string', array: true, demandOption: true }).option('out', { type: 'string', describe: 'Where to write the policy; default: stdout' }),
          async (args) => setExit((await import('./commands/policy-learn.js')).policyLearnCommand({ files: args.files, ...(args.out !== undefined && { out: args.out }) })),
        )
        .demandCommand(1, 'Say what to do: vanguard policy learn AUDIT_FILE…'),
    )
    .command<import('./commands/schema.js').SchemaArgs>(
      'schema',
      "Print the policy's JSON schema (or, with --test, the test file's), or write it to a file for editors: vanguard schema [--test] [--out FILE]",
      (y) =>
        y
          .option('test', { type: 'boolean', default: false, describe: 'The schema of vanguard test files instead of policies' })
          .option('out', { type: 'string', describe: 'Write it to this file instead of stdout' })
          .option('force', { type: 'boolean', default: false, describe: 'With --out: replace an existing file' }),
      async (args) => setExit((await import('./commands/schema.js')).schemaCommand(args)),
    )
    .recommendCommands()
    .demandCommand(1, 'Say which command to run (vanguard --help lists them)')
    .strict()
    .help()
    .alias('h', 'help')
    .version(vanguardVersion())
    .wrap(Math.min(110, process.stderr.columns ?? 100))
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      // An unknown command: yargs says only "Did you mean x?" or "Unknown argument: x".
      const first = argv[0];
      const suggestion = /^Did you mean (\S+)\?$/.exec(message);
      if (first !== undefined && suggestion) throw new VanguardError('USAGE', `unknown command "${first}" (did you mean "${suggestion[1]}"?)`, 2);
      if (first !== undefined && !first.startsWith('-') && message === `Unknown argument: ${first}`) {
        throw new VanguardError('USAGE', `unknown command "${first}" (vanguard --help lists the commands)`, 2);
      }
      throw new VanguardError('USAGE', message, 2);
    });
  await parser.parseAsync();
  return exitCode;
}
