/**
 * A server's default name for logs and lock files, derived from its command line:
 * the package or script it runs, not the launcher (`npx`, `node`, `uvx` …).
 */
import path from 'node:path';

const LAUNCHERS = new Set(['npx', 'npm', 'pnpm', 'pnpx', 'yarn', 'bunx', 'bun', 'node', 'deno', 'uvx', 'uv', 'pipx', 'python', 'python3', 'py', 'docker', 'podman']);
// Arguments of launchers that are not the thing being run.
const LAUNCHER_WORDS = new Set(['exec', 'run', 'dlx', 'x', 'tool', '--']);

function baseName(word: string): string {
  const withoutVersion = word.replace(/(.)@[^/@]*$/, '$1');
  const last = withoutVersion.split(/[\\/]/).pop() ?? withoutVersion;
  return last.replace(/\.(c|m)?(js|ts)$|\.py$|\.exe$|\.cmd$/i, '');
}

/** The name a server is known by when --name is not given. */
export function deriveServerName(argv: string[]): string {
  const [command, ...rest] = argv;
  if (command === undefined) return 'server';
  const launcher = baseName(path.basename(command)).toLowerCase();
  if (!LAUNCHERS.has(launcher)) return sanitize(baseName(command));
  for (const word of rest) {
    if (word.startsWith('-') || LAUNCHER_WORDS.has(word)) continue;
    return sanitize(baseName(word));
  }
  return sanitize(launcher);
}

function sanitize(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return clean || 'server';
}
