/**
 * Tool definitions (and server instructions) that scanned clean, kept per user between starts.
 *
 * Every client asks for the server's tools as soon as it has initialized, and a server lists
 * the same definitions at every start. Scanned cold, they cost the first tools/list answer
 * 100-200 ms (reading the rule packs, compiling every pattern that runs), and instructions cost
 * the initialize answer the same. A text in this set was scanned under the same build, policy,
 * working folder and home, and gave no finding and matched no steering rule; the scan then only
 * judges it against the listing it came in (inspect/build.ts, judgeCleanDefinition), which is
 * what a scan would give it (test/config/clean-definitions.test.ts compares the two).
 *
 * - The texts are kept whole and compared whole, never by a digest: a server writes its own
 *   definitions, and a crafted text must not stand for one that scanned clean. The text is the
 *   strict JSON the scan keys its own cache by (inspect/build.ts, definitionKey), in which a
 *   number and a string of its digits differ.
 * - The key is the build, the shipped packs' bytes as they are now (a damaged install is read,
 *   and fails closed, as without the set), Node's version with its ICU and Unicode data, the
 *   effective policy, the working folder, the home and the platform; the file's name comes from it and the file holds it.
 *   A policy with rule packs of its own does not use the set (cli/commands/start.ts): their
 *   files are not part of the key.
 * - The file is trusted as the other caches are (cache-files.ts): ours, private, bounded, its
 *   body checked with CRC-32. Whoever could write it could as well write the code cache, which
 *   V8 runs. Anything else (damaged, foreign, another key) reads as an empty set.
 * - New texts are written on a timer, off the path of the answer that found them (and at the
 *   latest when the process leaves), merged with
 *   what the file holds by then: two shims of one policy each add theirs, and should one lose
 *   the other's last texts, those are only scanned again. The set keeps its newest
 *   MAX_TEXTS texts and MAX_CHARS characters.
 */
import path from 'node:path';
import { crc32Hex, entryName } from '../util/crc32.js';
import { pruneCacheFolder, readPrivateFile, writePrivateFile } from './cache-files.js';
import { parseJson } from '../protocol/escaped-keys.js';

/** The set a session reads and adds to. */
export interface CleanDefinitions {
  has(text: string): boolean;
  add(text: string): void;
  /** Write now what is waiting for the scheduled write (the process is leaving). */
  flush(): void;
}

const FORMAT = 'vanguard-clean-definitions-1';
/** The newest texts kept, and their characters. */
export const MAX_TEXTS = 2048;
export const MAX_CHARS = 4 * 1024 * 1024;
/** A longer text is scanned at every start. */
export const MAX_TEXT_CHARS = 256 * 1024;
/** A larger file is not read (a character can take 4 bytes: escaped once in the body, again in the file). */
const MAX_ENTRY_BYTES = 4 * MAX_CHARS + 1024 * 1024;
/** One file per policy, folder and build in use. */
const KEEP_ENTRIES = 64;

/** What the key is made of; see the file comment. */
export interface CleanDefinitionsKey {
  build: string;
  /** Node's version, ICU and Unicode data: the scan folds and classifies characters with them. */
  node: string;
  /** The shipped packs' bytes as read at this start (rules/shipped.ts, shippedPacksFingerprint). */
  packs: string;
  policy: unknown;
  cwd: string;
  home: string;
}

/** The set kept in `dir` for `key`: read when first asked, written after it grows (`schedule` runs the write later, off the answer's path). */
export function cleanDefinitionsIn(dir: string, key: CleanDefinitionsKey, schedule: (write: () => void) => void): CleanDefinitions {
  const keyText = JSON.stringify({ format: FORMAT, ...key, platform: process.platform });
  const file = path.join(dir, `${entryName(keyText)}.json`);
  let texts: Set<string> | undefined;
  const added: string[] = [];
  let pending = false;
  const loaded = (): Set<string> => (texts ??= new Set(readTexts(file, keyText)));
  const write = (): void => {
    if (!pending) return;
    pending = false;
    // What the file holds now (another shim may have written since), then this session's.
    const all = new Set(readTexts(file, keyText));
    for (const text of added.splice(0)) {
      all.delete(text);
      all.add(text);
    }
    writeTexts(file, keyText, newest([...all]));
  };
  return {
    has: (text) => loaded().has(text),
    add(text) {
      if (text.length > MAX_TEXT_CHARS || loaded().has(text)) return;
      texts!.add(text);
      added.push(text);
      if (!pending) {
        pending = true;
        schedule(write);
      }
    },
    flush: write,
  };
}

// The newest texts within the bounds (the list is oldest first).
function newest(list: string[]): string[] {
  let chars = 0;
  let from = list.length;
  while (from > 0 && list.length - from < MAX_TEXTS && chars + list[from - 1]!.length <= MAX_CHARS) chars += list[--from]!.length;
  return list.slice(from);
}

function readTexts(file: string, keyText: string): string[] {
  const bytes = readPrivateFile(file, MAX_ENTRY_BYTES);
  if (bytes === undefined) return [];
  try {
    const entry = JSON.parse(bytes.toString('utf8')) as { format?: unknown; key?: unknown; digest?: unknown; body?: unknown };
    if (entry.format !== FORMAT || entry.key !== keyText || typeof entry.body !== 'string' || entry.digest !== crc32Hex(entry.body)) return [];
    const body = parseJson(entry.body) as { texts?: unknown };
    if (!Array.isArray(body.texts) || !body.texts.every((t) => typeof t === 'string' && t.length <= MAX_TEXT_CHARS)) return [];
    return body.texts as string[];
  } catch {
    return [];
  }
}

function writeTexts(file: string, keyText: string, texts: string[]): void {
  const body = JSON.stringify({ texts });
  if (writePrivateFile(file, JSON.stringify({ format: FORMAT, key: keyText, digest: crc32Hex(body), body }))) pruneCacheFolder(path.dirname(file), '.json', KEEP_ENTRIES);
}
