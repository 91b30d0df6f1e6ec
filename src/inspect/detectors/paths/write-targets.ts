/**
 * Places no tool should write by default (issue 12): where a written file runs later or
 * changes how an agent behaves. The persistence locations the flow rules know (shell start-up
 * files, autostart, cron, services, login items, git hooks, agent and MCP client configs),
 * plus system program and configuration folders and the rest of the agent clients' folders.
 * Matched like the shipped sensitive list: case-insensitive globs over resolved paths.
 */
import { persistenceTest } from '../../../flow/locations.js';
import { nameFacts } from '../../../flow/tool-words.js';
import { shippedGlobTest } from './glob-regex.js';
import { globForms } from './match.js';
import { parseAbsolute } from './parse.js';

const IN_HOME: readonly string[] = ['~/.cursor/**', '~/.codeium/windsurf/**', '~/.continue/config.*', '~/.config/zed/settings.json', '~/.gemini/**', '~/.codex/**', '~/.npmrc', '~/.gitconfig', '~/.ssh/config'];

const SYSTEM: readonly string[] = [
  '/etc/**',
  '/bin/**',
  '/sbin/**',
  '/usr/bin/**',
  '/usr/sbin/**',
  '/usr/local/bin/**',
  '/usr/local/sbin/**',
  '/usr/lib/**',
  '/lib/**',
  '/lib64/**',
  '/boot/**',
  '/system/**',
  '/windows/system32/**',
  '/windows/syswow64/**',
  // A project's agent settings can define hooks, commands the agent runs.
  '**/.claude/settings.json',
  '**/.claude/settings.local.json',
  '**/.cursor/rules/**',
];

const compiled = new Map<string, (path: string) => boolean>();

function compileExtra(home: string): (path: string) => boolean {
  const homes = ['/root', '/home/*', '/users/*'];
  const own = parseAbsolute(home);
  if (own) homes.unshift(...globForms(own, undefined).map((f) => f.replace(/[*?[\]{}()!+@\\]/g, (c) => `\\${c}`).replace(/\/$/, '')));
  const test = shippedGlobTest([...IN_HOME.flatMap((g) => homes.map((h) => `${h}/${g.slice(2)}`)), ...SYSTEM]);
  return (path) => {
    const parsed = parseAbsolute(path);
    return parsed !== undefined && globForms(parsed, undefined).some(test);
  };
}

/** A test for write targets no tool should write, for one home folder; compiled on first use. */
export function writeTargetTest(home: string): (path: string) => boolean {
  let extra = compiled.get(home);
  if (!extra) {
    if (compiled.size >= 8) compiled.clear();
    compiled.set(home, (extra = compileExtra(home)));
  }
  const persistence = persistenceTest(home);
  const test = extra;
  return (path) => persistence(path) || test(path);
}

/**
 * True when a tool's name says it writes, edits, moves or deletes (`write_file`, `editFile`, `move`):
 * read once per name with the rest of what the name says (the flow rules' cache, nameFacts).
 */
export function toolWrites(tool: string): boolean {
  return nameFacts(tool).changesThings;
}
