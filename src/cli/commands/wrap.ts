/**
 * `vanguard wrap` and `vanguard unwrap`: put every stdio server of an MCP client's config
 * behind Vanguard, or take it back out, editing the file in place (see src/clients).
 */
import { existsSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { unifiedDiff } from '../../clients/diff.js';
import { locateConfig } from '../../clients/find-config.js';
import { JsonSyntaxError } from '../../clients/json-tree.js';
import type { ClientId } from '../../clients/locations.js';
import { rewriteConfig, type EntryReport, type RewriteMode } from '../../clients/rewrite.js';
import type { WrapTarget } from '../../clients/wrap-entry.js';
import { readConfigText, replaceConfig } from '../../clients/write-config.js';
import { formatIssue, loadPolicy, nodePolicyIO } from '../../config/index.js';
import { isPresetName } from '../../config/paths.js';
import { VanguardError } from '../../errors.js';

export interface WrapArgs {
  client: ClientId;
  config?: string;
  policy?: string;
  only?: string[];
  dryRun?: boolean;
}

const say = (line: string): void => void process.stderr.write(`${line}\n`);

/** Where the wrapped command finds Vanguard: this install's bin/vanguard.js, links resolved. */
function vanguardScript(): string {
  const script = fileURLToPath(new URL('../../../bin/vanguard.js', import.meta.url));
  if (!existsSync(script)) throw new VanguardError('CLIENT_CONFIG', `cannot find Vanguard's own bin/vanguard.js (looked at ${script})`, 1);
  return realpathSync(script);
}

/** The policy as an absolute path, refused unless it loads: a broken one would stop every server. */
function checkedPolicy(policy: string): string {
  const file = path.resolve(policy);
  // A shipped preset's name is written as the name: the client's shim finds it in its own package.
  const preset = !existsSync(file) && isPresetName(policy);
  if (!existsSync(file) && !preset) throw new VanguardError('CLIENT_CONFIG', `no policy file at ${file}`, 1);
  const result = loadPolicy(preset ? policy : file, nodePolicyIO());
  for (const warning of result.warnings) say(formatIssue(warning));
  if (result.errors.length > 0) {
    for (const error of result.errors) say(formatIssue(error));
    throw new VanguardError('POLICY_INVALID', `the policy ${file} is invalid; nothing was written`, 1);
  }
  return preset ? policy : realpathSync(file);
}

function describe(entry: EntryReport): string {
  return `  ${entry.action.padEnd(9)} ${entry.section}.${entry.name}${entry.note ? `: ${entry.note}` : ''}`;
}

/** Returns the exit code: 0 done (or nothing to do), 1 refused, 2 usage. */
export async function wrapCommand(mode: RewriteMode, args: WrapArgs): Promise<number> {
  const cwd = process.cwd();
  const file = locateConfig(args.client, args.config, { platform: process.platform, home: homedir(), env: process.env, cwd }, existsSync);
  const target: WrapTarget | undefined =
    mode === 'wrap'
      ? { node: process.execPath, script: vanguardScript(), ...(args.policy !== undefined ? { policy: checkedPolicy(args.policy) } : {}) }
      : undefined;
  const text = readConfigText(file);
  let result;
  try {
    result = rewriteConfig(text, { client: args.client, mode, ...(target ? { target } : {}), ...(args.only ? { only: args.only } : {}) });
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      throw new VanguardError('CLIENT_CONFIG', `${file}:${error.line}:${error.col}: ${error.message}; nothing was written`, 1);
    }
    if (error instanceof VanguardError) throw error;
    throw new VanguardError('CLIENT_CONFIG', `${file}: ${(error as Error).message}; nothing was written`, 1);
  }

  say(`${file}:`);
  if (result.entries.length === 0) say('  no server entries');
  for (const entry of result.entries) say(describe(entry));
  const problems = result.entries.filter((e) => e.problem);
  if (problems.length > 0) {
    say(`${problems.length} entr${problems.length === 1 ? 'y' : 'ies'} could not be ${mode}ped; nothing was written (--only NAME… leaves the others out)`);
    return 1;
  }
  if (result.text === text) {
    say(`nothing to ${mode}`);
    return 0;
  }
  // npx runs packages from a cache it may clear; the wrapped entries would then point nowhere.
  if (target && /[\\/]_npx[\\/]/.test(target.script)) {
    say(`warning: Vanguard runs from npx's cache (${target.script}); install it (npm install -g vanguard-mcp) and wrap again, or the entries break when the cache is cleared`);
  }
  if (args.dryRun) {
    process.stdout.write(unifiedDiff(text, result.text, path.basename(file))); // stdout-ok: --dry-run prints the diff
    say('dry run: nothing was written');
    return 0;
  }
  const backup = replaceConfig(file, text, result.text, new Date());
  say(`written; the previous file is kept as ${backup}`);
  if (mode === 'wrap' && path.basename(file) === '.mcp.json') {
    say('note: .mcp.json is usually committed, and the wrapped entries hold absolute paths of this machine');
  }
  say(`restart ${args.client} (or reload its MCP servers) to use the new file`);
  return 0;
}
