/**
 * Where a write makes something run later (persistence): shell start-up files, cron, service
 * and login-item definitions, git hooks, the keys sshd lets in, and the agent configurations
 * that name which MCP servers start. Data, matched like the shipped sensitive list:
 * case-insensitive globs over resolved absolute paths, `~/` for every home folder.
 */
import { shippedGlobTest } from '../inspect/detectors/paths/glob-regex.js';
import { parseAbsolute } from '../inspect/detectors/paths/parse.js';
import { globForms } from '../inspect/detectors/paths/match.js';

const IN_HOME: readonly string[] = [
  '~/.bashrc',
  '~/.bash_profile',
  '~/.bash_login',
  '~/.bash_logout',
  '~/.profile',
  '~/.zshrc',
  '~/.zshenv',
  '~/.zprofile',
  '~/.zlogin',
  '~/.config/fish/**',
  '~/.ssh/authorized_keys*',
  '~/.ssh/rc',
  '~/.config/autostart/**',
  '~/.config/systemd/user/**',
  '~/library/launchagents/**',
  '~/appdata/roaming/microsoft/windows/start menu/programs/startup/**',
  '~/.claude.json',
  '~/.claude/**',
  '~/.cursor/mcp.json',
  '~/.config/claude/**',
  '~/library/application support/claude/**',
  '~/appdata/roaming/claude/**',
  '~/.gemini/settings.json',
];

const ABSOLUTE: readonly string[] = [
  '/etc/cron*/**',
  '/etc/crontab',
  '/var/spool/cron/**',
  '/etc/systemd/**',
  '/lib/systemd/**',
  '/usr/lib/systemd/**',
  '/etc/init.d/**',
  '/etc/rc.local',
  '/etc/profile',
  '/etc/profile.d/**',
  '/etc/bash.bashrc',
  '/etc/zshrc',
  '/etc/ld.so.preload',
  '/library/launchagents/**',
  '/library/launchdaemons/**',
  '/programdata/microsoft/windows/start menu/programs/startup/**',
];

const ANYWHERE: readonly string[] = ['**/.git/hooks/**', '**/.husky/**', '**/.mcp.json', '**/.vscode/mcp.json', '**/.cursor/mcp.json', '**/claude_desktop_config.json', '**/.vscode/tasks.json'];

// Compiled once per home folder (a process has one or two).
const compiled = new Map<string, (path: string) => boolean>();

/** A test for persistence locations, for one home folder; compiled on first use. */
export function persistenceTest(home: string): (path: string) => boolean {
  let test = compiled.get(home);
  if (!test) {
    if (compiled.size >= 8) compiled.clear();
    compiled.set(home, (test = compilePersistence(home)));
  }
  return test;
}

function compilePersistence(home: string): (path: string) => boolean {
  const homes = ['/root', '/home/*', '/users/*'];
  const own = parseAbsolute(home);
  if (own) homes.unshift(...globForms(own, undefined).map((f) => f.replace(/[*?[\]{}()!+@\\]/g, (c) => `\\${c}`).replace(/\/$/, '')));
  const test = shippedGlobTest([...IN_HOME.flatMap((g) => homes.map((h) => `${h}/${g.slice(2)}`)), ...ABSOLUTE, ...ANYWHERE]);
  return (path) => {
    const parsed = parseAbsolute(path);
    return parsed !== undefined && globForms(parsed, undefined).some(test);
  };
}

/** Commands that install something to run later: cron, services, login items, scheduled tasks, Run keys. */
export function installsPersistence(words: readonly string[]): boolean {
  const [first = '', second = ''] = words.map((w) => w.toLowerCase().replace(/^.*[\\/]/, ''));
  if (first === 'crontab' || first === 'at' || first === 'schtasks' || first === 'launchctl') return true;
  if (first === 'systemctl' && (second === 'enable' || second === 'link' || words.includes('--user'))) return true;
  return (first === 'reg' || first === 'reg.exe') && words.some((w) => /\\currentversion\\run/i.test(w));
}

const NETWORK_COMMANDS = new Set(['curl', 'wget', 'nc', 'ncat', 'netcat', 'scp', 'sftp', 'ftp', 'rsync', 'ssh', 'telnet', 'socat', 'http', 'https', 'xh', 'invoke-webrequest', 'invoke-restmethod', 'iwr', 'irm']);

/** A command that talks to another machine (`curl`, `scp`, `git push`). */
export function talksToNetwork(words: readonly string[]): boolean {
  const [first = '', second = ''] = words.map((w) => w.toLowerCase().replace(/^.*[\\/]/, ''));
  return NETWORK_COMMANDS.has(first) || (first === 'git' && second === 'push');
}

/** A command that prints the environment: `env`, `printenv`, `set`, `export -p` with nothing to run. */
export function dumpsEnvironment(words: readonly string[]): boolean {
  const [first = '', ...rest] = words.map((w) => w.toLowerCase());
  if (first === 'printenv') return true;
  if (first !== 'env' && first !== 'set' && first !== 'export' && first !== 'declare' && first !== 'get-childitem') return false;
  if (first === 'get-childitem') return rest.some((w) => /^env:/.test(w));
  return rest.every((w) => w.startsWith('-'));
}
