/**
 * Reading one spelling of a path the ways a server might: POSIX, Windows (drives, UNC,
 * `\\?\` and `\\.\` device prefixes, `\` and `/` mixed), `file:` URLs and `~`. Both
 * separators count everywhere: a POSIX server takes `\` literally, but then the path is
 * merely odd, while a Windows server (or a later `replace`) makes it a separator.
 */
import { decodePercents } from './decode.js';

/** Where an absolute path is anchored. */
export type Anchor =
  | { type: 'posix' }
  | { type: 'drive'; letter: string }
  | { type: 'unc'; host: string; share: string }
  /** Windows' device namespace: `\\.\PhysicalDrive0`, `\\?\GLOBALROOT\…`, `\\?\Volume{…}\…`, `\\.\pipe\…`. */
  | { type: 'device'; name: string };

/** Where a parsed path starts, before it is resolved. */
export type Start =
  | { kind: 'absolute'; anchor: Anchor }
  | { kind: 'home'; user: string | undefined }
  | { kind: 'relative' };

/** One reading of a path: where it starts and its parts (`.` and `..` still in, empty parts dropped). */
export interface ParsedPath {
  start: Start;
  segments: string[];
}

const SEPARATOR = /[\\/]/;
const POSIX: Anchor = { type: 'posix' };

/**
 * Every plausible reading of a path. Usually one; `//host/share/x` gives two, a UNC path
 * (Windows) and `/host/share/x` (POSIX, where repeated slashes are one).
 */
export function parsePath(text: string): ParsedPath[] {
  // (The regex only for a text that starts with `f` or `F`.)
  if ((text.charCodeAt(0) | 0x20) === 0x66 && /^file:/i.test(text)) return parseFileUrl(text.slice(5));
  return parsePlain(text);
}

// `/` and `\`, as char codes, and `?`: what may follow a leading separator in the other anchors' prefixes.
const SLASH = 0x2f;
const BACKSLASH = 0x5c;
const QUESTION = 0x3f;
const isSeparator = (code: number) => code === SLASH || code === BACKSLASH;

function parsePlain(path: string): ParsedPath[] {
  // Most paths are plain POSIX ones (`/srv/data/x`): one separator, then neither another
  // separator (UNC, `\\?\`) nor `?` (`\??\`). None of the prefix tests below can match
  // such a text, and the last branch would read it: it is read so at once.
  if (isSeparator(path.charCodeAt(0)) && !isSeparator(path.charCodeAt(1)) && path.charCodeAt(1) !== QUESTION) return [{ start: { kind: 'absolute', anchor: POSIX }, segments: split(path) }];
  let text = path;
  // `\\?\`, `\\.\` and NT's `\??\` tell Windows not to normalise; what follows is a drive,
  // `UNC\`, or else a device or volume (`GLOBALROOT`, `PhysicalDrive0`, `Volume{…}`, `pipe`):
  // absolute, whatever its first part is.
  const device = /^(?:[\\/]{2}[?.][\\/]|[\\/]\?\?[\\/])+/.exec(text);
  if (device) {
    text = text.slice(device[0].length);
    const unc = /^unc[\\/]/i.exec(text);
    if (unc) return [uncPath(text.slice(unc[0].length))];
    // `\\.\C:` with nothing after it is the raw volume, not its root folder.
    if (!/^[a-z]:[\\/]/i.test(text)) {
      const [name = '', ...rest] = split(text);
      return [{ start: { kind: 'absolute', anchor: { type: 'device', name: name.toLowerCase() } }, segments: rest }];
    }
  }
  if (/^[\\/]{2}[^\\/]/.test(text)) return [uncPath(text.slice(2)), { start: { kind: 'absolute', anchor: POSIX }, segments: split(text) }];
  const drive = /^([a-z]):/i.exec(text);
  if (drive) return [{ start: { kind: 'absolute', anchor: { type: 'drive', letter: (drive[1] as string).toLowerCase() } }, segments: split(text.slice(2)) }];
  if (SEPARATOR.test(text[0] ?? '')) return [{ start: { kind: 'absolute', anchor: POSIX }, segments: split(text) }];
  const home = /^~([a-z_][a-z0-9_.-]*)?(?=[\\/]|$)/i.exec(text);
  if (home) return [{ start: { kind: 'home', user: home[1] }, segments: split(text.slice(home[0].length)) }];
  return [{ start: { kind: 'relative' }, segments: split(text) }];
}

// `host\share\rest` (the leading two separators already removed).
function uncPath(text: string): ParsedPath {
  const [host = '', share = '', ...rest] = split(text);
  return { start: { kind: 'absolute', anchor: { type: 'unc', host: host.toLowerCase(), share: share.toLowerCase() } }, segments: rest };
}

/**
 * `file:` URLs: `file:///p`, `file://localhost/p`, `file:/p`, `file:///C:/p` (also the old
 * `C|`), `file://host/share/p` (UNC). Percent-escapes are decoded, as URL parsers do; the
 * query and fragment are not part of the path.
 */
function parseFileUrl(rest: string): ParsedPath[] {
  let path = rest.replace(/[?#].*$/s, '');
  let host = '';
  if (/^[\\/]{2}/.test(path)) {
    const end = path.slice(2).search(SEPARATOR);
    host = end < 0 ? path.slice(2) : path.slice(2, 2 + end);
    path = end < 0 ? '' : path.slice(2 + end);
  }
  path = decodePercents(path);
  host = decodePercents(host).toLowerCase();
  if (host !== '' && host !== 'localhost') return [uncPath(`${host}/${path}`)];
  const drive = /^[\\/]?([a-z])[:|](?=[\\/]|$)/i.exec(path);
  if (drive) return parsePlain(`${drive[1] as string}:${path.slice(drive[0].length)}`);
  if (path === '') return [{ start: { kind: 'absolute', anchor: POSIX }, segments: [] }];
  // Without a leading separator (`file:etc/passwd`) browsers still read an absolute path.
  return [{ start: { kind: 'absolute', anchor: POSIX }, segments: split(path) }];
}

// The non-empty parts between separators (either kind), read by char codes: as
// `text.split(/[\\/]+/).filter((s) => s !== '')`, without a regex split and a second array.
function split(text: string): string[] {
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (!isSeparator(text.charCodeAt(i))) continue;
    if (i > from) parts.push(text.slice(from, i));
    from = i + 1;
  }
  if (text.length > from) parts.push(text.slice(from));
  return parts;
}

/** An absolute path already parsed (a root, the cwd, the home folder, a realpath answer); undefined if it is not absolute. */
export function parseAbsolute(text: string): { anchor: Anchor; segments: string[] } | undefined {
  const [first] = parsePath(text);
  return first?.start.kind === 'absolute' ? { anchor: first.start.anchor, segments: first.segments } : undefined;
}
