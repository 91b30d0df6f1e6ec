/**
 * `vanguard start`: run one server behind the policy, with the client on our stdin and
 * stdout. Everything we say ourselves goes to stderr.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AuditSink } from '../../audit/types.js';
import type { CompiledPolicy } from '../../config/policy-types.js';
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import type { InspectFunction } from '../../engine/tool-call.js';
import type { DefinitionScan } from '../../engine/tool-list.js';
import type { ResultScanFunction } from '../../inspect/build.js';
import { parseLock, renderLock, type LockFile } from '../../pinning/lock.js';
import { VanguardError } from '../../errors.js';
import { startChild, type ChildSpec } from '../../proxy/child.js';
import { deriveServerName } from '../server-name.js';
import { splitCommand } from '../split-command.js';

export interface StartArgs {
  server?: string;
  policy?: string;
  name?: string;
  mode?: 'enforce' | 'monitor';
  audit?: string;
  'on-block'?: 'result' | 'error';
  'log-level': 'debug' | 'info' | 'warn' | 'error';
  'grace-ms': number;
  '--'?: Array<string | number>;
}

/** The server's argv from --server or from everything after --. */
export function serverArgv(args: Pick<StartArgs, 'server' | '--'>): string[] {
  const rest = (args['--'] ?? []).map(String);
  if (args.server !== undefined && rest.length > 0) {
    throw new VanguardError('USAGE', 'give the server either with --server "…" or after --, not both', 2);
  }
  if (args.server !== undefined) {
    const split = splitCommand(args.server);
    if (!split.ok) throw new VanguardError('USAGE', `--server: ${split.message}`, 2);
    return split.argv;
  }
  if (rest.length === 0) {
    throw new VanguardError('USAGE', 'say which server to run: vanguard start --server "npx -y @modelcontextprotocol/server-filesystem ." or vanguard start -- <command> [args…]', 2);
  }
  return rest;
}

// Symlinks resolved as the server will see them; a path that does not exist has none.
function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}

// The lock file the policy names; a missing or malformed one stops the start.
function readLock(file: string): LockFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new VanguardError('POLICY_INVALID', `pinning.lock: cannot read ${file} (write it with: vanguard pin --lock ${file} -- <server command>)`, 1);
  }
  const parsed = parseLock(text);
  if (!parsed.ok) throw new VanguardError('POLICY_INVALID', `pinning.lock: ${file}: ${parsed.message}`, 1);
  return parsed.lock;
}

// The lock file trust on first use writes: the definitions as first listed in the session.
function writeLearnedLock(file: string, server: string, learned: Pick<LockFile, 'tools' | 'prompts' | 'resources'>): void {
  const lock: LockFile = {
    vanguardLock: 1,
    server,
    pinnedAt: new Date().toISOString(),
    tools: pinnedOrder(learned.tools),
    prompts: pinnedOrder(learned.prompts),
    resources: pinnedOrder(learned.resources),
  };
  // 'wx': if another session wrote it meanwhile, that one stands.
  writeFileSync(file, renderLock(lock), { flag: 'wx' });
}

function pinnedOrder(tools: LockFile['tools']): LockFile['tools'] {
  return Object.fromEntries(Object.entries(tools).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function graceOf(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new VanguardError('USAGE', '--grace-ms must be a number of milliseconds, 0 or more', 2);
  return ms;
}

/** Run the proxy to the end; resolves with the child's exit code. */
export async function startCommand(args: StartArgs): Promise<number> {
  const [command, ...commandArgs] = serverArgv(args);
  if (command === undefined) throw new VanguardError('USAGE', 'the server command is empty', 2);
  const timing = { graceMs: graceOf(args['grace-ms']), killMs: graceOf(args['grace-ms']) };
  const spec: ChildSpec = { command, args: commandArgs, env: process.env };
  // The server boots on the other core while the policy is read and checked: a client's
  // first answer waits for the slower of the two, not for both in turn. A server that
  // cannot start is reported before anything else is loaded.
  const child = await startChild(spec);
  let policy: CompiledPolicy;
  let audit: AuditSink;
  let inspect: InspectFunction;
  let scanDefinition: DefinitionScan;
  let pins: LockFile | undefined;
  let scanResult: ResultScanFunction | undefined;
  let learnInto: string | undefined;
  try {
    // Imported only now, so that loading them (yaml, pino, the engine) overlaps the
    // server's start.
    const { loadCompiledPolicy } = await import('../load-policy.js');
    const { createAuditSink } = await import('../../audit/index.js');
    const { buildDefinitionScan, buildInspector, buildResultScan, policyRules, symlinkTarget } = await import('../../inspect/build.js');
    const { buildSecretRedactor } = await import('../../inspect/secret-redactor.js');
    const warn = (line: string): void => void process.stderr.write(`vanguard: ${line}\n`);
    policy = loadCompiledPolicy(args.policy, { mode: args.mode, onBlock: args['on-block'], auditFile: args.audit ? path.resolve(args.audit) : undefined }, warn);
    // The server inherits this process's working directory: relative paths are judged from there too.
    inspect = buildInspector(policy, { realpath: realpathOrUndefined, readlink: symlinkTarget, serverCwd: process.cwd() });
    scanDefinition = buildDefinitionScan(policy, { realpath: realpathOrUndefined });
    scanResult = buildResultScan(policy, { realpath: realpathOrUndefined });
    // Trusting on first use, a lock file that does not exist yet is written when the session ends.
    const lockFile = policy.pinning.lock;
    if (lockFile !== undefined && policy.pinning.trustOnFirstUse && !existsSync(lockFile)) learnInto = lockFile;
    else pins = lockFile === undefined ? undefined : readLock(lockFile);
    audit = createAuditSink({
      serverName: args.name ?? deriveServerName([command, ...commandArgs]),
      sessionId: randomUUID(),
      stderr: policy.audit.stderr,
      file: policy.audit.file,
      arguments: policy.audit.arguments,
      redactKeys: policy.audit.redactKeys,
      chain: policy.audit.chain,
      level: args['log-level'],
      redactSecrets: buildSecretRedactor(policyRules(policy).rules),
    });
  } catch (error) {
    // No policy, no session: the server never sees a byte.
    child.signal('SIGKILL');
    await child.exited;
    throw error;
  }
  // logrotate: SIGHUP opens the audit file again (a moved file is also noticed on the next write).
  process.on('SIGHUP', () => audit.reopen?.());
  // Records are written once per event-loop turn; an exit by any path still writes them.
  process.once('exit', () => {
    try {
      audit.flush();
    } catch {
      // The failure was already reported when the write failed.
    }
  });
  const { runProxy } = await import('../../proxy/proxy.js');
  try {
    return await runProxy({
      policy,
      child,
      spec,
      clientIn: process.stdin,
      clientOut: process.stdout,
      audit,
      inspect,
      scanDefinition,
      scanResult,
      pins,
      ...(learnInto !== undefined && {
        learnedPins: (learned: Pick<LockFile, 'tools' | 'prompts' | 'resources'>) => writeLearnedLock(learnInto as string, deriveServerName([command, ...commandArgs]), learned),
      }),
      nowUs: () => performance.now() * 1000,
      signals: process,
      errorLine: (line) => void process.stderr.write(`vanguard: ${line}\n`),
      timing,
    });
  } finally {
    await audit.close();
  }
}
