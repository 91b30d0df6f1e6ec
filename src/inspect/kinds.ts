/**
 * What each argument string is taken to be: a path, a URL, a command, SQL, or just text.
 * In order of trust: the policy's own word for the argument, the tool's input schema,
 * the argument's name, the value's shape. Every string is also text.
 */
import { sqlHead } from './detectors/sql/lead.js';
import { addressAsData, isPlainAddress, LOOKED_UP_ADDRESS, type SchemaHint } from './looked-up-address.js';
import type { ArgumentKind, InspectedString } from './types.js';
import { detached } from './quiet-strings.js';

const PATH_NAME = /(?:^|[_-])(?:path|paths|file|files|filename|filepath|filenames|dir|dirs|directory|directories|folder|folders|source|destination|dest|src|target|cwd|root|location)$/i;
const PATH_CAMEL = /(?:Path|Paths|File|Files|Dir|Directory|Folder)$/;
const URL_NAME = /(?:^|[_-])(?:url|urls|uri|uris|href|link|links|endpoint|webhook|website|homepage|host|hostname|domain|server|address|proxy|callback)$/i;
const URL_CAMEL = /(?:Url|Uri|Href|Endpoint|Webhook|Host|Hostname)$/;
const COMMAND_NAME = /^(?:command|commands|cmd|cmdline|command_line|commandline|script|shell|exec|run|bash|sh|powershell)$/i;
const SQL_NAME = /^(?:sql|query|statement|stmt|sql_query|sqlquery|querystring)$/i;
const SQL_START = /^(?:select|insert|update|delete|with|create|drop|alter|truncate|grant|revoke|replace|merge|exec|execute|call|show|describe|explain|pragma|begin|set|values|declare|vacuum|attach\s+database|load\s+(?:data|xml)|do\s+sleep|prepare\s+\w+\s*(?:\([^)]{0,200}\)\s*)?(?:as|from)|copy\s+[\w."]+\s*(?:\([^)]{0,200}\)\s*)?(?:to|from))\b/i;
/** The start of a path (pathShaped reads first characters before it). */
export const PATH_SHAPE = /^(?:~[\\/]|~$|\.{1,2}[\\/]|\/|[a-z]:[\\/]|\\\\|file:)/i;
/** The start of a URL (urlShaped reads first characters before it). */
export const URL_SHAPE = /^[a-z][a-z0-9+.-]{1,30}:\/\//i;

/** Whether `raw` starts the way a path does (PATH_SHAPE), its first characters read before the expression runs. */
export function pathShaped(raw: string): boolean {
  // Every match starts with one of ~ . / \, with a letter and a colon (a drive), or with f (file:).
  const c = raw.charCodeAt(0);
  const mayMatch = c === 0x7e || c === 0x2e || c === 0x2f || c === 0x5c || c === 0x66 || c === 0x46 || (isAsciiLetter(c) && raw.charCodeAt(1) === 0x3a);
  return mayMatch && PATH_SHAPE.test(raw);
}

/** Whether `raw` starts the way a URL does (URL_SHAPE), its first characters read before the expression runs. */
export function urlShaped(raw: string): boolean {
  // Every match is a letter, then scheme characters up to a colon at 2 to 31, then two slashes.
  if (!isAsciiLetter(raw.charCodeAt(0))) return false;
  const end = Math.min(raw.length, 32);
  for (let i = 1; i < end; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x3a) return i >= 2 && URL_SHAPE.test(raw);
    if (!(isAsciiLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2e || c === 0x2d)) return false;
  }
  return false;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

/** What the policy and the tool's schema say, per argument name (the nearest key). */
export interface KindHints {
  /** From the policy: argument name → kinds; overrides everything else. */
  byPolicy?: ReadonlyMap<string, ReadonlySet<ArgumentKind>>;
  /** From the tool's input schema: property name → kinds (or that it holds an address the tool looks up). */
  bySchema?: ReadonlyMap<string, ReadonlySet<SchemaHint>>;
}

/** The kinds of one string. */
export function kindsOf(s: InspectedString, hints: KindHints = {}): ReadonlySet<ArgumentKind> {
  const key = s.key;
  const fromPolicy = key === undefined ? undefined : hints.byPolicy?.get(key);
  if (fromPolicy) return withText(fromPolicy);
  if (s.isKey) return KINDS_BY_BITS[0] as ReadonlySet<ArgumentKind>;
  const fromSchema = key === undefined ? undefined : hints.bySchema?.get(key);
  if (fromSchema) return kindsWithSchema(s, key as string, fromSchema);
  // Without a schema's word the kinds are one of a few sets, always in the same order (text,
  // path, url, command, sql): the shared set for them is returned, none is built per string.
  const named = key === undefined ? 0 : nameBits(key);
  let bits = named & (PATH | URL | COMMAND);
  if ((named & SQL_BY_NAME) !== 0 && SQL_START.test(sqlHead(s.raw, 256))) bits |= SQL;
  if (bits === 0) {
    if (pathShaped(s.raw)) bits |= PATH;
    if (urlShaped(s.raw)) bits |= URL;
  }
  return KINDS_BY_BITS[bits] as ReadonlySet<ArgumentKind>;
}

// The kinds an argument's name gives, as bits; SQL_BY_NAME is only a name that may hold SQL
// (the value's first keyword decides).
const PATH = 1;
const URL = 2;
const COMMAND = 4;
const SQL = 8;
const SQL_BY_NAME = 16;
const BIT_KINDS: readonly (readonly [number, ArgumentKind])[] = [[PATH, 'path'], [URL, 'url'], [COMMAND, 'command'], [SQL, 'sql']];
const KINDS_BY_BITS: readonly ReadonlySet<ArgumentKind>[] = Array.from({ length: 16 }, (_, bits) => new Set<ArgumentKind>(['text', ...BIT_KINDS.filter(([bit]) => (bits & bit) !== 0).map(([, kind]) => kind)]));
const SHARED_KINDS: ReadonlySet<ReadonlySet<ArgumentKind>> = new Set(KINDS_BY_BITS);

/** The few sets kindsOf shares between strings (see isSharedKinds), each once. */
export function sharedKindSets(): readonly ReadonlySet<ArgumentKind>[] {
  return KINDS_BY_BITS;
}

/**
 * Whether `kinds` is one of the few sets kindsOf shares between strings (every answer without
 * a word from the policy or the schema): a set that comes back call after call, unlike the
 * sets built per string, so what is kept per set of kinds (RuleIndex.quietKeys) is found again.
 */
export function isSharedKinds(kinds: ReadonlySet<ArgumentKind>): boolean {
  // (The last shared set asked about first: the strings of a call mostly share one.)
  if (kinds === lastShared) return true;
  if (!SHARED_KINDS.has(kinds)) return false;
  lastShared = kinds;
  return true;
}

// The shared set isSharedKinds last said yes to.
let lastShared: ReadonlySet<ArgumentKind> | undefined;

// Names already read: a session sends the same few argument names again and again.
const bitsOfName = new Map<string, number>();
const NAMES_KEPT = 1024;
const NAME_KEPT_UP_TO = 256;

function nameBits(key: string): number {
  let bits = bitsOfName.get(key);
  if (bits === undefined) {
    bits = readNameBits(key);
    if (key.length <= NAME_KEPT_UP_TO) {
      if (bitsOfName.size >= NAMES_KEPT) bitsOfName.clear();
      // Kept as a copy of its own: a key cut from a longer text would keep that text alive.
      bitsOfName.set(detached(key), bits);
    }
  }
  return bits;
}

function readNameBits(key: string): number {
  let bits = 0;
  if (PATH_NAME.test(key) || PATH_CAMEL.test(key)) bits |= PATH;
  if (URL_NAME.test(key) || URL_CAMEL.test(key)) bits |= URL;
  if (COMMAND_NAME.test(key)) bits |= COMMAND;
  if (SQL_NAME.test(key)) bits |= SQL_BY_NAME;
  return bits;
}

// The kinds when the tool's schema speaks for the argument (a set built for the string).
function kindsWithSchema(s: InspectedString, key: string, fromSchema: ReadonlySet<SchemaHint>): ReadonlySet<ArgumentKind> {
  const kinds = new Set<ArgumentKind>(['text']);
  // An address the tool looks up (see looked-up-address.ts) is data; its name says nothing of where the server goes.
  if (fromSchema.has(LOOKED_UP_ADDRESS) && isPlainAddress(s.raw)) return addressAsData();
  for (const kind of fromSchema) if (kind !== LOOKED_UP_ADDRESS) kinds.add(kind);
  if (PATH_NAME.test(key) || PATH_CAMEL.test(key)) kinds.add('path');
  if (URL_NAME.test(key) || URL_CAMEL.test(key)) kinds.add('url');
  if (COMMAND_NAME.test(key)) kinds.add('command');
  // Comments, `;`, `(` and blank lines before the first keyword hide nothing from a database.
  if (SQL_NAME.test(key) && SQL_START.test(sqlHead(s.raw, 256))) kinds.add('sql');
  // Shape only speaks for strings nothing else has named: a command line that starts with
  // an executable's path is a command, not a path argument.
  const named = kinds.has('command') || kinds.has('sql') || kinds.has('url') || kinds.has('path');
  if (!named && pathShaped(s.raw)) kinds.add('path');
  if (!named && urlShaped(s.raw)) kinds.add('url');
  return kinds;
}

/** The kinds of one string as read in full, a set built each time (the tests compare kindsOf with it). */
export function kindsReadInFull(s: InspectedString, hints: KindHints = {}): ReadonlySet<ArgumentKind> {
  const key = s.key;
  const fromPolicy = key === undefined ? undefined : hints.byPolicy?.get(key);
  if (fromPolicy) return withText(fromPolicy);
  if (s.isKey) return new Set<ArgumentKind>(['text']);
  return kindsWithSchema(s, key ?? '', key === undefined ? new Set() : (hints.bySchema?.get(key) ?? new Set()));
}

function withText(kinds: ReadonlySet<ArgumentKind>): ReadonlySet<ArgumentKind> {
  return kinds.has('text') ? kinds : new Set([...kinds, 'text']);
}

/** Kinds a JSON Schema property suggests: `format: uri`, or a description that names it. */
export function schemaKinds(property: unknown): Set<ArgumentKind> {
  const kinds = new Set<ArgumentKind>();
  if (typeof property !== 'object' || property === null) return kinds;
  const { format, description } = property as { format?: unknown; description?: unknown };
  if (format === 'uri' || format === 'url' || format === 'uri-reference' || format === 'iri') kinds.add('url');
  if (typeof description === 'string') {
    const d = description.toLowerCase();
    if (/\b(?:file|directory|folder) path\b|\bpath to\b|\bpath of\b/.test(d)) kinds.add('path');
    if (/\burl\b|\buri\b|\bendpoint\b/.test(d)) kinds.add('url');
    if (/\bshell command\b|\bcommand line\b|\bcommand to run\b/.test(d)) kinds.add('command');
    if (/\bsql\b/.test(d)) kinds.add('sql');
  }
  return kinds;
}
