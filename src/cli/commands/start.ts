/**
 * `vanguard start`: run one server behind the policy, with the client on our stdin and
 * stdout. Everything we say ourselves goes to stderr.
 */
import { homedir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { AuditError } from '../../audit/errors.js';
import type { AuditSink } from '../../audit/types.js';
import type { CleanDefinitions } from '../../config/clean-definitions.js';
import type { CompiledPolicy } from '../../config/policy-types.js';
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { parseLock, renderLock, type LockFile } from '../../pinning/lock.js';
import { VanguardError } from '../../errors.js';
import { startChild, type ChildHandle, type ChildSpec } from '../../proxy/child.js';
import { terminateChild } from '../../proxy/terminate.js';
import type { RuleSet } from '../../rules/load-packs.js';
import { deriveServerName } from '../server-name.js';
import type { SessionInspection } from '../session-inspection.js';
import { splitCommand } from '../split-command.js';
import { nodeCrypto } from '../../util/node-crypto.js';

export interface StartArgs {
  server?: string;
  policy?: string;
  name?: string;
  mode?: 'enforce' | 'monitor';
  audit?: string;
  'on-block'?: 'result' | 'error';
  'log-level': 'debug' | 'info' | 'warn' | 'error';
  'log-format'?: 'json' | 'pretty';
  'grace-ms': number;
  '--'?: Array<string | number>;
}

/** What the caller of {@link startCommand} may hear of, besides the exit code. */
export interface StartHooks {
  /**
   * The server's first message has been decided and passed on: what starting and the first
   * exchange needed is loaded and compiled (the start loader then keeps the compiled code).
   */
  ready?: () => void;
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
  if (!parsed.ok) throw new VanguardError('POLICY_INVALID', `pinning.lock: ${file}${lineAndColumn(text, parsed.message)}: ${parsed.message}`, 1);
  return parsed.lock;
}

// ":line:col" of a JSON syntax error that names its offset ("… at position 57"), else "".
function lineAndColumn(text: string, message: string): string {
  const match = / at position (\d+)/.exec(message);
  if (!match) return '';
  const before = text.slice(0, Number(match[1])).split('\n');
  return `:${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
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
export async function startCommand(args: StartArgs, hooks: StartHooks = {}): Promise<number> {
  const [command, ...commandArgs] = serverArgv(args);
  if (command === undefined) throw new VanguardError('USAGE', 'the server command is empty', 2);
  const timing = { graceMs: graceOf(args['grace-ms']), killMs: graceOf(args['grace-ms']) };
  const spec: ChildSpec = { command, args: commandArgs, env: process.env };
  // Everything the operator can get wrong (the policy, its rule packs, the lock file, the
  // audit destination) is checked before the server starts: a server that never started
  // never has to be stopped. Only what that check needs is loaded first.
  const [{ loadPolicyAndDocument }, { createAuditSink }] = await Promise.all([import('../load-policy.js'), import('../../audit/index.js')]);
  const warn = (line: string): void => void process.stderr.write(`vanguard: ${line}\n`);
  const { policy, effective } = await loadPolicyAndDocument(args.policy, { mode: args.mode, onBlock: args['on-block'], auditFile: args.audit ? path.resolve(args.audit) : undefined }, warn);
  // The policy's own rule packs are part of it; the shipped ones are checked by a test.
  const rules = policy.inspection.rulePacks.length > 0 ? await checkedRules(policy) : undefined;
  // Trusting on first use, a lock file that does not exist yet is written when the session ends.
  const lockFile = policy.pinning.lock;
  let pins: LockFile | undefined;
  let learnInto: string | undefined;
  let redactWithRules: ((text: string) => string) | undefined;
  if (lockFile !== undefined && policy.pinning.trustOnFirstUse && !existsSync(lockFile)) learnInto = lockFile;
  else pins = lockFile === undefined ? undefined : readLock(lockFile);
  const audit = openAudit(() =>
    createAuditSink({
      serverName: args.name ?? deriveServerName([command, ...commandArgs]),
      // Made with the first line, after the spawn (util/node-crypto.ts).
      sessionId: () => nodeCrypto().randomUUID(),
      stderr: policy.audit.stderr,
      file: policy.audit.file,
      arguments: policy.audit.arguments,
      redactKeys: policy.audit.redactKeys,
      chain: policy.audit.chain,
      level: args['log-level'],
      stderrFormat: args['log-format'] ?? 'json',
      // The inspection's secret rules once their code is loaded below (read and compiled by the
      // first line that needs them); before that (nothing is written before the proxy runs)
      // the audit's own shapes only.
      redactSecrets: (text: string) => (redactWithRules === undefined ? text : redactWithRules(text)),
    }),
  );
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
  let child: ChildHandle;
  try {
    child = await startChild(spec);
  } catch (error) {
    await audit.close().catch(() => undefined);
    throw error;
  }
  // The server boots on the other core while the proxy is loaded. The inspection's code is
  // loaded here too, but its rules are read and compiled only when first needed (at the
  // latest by the warm-up after the first answer): see session-inspection.ts.
  let inspection: SessionInspection;
  let runProxy: typeof import('../../proxy/proxy.js').runProxy;
  let approvalState: typeof import('../../approval/state-dir.js');
  let approvalStore: typeof import('../../approval/store-file.js');
  let warmUp: typeof import('../warm-up.js');
  let heapSettings: typeof import('../heap-settings.js');
  let framer: typeof import('../../protocol/framer.js');
  try {
    const build = await import('../../inspect/build.js');
    const { buildSecretRedactor } = await import('../../inspect/secret-redactor.js');
    const { deferredInspection } = await import('../session-inspection.js');
    const clean = await cleanDefinitionsFor(policy, effective);
    // The server inherits this process's working directory: relative paths are judged from there too.
    inspection = deferredInspection(
      policy,
      rules,
      { realpath: realpathOrUndefined, readlink: build.symlinkTarget, serverCwd: process.cwd() },
      { ...build, definitionRules: build.shippedDefinitionRules, buildSecretRedactor },
      clean,
    );
    redactWithRules = inspection.redact;
    ({ runProxy } = await import('../../proxy/proxy.js'));
    [approvalState, approvalStore, warmUp, heapSettings, framer] = await Promise.all([
      import('../../approval/state-dir.js'),
      import('../../approval/store-file.js'),
      import('../warm-up.js'),
      import('../heap-settings.js'),
      import('../../protocol/framer.js'),
    ]);
  } catch (error) {
    // Not expected once the policy has been checked; the server still gets its grace.
    await terminateChild(child, timing);
    await audit.close().catch(() => undefined);
    throw error;
  }
  const { inspect, scanDefinition, scanResult } = inspection;
  const { approvalsDir, ensureApprovalsDir } = approvalState;
  const { lazyFileApprovalStore } = approvalStore;
  const { warmUpLater, warmUpSteps } = warmUp;
  // Called off the path of the first answer, once it is on its way: the code that the first
  // exchange ran (the proxy's, the engine's) is then compiled too, and every start runs it
  // before its first answer.
  let readied = hooks.ready === undefined;
  const proxyAudit: AuditSink = readied
    ? audit
    : {
        ...audit,
        record(decision) {
          audit.record(decision);
          if (!readied && decision.direction === 'server') {
            readied = true;
            setImmediate(() => hooks.ready?.());
          }
        },
      };
  const { holdOldGeneration, holdYoungGeneration } = heapSettings;
  let approvalKey: Buffer | undefined;
  holdYoungGeneration();
  holdOldGeneration();
  framer.shrinkOnceAtStart();
  try {
    return await runProxy({
      policy,
      // Asked calls: a per-process key for requestState HMACs and codes, the per-user approvals folder.
      // (The key is made when first needed: node:crypto is then loaded, not before the first answer.)
      approval: {
        serverName: args.name ?? deriveServerName([command, ...commandArgs]),
        nowMs: () => Date.now(),
        get key() {
          return (approvalKey ??= nodeCrypto().randomBytes(32));
        },
        store: lazyFileApprovalStore(() => ensureApprovalsDir(approvalsDir())),
      },
      child,
      spec,
      clientIn: process.stdin,
      clientOut: process.stdout,
      // (stdout is a pipe, a file or a terminal, and the server's stdin a pipe: each copies what is written.)
      outputsCopy: true,
      audit: proxyAudit,
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
      // What the first call would build, built in the idle time after the initialize answer.
      afterFirstAnswer: () => warmUpLater(warmUpSteps({ policy, inspect, scanResult, scanDefinition, redact: redactWithRules, builds: inspection.builds })),
    });
  } finally {
    await audit.close();
  }
}

// The policy's rule packs read and compiled; problems stop the start, each as file:line:col.
async function checkedRules(policy: CompiledPolicy): Promise<RuleSet> {
  const { policyRules } = await import('../../inspect/build.js');
  const rules = policyRules(policy);
  if (rules.issues.length > 0) {
    const list = rules.issues.map((i) => `${i.file}:${i.line}:${i.col}: ${i.message}`).join('\n');
    throw new VanguardError('RULES_INVALID', `the rule packs have problems:\n${list}`, 1);
  }
  return rules;
}

/**
 * The definitions that scanned clean at earlier starts (config/clean-definitions.ts), for a
 * bundled build with the per-user cache on and a policy without rule packs of its own.
 */
async function cleanDefinitionsFor(policy: CompiledPolicy, effective: unknown): Promise<CleanDefinitions | undefined> {
  const [{ VANGUARD_BUILD }, { vanguardCacheRoot }, { cleanDefinitionsIn }, { shippedPacksFingerprint }] = await Promise.all([
    import('../build-id.js'),
    import('../../config/cache-files.js'),
    import('../../config/clean-definitions.js'),
    import('../../rules/shipped.js'),
  ]);
  const root = vanguardCacheRoot();
  if (VANGUARD_BUILD === undefined || root === undefined || policy.inspection.rulePacks.length > 0) return undefined;
  const packs = shippedPacksFingerprint();
  if (packs === undefined) return undefined;
  // Node's version and its Unicode data too: folding (NFKC) and \p{...} classes read them.
  const key = { build: VANGUARD_BUILD, packs, node: `${process.version} icu ${process.versions.icu ?? '-'} unicode ${process.versions.unicode ?? '-'}`, policy: effective, cwd: process.cwd(), home: homedir() };
  // Written a turn later, off the path of the answer whose scan found the texts, or as the process leaves.
  const clean = cleanDefinitionsIn(path.join(root, 'definitions'), key, (write) => void setTimeout(write, 0).unref());
  process.once('exit', () => clean.flush());
  return clean;
}

// An audit destination that cannot be written (a directory, no permission, a damaged
// chain) is the operator's error, reported as such rather than as an unexpected one.
function openAudit(open: () => AuditSink): AuditSink {
  try {
    return open();
  } catch (error) {
    if (error instanceof AuditError) throw new VanguardError('AUDIT_INVALID', `audit: ${error.message}`, 1);
    throw error;
  }
}
