/**
 * What commands are, for judging a command line: which only probe the host, which run
 * their input as code, which read their input (filters), which ignore it, and which are
 * wrappers that run the command after them.
 */
import type { ShellWord } from './word.js';

/** Commands that only report on the host: pointless after a separator, except to test an injection. */
export const PROBES: ReadonlySet<string> = new Set([
  'id', 'whoami', 'uname', 'hostname', 'netstat', 'ss', 'ifconfig', 'ipconfig', 'ping', 'ping6',
  'nslookup', 'systeminfo', 'getent', 'groups', 'who', 'w', 'last', 'lastlog', 'finger', 'arp',
  'printenv', 'hostid', 'ver', 'getuid',
  // Windows and distribution reporters: who is logged on, sessions, NetBIOS names, tickets, release.
  'tasklist', 'quser', 'qwinsta', 'nbtstat', 'klist', 'lsb_release', 'hostnamectl',
]);

/** Shells: whatever they read is run. */
export const SHELLS: ReadonlySet<string> = new Set([
  'sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'csh', 'tcsh', 'fish', 'ash', 'rbash', 'cmd', 'powershell', 'pwsh', 'iex', 'invoke-expression',
]);

/** Interpreters: run their input as a program when given no script. */
export const INTERPRETERS: ReadonlySet<string> = new Set([
  'python', 'python2', 'python3', 'perl', 'ruby', 'php', 'node', 'nodejs', 'deno', 'bun', 'lua', 'luajit', 'tclsh', 'wish', 'osascript', 'jshell', 'irb', 'rscript', 'source', '.',
]);

/** Tools that send what they read over the network. */
export const NETWORK: ReadonlySet<string> = new Set([
  'nc', 'ncat', 'netcat', 'socat', 'telnet', 'cryptcat', 'curl', 'wget', 'ftp', 'tftp', 'sftp', 'scp', 'openssl',
]);

/** Commands that read their input: what pipes are for. */
export const FILTERS: ReadonlySet<string> = new Set([
  'grep', 'egrep', 'fgrep', 'zgrep', 'rg', 'ag', 'ack', 'head', 'tail', 'sort', 'uniq', 'wc', 'cut', 'tr', 'sed', 'awk', 'gawk', 'mawk',
  'jq', 'yq', 'gron', 'xargs', 'tee', 'less', 'more', 'most', 'cat', 'tac', 'nl', 'column', 'fmt', 'fold', 'paste', 'join', 'comm', 'diff',
  'cmp', 'base64', 'base32', 'xxd', 'od', 'hexdump', 'gzip', 'gunzip', 'zcat', 'bzip2', 'bunzip2', 'xz', 'unxz', 'zstd', 'lz4', 'tar',
  'sha256sum', 'sha1sum', 'sha512sum', 'md5sum', 'shasum', 'cksum', 'b2sum', 'iconv', 'dos2unix', 'unix2dos', 'sponge', 'pv', 'rev',
  'shuf', 'split', 'csplit', 'expand', 'unexpand', 'strings', 'file', 'envsubst', 'bc', 'dc', 'read', 'mapfile', 'readarray',
  'pbcopy', 'xclip', 'xsel', 'wl-copy', 'clip', 'findstr', 'find', 'where', 'fzf', 'peco', 'bat', 'batcat', 'parallel', 'ts', 'logger',
  'numfmt', 'look', 'tsort', 'pr', 'ul', 'col', 'colrm', 'vipe', 'ifne', 'chronic', 'mlr', 'csvlook', 'csvcut', 'xsv',
  'qsv', 'xmllint', 'xq', 'tidy', 'apt-get', 'apt', 'yum', 'dnf', 'pacman', 'zypper', 'apk', 'pandoc', 'html2text', 'markdown', 'glow', 'delta', 'diff-so-fancy', 'patch', 'git', 'gpg', 'age',
  'psql', 'mysql', 'sqlite3', 'duckdb', 'redis-cli', 'mongosh', 'kubectl', 'docker', 'podman', 'helm', 'ssh', 'aws', 'gcloud', 'az',
  'tput', 'select-string', 'where-object', 'foreach-object', 'select-object', 'sort-object',
  'measure-object', 'format-table', 'format-list', 'out-file', 'out-string', 'out-null', 'convertfrom-json', 'convertto-json',
  'set-content', 'add-content', 'tee-object', 'group-object', 'ft', 'fl', '%', '?', 'ogv', 'out-gridview', 'jless', 'fx',
  'prettier', 'black', 'rustfmt', 'gofmt', 'clang-format', 'shfmt', 'sqlformat', 'yamllint', 'lolcat', 'figlet', 'cowsay',
]);

/** Commands whose output is a plain value: `$(pwd)`, `$(nproc)`, `$(git rev-parse …)` substitute nothing risky. */
export const VALUE_COMMANDS: ReadonlySet<string> = new Set(['pwd', 'nproc', 'date', 'basename', 'dirname', 'which', 'realpath', 'readlink', 'git', 'go', 'npm', 'arch', 'getconf']);

