/**
 * `vanguard scan`: start a server, list everything it offers, and report what the policy
 * would do with each definition (poisoning findings, lock differences, tools the policy
 * hides), as text, JSON or SARIF. Exit 1 when a finding is at or above --fail-on, 2 when the
 * policy, the lock or the server cannot be used.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompiledPolicy } from '../../config/policy-types.js';
import { VanguardError } from '../../errors.js';
import { atLeast, SEVERITIES, type Severity } from '../../inspect/types.js';
import { parseLock, type LockFile } from '../../pinning/lock.js';
import { allFindings, evaluateListing, type ScanReport } from '../../scan/evaluate.js';
import { listServer } from '../../scan/list-server.js';
import { renderText } from '../../scan/report-text.js';
import { toSarif, type RuleMeta } from '../../scan/sarif.js';
import { deriveServerName } from '../server-name.js';
import { serverArgv, type StartArgs } from './start.js';

export interface ScanArgs extends Pick<StartArgs, 'server' | '--'> {
  policy?: string;
  lock?: string;
  json: boolean;
  sarif?: string;
  'sarif-anchor'?: string;
  'fail-on': Severity;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

// Vanguard's own version, for the SARIF driver.
function ownVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

// Anything that makes the scan impossible is exit 2, with its own message.
function unusable(error: unknown): never {
  if (error instanceof VanguardError) throw new VanguardError(error.code, error.message, 2);
  throw new VanguardError('USAGE', error instanceof Error ? error.message : String(error), 2);
}

function readLockFile(file: string, what: string): LockFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new VanguardError('POLICY_INVALID', `${what}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 2);
  }
  const parsed = parseLock(text);
  if (!parsed.ok) throw new VanguardError('POLICY_INVALID', `${what}: ${file}: ${parsed.message}`, 2);
  return parsed.lock;
}

/** Run the scan; returns the exit code. */
export async function scanCommand(args: ScanArgs): Promise<number> {
  const failOn = args['fail-on'];
  if (!SEVERITIES.includes(failOn)) throw new VanguardError('USAGE', `--fail-on must be one of ${SEVERITIES.join(', ')}`, 2);
  const argv = serverArgv(args);
  const [command, ...commandArgs] = argv;
  if (command === undefined) throw new VanguardError('USAGE', 'the server command is empty', 2);
  const warn = (line: string): void => void process.stderr.write(`vanguard: ${line}\n`);

  let policy: CompiledPolicy;
  let rules: ReadonlyMap<string, RuleMeta>;
  let scan: import('../../engine/tool-list.js').DefinitionScan;
  try {
    const { loadCompiledPolicy } = await import('../load-policy.js');
    const { buildDefinitionScan, policyRules } = await import('../../inspect/build.js');
    policy = await loadCompiledPolicy(args.policy, {}, warn);
    const set = policyRules(policy);
    if (set.issues.length > 0) throw new VanguardError('RULES_INVALID', `the rule packs have problems:\n${set.issues.map((i) => `${i.file}:${i.line}:${i.col}: ${i.message}`).join('\n')}`, 2);
    rules = set.byId;
    scan = buildDefinitionScan(policy, { realpath: () => undefined, rules: set });
  } catch (error) {
    unusable(error);
  }
  // Trusting on first use, the policy's lock may not exist yet: `start` would write it, so there is nothing to compare.
  const policyLock = policy.pinning.lock !== undefined && !(policy.pinning.trustOnFirstUse && !existsSync(policy.pinning.lock)) ? policy.pinning.lock : undefined;
  const lockFile = args.lock !== undefined ? path.resolve(args.lock) : policyLock;
  const lock = lockFile === undefined ? undefined : readLockFile(lockFile, args.lock !== undefined ? '--lock' : 'pinning.lock');

  let report: ScanReport;
  try {
    const listing = await listServer({ command, args: commandArgs, env: { ...process.env } as Record<string, string> }, 'vanguard-scan');
    report = evaluateListing(listing, policy, scan, lock);
  } catch (error) {
    unusable(error);
  }

  const failing = allFindings(report).filter((f) => atLeast(f.severity, failOn));
  const exitCode = failing.length > 0 ? 1 : 0;
  const name = report.server.name ?? deriveServerName(argv);
  if (args.sarif !== undefined) {
    const anchor = args['sarif-anchor'] === undefined ? undefined : path.relative(process.cwd(), path.resolve(args['sarif-anchor'])).split(path.sep).join('/');
    const sarif = toSarif(report, rules, { version: ownVersion(), ...(anchor !== undefined && { anchor }) });
    writeFileSync(path.resolve(args.sarif), `${JSON.stringify(sarif, null, 2)}\n`);
  }
  if (args.json) {
    const json = {
      vanguardScan: 1,
      command: argv,
      policy: { file: args.policy ?? null, mode: policy.mode, metadata: policy.metadata, pinning: { ...policy.pinning, lock: lockFile ?? null } },
      failOn,
      exitCode,
      ...report,
    };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`); // stdout-ok: CLI output
  } else {
    const title = `vanguard scan: ${name}${report.server.version ? ` ${report.server.version}` : ''} (${argv.join(' ')})\npolicy: ${args.policy ?? 'the shipped default'} (mode ${policy.mode}; poisoning: ${policy.metadata.poisoning} from ${policy.metadata.minSeverity}${lockFile ? `; lock: ${lockFile}` : ''})`;
    const verdict = exitCode === 1 ? `${failing.length} at or above ${failOn}: exit 1.` : `Nothing at or above ${failOn}.`;
    process.stdout.write(renderText(report, title, verdict)); // stdout-ok: CLI output
  }
  return exitCode;
}
