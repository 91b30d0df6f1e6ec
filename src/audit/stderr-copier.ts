/**
 * The program that copies the stderr relay's input to fd 2. fd 2 is one open file shared with
 * the server (which inherits it) and often with the client, and O_NONBLOCK belongs to that
 * shared open file: a Node process that so much as touches its `process.stderr` sets it (libuv
 * opens pipes and sockets non-blocking), and every MCP server written for Node does. `cat`
 * then gets EAGAIN as soon as the reader falls behind, and exits: everything after is lost,
 * and nothing says so. The copier here waits for room instead (select), whichever way the flag
 * is set, and blocks only itself. It is Perl, which macOS and every Debian-based system carry
 * (perl-base is essential there); where there is none, `cat` is the fallback, with that
 * weakness, and when it stops the in-process queue takes over (createFallbackRelay).
 */
import { accessSync, constants } from 'node:fs';
import { constants as osConstants } from 'node:os';
import path from 'node:path';

/**
 * Copies stdin to stdout, 64 KiB at a time; a write that would block (EAGAIN, the first
 * argument's number) waits until stdout has room, an interrupted one (EINTR, the second) is
 * tried again; any other error, a write of nothing (which no pipe, socket or file gives; `cat`
 * also stops there), or the end of stdin ends it. No modules are loaded.
 */
const COPY_SCRIPT = [
  'my ($again, $intr) = @ARGV;',
  'binmode STDIN; binmode STDOUT;',
  "my $room = ''; vec($room, fileno(STDOUT), 1) = 1;",
  'while (1) {',
  '  my $n = sysread(STDIN, my $buf, 65536);',
  '  if (!defined $n) { next if $! == $intr; exit 2; }',
  '  last if $n == 0;',
  '  my $at = 0;',
  '  while ($at < $n) {',
  '    my $w = syswrite(STDOUT, $buf, $n - $at, $at);',
  '    if ($w) { $at += $w; next; }',
  '    exit 3 if defined $w;',
  '    if ($! == $again) { select(undef, my $ready = $room, undef, undef); next; }',
  '    next if $! == $intr;',
  '    exit 3;',
  '  }',
  '}',
].join('\n');

/** How to start a copier: the program and its arguments. */
export interface Copier {
  file: string;
  args: string[];
}

/** The folders the system's own programs are in, looked in before PATH. */
export const SYSTEM_FOLDERS: readonly string[] = ['/bin', '/usr/bin'];

/** The program `name` as a file that can be run, from `folders` in order. */
export function findProgram(name: string, folders: readonly string[]): string | undefined {
  for (const folder of folders) {
    const file = path.join(folder, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/**
 * The copiers to start, first choice first: the system's `perl`, then the system's `cat` (a
 * GUI client starts servers with a short PATH, or none, so the system folders come first), and
 * after them the same two from PATH's other absolute folders: a `perl` that some PATH entry
 * holds (a version manager's shim, a user's own folder) is not preferred to the system's `cat`.
 * The later ones stand in when an earlier one stops (stderr-relay.ts), so each is looked for
 * only when it is asked for: a start looks for the first alone.
 */
export function* findCopiers(envPath = process.env.PATH ?? '', find: (name: string, folders: readonly string[]) => string | undefined = findProgram): Generator<Copier> {
  const { EAGAIN, EINTR } = osConstants.errno;
  const pathFolders = () => envPath.split(path.delimiter).filter((d) => path.isAbsolute(d) && !SYSTEM_FOLDERS.includes(d));
  for (const folders of [() => SYSTEM_FOLDERS, pathFolders]) {
    const perl = find('perl', folders());
    if (perl !== undefined) yield { file: perl, args: ['-e', COPY_SCRIPT, String(EAGAIN), String(EINTR)] };
    const cat = find('cat', folders());
    if (cat !== undefined) yield { file: cat, args: [] };
  }
}

/** The first choice of findCopiers(); undefined when there is none. */
export function findCopier(envPath = process.env.PATH ?? '', find: (name: string, folders: readonly string[]) => string | undefined = findProgram): Copier | undefined {
  return findCopiers(envPath, find).next().value ?? undefined;
}
