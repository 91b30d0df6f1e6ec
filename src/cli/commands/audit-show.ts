/**
 * `vanguard audit show FILE… [--since 1h] [--verdict block,hide] [--tool GLOB] [--follow] [--json]`:
 * the audit trail as a table a person reads (time, server, method, tool, verdict, rules,
 * reason), newest last; `--follow` keeps printing rows as the files grow.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { parseSince, renderFollowLine, renderTable, rowFilter, rowsOf, type ShowRow } from '../../audit/show-rows.js';
import { globProblem } from '../../config/globs.js';
import { VanguardError } from '../../errors.js';
import { parseJson } from '../../protocol/escaped-keys.js';

/** Options of `vanguard audit show`. */
export interface AuditShowArgs {
  files: string[];
  since?: string;
  verdict?: string[];
  tool?: string;
  follow?: boolean;
  json?: boolean;
}

const VERDICTS = ['forward', 'rewrite', 'block', 'hide', 'drop', 'would-block', 'warn', 'log'];
/** How often --follow looks at the files again. */
const FOLLOW_POLL_MS = 250;

/** Reads the complete lines appended to one file since the last call; starts over when it shrank (rotated). */
class Tail {
  private offset = 0;
  private partial = '';
  constructor(readonly file: string) {}

  read(): string[] {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return [];
      throw error;
    }
    try {
      if (statSync(this.file).size < this.offset) {
        this.offset = 0;
        this.partial = '';
      }
      const buffer = Buffer.alloc(1 << 16);
      const chunks: Buffer[] = [];
      for (;;) {
        const n = readSync(fd, buffer, 0, buffer.length, this.offset);
        if (n === 0) break;
        this.offset += n;
        chunks.push(Buffer.from(buffer.subarray(0, n)));
      }
      this.partial += Buffer.concat(chunks).toString('utf8');
    } finally {
      closeSync(fd);
    }
    const lines = this.partial.split('\n');
    this.partial = lines.pop() ?? '';
    return lines.filter((line) => line.trim() !== '');
  }
}

/** Run the command; returns the exit code (with --follow, when interrupted). */
export async function auditShowCommand(args: AuditShowArgs): Promise<number> {
  const verdicts = args.verdict?.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  const unknown = verdicts?.filter((v) => !VERDICTS.includes(v)) ?? [];
  if (unknown.length > 0) throw new VanguardError('USAGE', `--verdict takes ${VERDICTS.join(', ')} (got ${unknown.join(', ')})`, 2);
  if (args.tool !== undefined) {
    const problem = globProblem(args.tool, 'name the tools to show instead');
    if (problem !== undefined) throw new VanguardError('USAGE', `--tool: ${problem}`, 2);
  }
  let sinceMs: number | undefined;
  if (args.since !== undefined) {
    const since = parseSince(args.since, Date.now());
    if (typeof since !== 'number') throw new VanguardError('USAGE', since.error, 2);
    sinceMs = since;
  }
  const keep = rowFilter({ ...(sinceMs !== undefined && { sinceMs }), ...(verdicts !== undefined && { verdicts }), ...(args.tool !== undefined && { tool: args.tool }) });

  const tails = args.files.map((file) => new Tail(file));
  for (const file of args.files) {
    try {
      statSync(file);
    } catch (error) {
      if (!args.follow) throw new VanguardError('AUDIT_INVALID', `cannot read ${file}: ${(error as Error).message}`, 1);
    }
  }
  let skipped = 0;
  const take = (): ShowRow[] => {
    const rows: ShowRow[] = [];
    for (const tail of tails) {
      for (const line of tail.read()) {
        let record: unknown;
        try {
          record = parseJson(line);
        } catch {
          skipped++;
          continue;
        }
        if (record === null || typeof record !== 'object' || Array.isArray(record)) {
          skipped++;
          continue;
        }
        rows.push(...rowsOf(record as Record<string, unknown>).filter(keep));
      }
    }
    // Several files (several shims, or a rotated set): one timeline, oldest first.
    return rows.map((row, index) => ({ row, index })).sort((a, b) => a.row.time.localeCompare(b.row.time) || a.index - b.index).map((x) => x.row);
  };
  const print = (lines: string[]): void => {
    if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`); // stdout-ok: audit show prints its table
  };

  const first = take();
  if (args.json) print(first.map((row) => JSON.stringify(row)));
  else if (args.follow) print(first.map(renderFollowLine));
  else if (first.length > 0) print(renderTable(first));
  if (skipped > 0) process.stderr.write(`vanguard: ${skipped} line(s) were not JSON records and were skipped\n`);
  if (!args.follow) {
    if (first.length === 0) process.stderr.write('vanguard: no record matched\n');
    return 0;
  }
  // Until interrupted: the rows of whatever is appended, as it is appended.
  return await new Promise<number>((resolve) => {
    const timer = setInterval(() => {
      const rows = take();
      print(args.json ? rows.map((row) => JSON.stringify(row)) : rows.map(renderFollowLine));
    }, FOLLOW_POLL_MS);
    const stop = (): void => {
      clearInterval(timer);
      resolve(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