/** Commands that ignore their input: a pipe into one just starts another command. */
export const NON_READERS: ReadonlySet<string> = new Set([
  'ls', 'dir', 'pwd', 'date', 'echo', 'printf', 'true', 'false', 'sleep', 'touch', 'mkdir', 'rmdir', 'rm', 'cp', 'mv', 'ln', 'chmod', 'chown', 'chgrp',
  'kill', 'killall', 'pkill', 'which', 'whereis', 'df', 'du', 'free', 'uptime', 'reboot', 'shutdown', 'halt', 'poweroff', 'stat',
  'ps', 'locate', 'history', 'useradd', 'userdel', 'usermod', 'mkfs', 'dd', 'mount', 'umount', 'lsblk',
  'fdisk', 'chattr', 'systemctl', 'service', 'init', 'nohup', 'tasklist', 'taskkill', 'net', 'reg', 'sc', 'del', 'erase', 'rd',
  'copy', 'move', 'type', 'start', 'cd', 'pushd', 'popd', 'exit', 'export', 'unset', 'alias',
]);

/** Reserved words and grouping that start compound commands rather than naming one. */
const KEYWORDS: ReadonlySet<string> = new Set([
  'if', 'then', 'else', 'elif', 'fi', 'case', 'esac', 'for', 'while', 'until', 'do', 'done', 'select', 'function', '{', '}', '!', '[[', ']]', 'coproc', 'in',
]);

/** Wrappers that run the command after them, and their options that take a value. */
const WRAPPERS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['sudo', new Set(['-u', '-g', '-C', '-h', '-p', '-U', '-r', '-t', '-D'])],
  ['doas', new Set(['-u', '-C'])],
  ['env', new Set(['-u', '-C', '-S'])],
  ['nohup', new Set<string>()],
  ['nice', new Set(['-n'])],
  ['ionice', new Set(['-c', '-n', '-p'])],
  ['time', new Set(['-f', '-o'])],
  ['timeout', new Set(['-s', '-k', '--signal', '--kill-after'])],
  ['exec', new Set(['-a'])],
  ['command', new Set<string>()],
  ['builtin', new Set<string>()],
  ['stdbuf', new Set(['-i', '-o', '-e'])],
  ['xargs', new Set(['-n', '-I', '-i', '-L', '-l', '-P', '-d', '-a', '-E', '-e', '-s', '--max-args', '--replace', '--arg-file', '--delimiter'])],
  ['busybox', new Set<string>()],
  ['strace', new Set(['-o', '-e', '-p'])],
  ['setsid', new Set<string>()],
  ['unbuffer', new Set<string>()],
  ['watch', new Set(['-n', '-d'])],
  ['chroot', new Set<string>()],
  ['runuser', new Set(['-u', '-g'])],
]);

/** The last path segment, lower-cased, without a Windows program extension. */
export function commandBase(text: string): string {
  // (The part after the last separator, as split(/[\\/]/) would give it last; the extension's
  // regex only where there is a dot. Most names are one plain word: `git`, `ls`.)
  const lower = text.toLowerCase();
  const cut = Math.max(lower.lastIndexOf('/'), lower.lastIndexOf('\\'));
  const last = cut < 0 ? lower : lower.slice(cut + 1);
  return last.includes('.') ? last.replace(/\.(?:exe|com|bat|cmd)$/, '') : last;
}

/** The command a simple command runs: its word and index, past assignments, keywords and wrappers. */
export interface ResolvedName {
  index: number;
  word: ShellWord;
  /** Lower-case base name (`/usr/bin/id` → `id`). */
  name: string;
  /** Words after the name. */
  args: ShellWord[];
  /** Wrappers it was found behind (`sudo`, `xargs`…). */
  wrappers: string[];
}

/** Find the command name in a simple command's words. */
export function resolveName(words: readonly ShellWord[]): ResolvedName | undefined {
  let i = 0;
  const wrappers: string[] = [];
  while (i < words.length) {
    const word = words[i] as ShellWord;
    const base = commandBase(word.text);
    if (!word.split && /^[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=/.test(word.text)) i += 1;
    else if (KEYWORDS.has(word.text)) i += 1;
    else if (WRAPPERS.has(base) && i + 1 < words.length) {
      wrappers.push(base);
      i = skipWrapper(words, i + 1, base);
    } else return { index: i, word, name: base, args: words.slice(i + 1), wrappers };
  }
  return undefined;
}

// Past a wrapper's options (and their values), env's assignments and timeout's duration.
function skipWrapper(words: readonly ShellWord[], from: number, wrapper: string): number {
  const valued = WRAPPERS.get(wrapper) ?? new Set<string>();
  let i = from;
  while (i < words.length) {
    const text = (words[i] as ShellWord).text;
    if (valued.has(text)) i += 2;
    else if (text.startsWith('-') && text.length > 1) i += 1;
    else if (wrapper === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(text)) i += 1;
    else if ((wrapper === 'timeout' || wrapper === 'nice') && /^\d+(?:\.\d+)?[smhd]?$/.test(text)) i += 1;
    else if (wrapper === 'chroot' && i === from) i += 1;
    else break;
  }
  return i;
}

/** Whether an interpreter given these arguments runs its standard input as the program. */
export function runsInput(args: readonly ShellWord[]): boolean {
  return args.every((a) => /^(?:-|--|-[siuqwBE]+)$/.test(a.text));
}
