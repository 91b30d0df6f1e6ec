/**
 * What each argument string is taken to be: a path, a URL, a command, SQL, or just text.
 * In order of trust: the policy's own word for the argument, the tool's input schema,
 * the argument's name, the value's shape. Every string is also text.
 */
import { sqlHead } from './detectors/sql/lead.js';
import { addressAsData, isPlainAddress, LOOKED_UP_ADDRESS, type SchemaHint } from './looked-up-address.js';
import type { ArgumentKind, InspectedString } from './types.js';

const PATH_NAME = /(?:^|[_-])(?:path|paths|file|files|filename|filepath|filenames|dir|dirs|directory|directories|folder|folders|source|destination|dest|src|target|cwd|root|location)$/i;
const PATH_CAMEL = /(?:Path|Paths|File|Files|Dir|Directory|Folder)$/;
const URL_NAME = /(?:^|[_-])(?:url|urls|uri|uris|href|link|links|endpoint|webhook|website|homepage|host|hostname|domain|server|address|proxy|callback)$/i;
const URL_CAMEL = /(?:Url|Uri|Href|Endpoint|Webhook|Host|Hostname)$/;
const COMMAND_NAME = /^(?:command|commands|cmd|cmdline|command_line|commandline|script|shell|exec|run|bash|sh|powershell)$/i;
const SQL_NAME = /^(?:sql|query|statement|stmt|sql_query|sqlquery|querystring)$/i;
const SQL_START = /^(?:select|insert|update|delete|with|create|drop|alter|truncate|grant|revoke|replace|merge|exec|execute|call|show|describe|explain|pragma|begin|set|values|declare|vacuum|attach\s+database|load\s+(?:data|xml)|do\s+sleep|prepare\s+\w+\s*(?:\([^)]{0,200}\)\s*)?(?:as|from)|copy\s+[\w."]+\s*(?:\([^)]{0,200}\)\s*)?(?:to|from))\b/i;
const PATH_SHAPE = /^(?:~[\\/]|~$|\.{1,2}[\\/]|\/|[a-z]:[\\/]|\\\\|file:)/i;
const URL_SHAPE = /^[a-z][a-z0-9+.-]{1,30}:\/\//i;

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
  const kinds = new Set<ArgumentKind>(['text']);
  if (s.isKey) return kinds;
  const fromSchema = key === undefined ? undefined : hints.bySchema?.get(key);
  // An address the tool looks up (see looked-up-address.ts) is data; its name says nothing of where the server goes.
  if (fromSchema?.has(LOOKED_UP_ADDRESS) && isPlainAddress(s.raw)) return addressAsData();
  if (fromSchema) for (const kind of fromSchema) if (kind !== LOOKED_UP_ADDRESS) kinds.add(kind);
  if (key !== undefined) {
    if (PATH_NAME.test(key) || PATH_CAMEL.test(key)) kinds.add('path');
    if (URL_NAME.test(key) || URL_CAMEL.test(key)) kinds.add('url');
    if (COMMAND_NAME.test(key)) kinds.add('command');
    // Comments, `;`, `(` and blank lines before the first keyword hide nothing from a database.
    if (SQL_NAME.test(key) && SQL_START.test(sqlHead(s.raw, 256))) kinds.add('sql');
  }
  // Shape only speaks for strings nothing else has named: a command line that starts with
  // an executable's path is a command, not a path argument.
  const named = kinds.has('command') || kinds.has('sql') || kinds.has('url') || kinds.has('path');
  if (!named && PATH_SHAPE.test(s.raw)) kinds.add('path');
  if (!named && URL_SHAPE.test(s.raw)) kinds.add('url');
  return kinds;
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
