/**
 * A server's default name for logs and lock files, derived from its command line:
 * the package or script it runs, not the launcher (`npx`, `node`, `uvx` …). An entry file
 * with a generic name (`index.js`, `dist/index.js`, `build/main.js`, `server.py`) is named
 * after the package folder it belongs to, not after itself.
 */
import path from 'node:path';

const LAUNCHERS = new Set(['npx', 'npm', 'pnpm', 'pnpx', 'yarn', 'bunx', 'bun', 'node', 'deno', 'uvx', 'uv', 'pipx', 'python', 'python3', 'py', 'docker', 'podman', 'tsx', 'ts-node']);
// Arguments of launchers that are not the thing being run.
const LAUNCHER_WORDS = new Set(['exec', 'run', 'dlx', 'x', 'tool', '--']);
// Entry files that say nothing about the server they start.
const GENERIC_FILES = new Set(['index', 'main', 'server', 'cli', 'app', 'mod', 'start', 'run', '__main__', 'stdio', 'bin']);
// Folders of a package that hold its built or source entry, not its name.
const GENERIC_DIRS = new Set(['dist', 'build', 'lib', 'out', 'src', 'bin', 'esm', 'cjs', 'es', 'dist-esm', 'dist-cjs', 'cli', 'server', '.', '..', '']);
const SCRIPT_EXTENSION = /\.(c|m)?(js|ts)x?$|\.py$|\.exe$|\.cmd$/i;

function baseName(word: string): string {
  const withoutVersion = word.replace(/(.)@[^/@]*$/, '$1');
  const last = withoutVersion.split(/[\\/]/).pop() ?? withoutVersion;
  return last.replace(SCRIPT_EXTENSION, '');
}

// A script path: named after itself, or, when generic, after the nearest folder that is not.
function scriptName(word: string, cwd: string): string {
  const own = baseName(word);
  if (!SCRIPT_EXTENSION.test(word) || !GENERIC_FILES.has(own.toLowerCase())) return own;
  const windows = /^[A-Za-z]:[\\/]|\\/.test(word) || /^[A-Za-z]:[\\/]/.test(cwd);
  const absolute = windows ? path.win32.resolve(cwd, word) : path.posix.resolve(cwd, word);
  const folders = absolute.split(/[\\/]/).slice(0, -1);
  for (let i = folders.length - 1; i >= 0; i--) {
    const folder = folders[i]!;
    if (!GENERIC_DIRS.has(folder.toLowerCase()) && !/^[A-Za-z]:$/.test(folder)) return folder;
  }
  return own;
}

/** The name a server is known by when --name is not given; `cwd` resolves a relative script. */
export function deriveServerName(argv: string[], cwd: string = process.cwd()): string {
  const [command, ...rest] = argv;
  if (command === undefined) return 'server';
  const launcher = baseName(path.basename(command)).toLowerCase();
  if (!LAUNCHERS.has(launcher)) return sanitize(scriptName(command, cwd));
  for (const word of rest) {
    if (word.startsWith('-') || LAUNCHER_WORDS.has(word)) continue;
    return sanitize(scriptName(word, cwd));
  }
  return sanitize(launcher);
}

function sanitize(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return clean || 'server';
}
