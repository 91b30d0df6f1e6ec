/**
 * Drives the real built CLI over raw stdio: frames in, frames out, stderr kept, exit
 * awaited. For the flows the SDK client cannot produce (malformed lines, batches, crashes).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(root, 'bin', 'vanguard.js');
export const TINY_SERVER = path.join(root, 'test', 'fixtures', 'servers', 'tiny-server.mjs');
export const FIXTURE_POLICIES = path.join(root, 'test', 'fixtures', 'policies');

if (!existsSync(path.join(root, 'dist', 'cli', 'main.js'))) {
  throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
}

export interface RawSession {
  child: ChildProcessWithoutNullStreams;
  /** Every stdout line so far. */
  lines: string[];
  stderr(): string;
  send(frame: unknown): void;
  /** The first stdout line not yet claimed by an earlier call that satisfies `match`; claims it. */
  next(match?: (value: unknown, line: string) => boolean, timeoutMs?: number): Promise<unknown>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  close(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Start `vanguard <args>` with piped stdio. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): RawSession {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: 'pipe' });
  const lines: string[] = [];
  let err = '';
  let partial = '';
  const claimed = new Set<number>();
  const waiters = new Set<() => void>();
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    partial += chunk;
    let index: number;
    while ((index = partial.indexOf('\n')) >= 0) {
      lines.push(partial.slice(0, index));
      partial = partial.slice(index + 1);
    }
    waiters.forEach((w) => w());
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (err += chunk));
  child.stdin.on('error', () => undefined);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    lines,
    stderr: () => err,
    send(frame) {
      child.stdin.write(`${typeof frame === 'string' ? frame : JSON.stringify(frame)}\n`);
    },
    next(match = () => true, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          for (let index = 0; index < lines.length; index++) {
            if (claimed.has(index)) continue;
            const line = lines[index] ?? '';
            let value: unknown;
            try {
              value = JSON.parse(line);
            } catch {
              value = undefined;
            }
            if (match(value, line)) {
              claimed.add(index);
              waiters.delete(check);
              clearTimeout(timer);
              resolve(value);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching line within ${timeoutMs} ms; stdout: ${lines.slice(-5).join('\n')}\nstderr: ${err.slice(-2000)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    exit,
    close() {
      child.stdin.end();
      return exit;
    },
  };
}

/** Match a response by id. */
export const byId = (id: unknown) => (value: unknown) => typeof value === 'object' && value !== null && (value as { id?: unknown }).id === id;

/** Is a process still alive? */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Poll until `check` holds or the time runs out. */
export async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

export const initialize = (id: number | string = 0) => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw-test', version: '1' } },
});

/**
 * Reads a stream of newline-delimited JSON as a client does: each whole line parsed and
 * handed to `each`, then `afterChunk` once per chunk (to check whether a test is done).
 */
export function onJsonLines(stream: NodeJS.ReadableStream, each: (value: unknown) => void, afterChunk: () => void = () => undefined): void {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.length > 0) each(JSON.parse(line));
    afterChunk();
  });
}
