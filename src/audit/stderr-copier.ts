/**
 * The program that copies the stderr relay's input to fd 2. fd 2 is one open file shared with
 * the server (which inherits it) and often with the client, and O_NONBLOCK belongs to that
 * shared open file: a Node process that so much as touches its `process.stderr` sets it (libuv
 * opens pipes and sockets non-blocking), and every MCP server written for Node does. `cat`
 * then gets EAGAIN as soon as the reader falls behind, and exits: everything after is lost,
 * and nothing says so. The copier here waits for room instead (select), whichever way the flag
 * is set, and blocks only itself. It is Perl, which macOS and every Debian-based system carry
 * (perl-base is essential there); where there is none, `cat` is the fallback, with that
 * weakness.
 */
import { accessSync, constants } from 'node:fs';
import { constants as osConstants } from 'node:os';
import path from 'node:path';

/**
 * Copies stdin to stdout, 64 KiB at a time; a write that would block (EAGAIN, the first
 * argument's number) waits until stdout has room, an interrupted one (EINTR, the second) is
 * tried again; any other error, or the end of stdin, ends it. No modules are loaded.
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
  '    if (defined $w) { $at += $w; next; }',
  '    if ($! == $again) { select(undef, my $ready = $room, undef, undef); next; }',
  '    next if $! == $intr;',
  '    exit 3;',
  '  }',
  '}',
].join('\n');

/** How to start a copier: the program and its arguments, and whether it survives a non-blocking fd 2. */
export interface Copier {
  file: string;
  args: string[];
  waitsForRoom: boolean;
}

/**
 * The program `name` as a file that can be run: the system folders first, since a GUI client
 * starts servers with a short PATH (or none), then PATH's absolute folders.
 */
export function findProgram(name: string, envPath = process.env.PATH ?? ''): string | undefined {
  const folders = ['/bin', '/usr/bin', ...envPath.split(path.delimiter).filter((d) => path.isAbsolute(d))];
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

/** The copier to start: Perl's when there is a `perl`, else `cat`; undefined when neither is found. */
export function findCopier(envPath = process.env.PATH ?? '', find: (name: string, envPath: string) => string | undefined = findProgram): Copier | undefined {
  const perl = find('perl', envPath);
  const { EAGAIN, EINTR } = osConstants.errno;
  if (perl !== undefined) return { file: perl, args: ['-e', COPY_SCRIPT, String(EAGAIN), String(EINTR)], waitsForRoom: true };
  const cat = find('cat', envPath);
  return cat === undefined ? undefined : { file: cat, args: [], waitsForRoom: false };
}
