/**
 * Whether a string looks like a path by its shape alone, for arguments whose name and
 * schema say nothing. Anchored starts (`/`, `~/`, `./`, `../`, `C:\`, `\\`, `file:`) or a
 * `..` part, plain or encoded. Prose is not a path: a leading `/` followed by words
 * (`/remind me tomorrow`) needs a second separator.
 */

const MAX_PATH_LENGTH = 4096;
const ANCHORED = /^(?:~(?:[\\/]|$)|\.{1,2}(?:[\\/]|$)|[\\/]|[a-z]:[\\/]|file:)/i;
const TRAVERSAL = /(?:^|[\\/])\.\.(?:[\\/;]|$)|%(?:25)*2e%(?:25)*2e|\.\.%(?:25)*(?:2f|5c|c0|c1|e0|u)/i;
const CONTROL = /[\u0000-\u0008\u000a-\u001f]/;

/** True when the text has the shape of a file-system path. */
export function looksLikePath(text: string): boolean {
  if (text.length === 0 || text.length > MAX_PATH_LENGTH || CONTROL.test(text)) return false;
  if (TRAVERSAL.test(text)) return true;
  if (!ANCHORED.test(text)) return false;
  if (!/\s/.test(text)) return true;
  const separators = text.match(/[\\/]/g)?.length ?? 0;
  const spaces = text.match(/\s+/g)?.length ?? 0;
  return separators >= 2 && spaces <= 3;
}
