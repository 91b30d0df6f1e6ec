/**
 * The glob lists a resolved path is checked against: the shipped sensitive files, the
 * policy's denied globs, and the system locations a `..` may not head for. Compiled once per
 * context (the lists do not change between calls) and matched case-insensitively with
 * `dot: true`, on every form of the path a glob may be written for.
 */
import type { PathContext } from '../../types.js';
import { parseAbsolute } from './parse.js';
import { basenameTest, globTest, shippedGlobTest, type PathTest } from './glob-regex.js';
import { baseFolder, isInside, type AbsolutePath } from './resolve.js';
import { SENSITIVE_ABSOLUTE, SENSITIVE_ANYWHERE, SENSITIVE_IN_HOME, TRAVERSAL_TARGETS, type SensitiveEntry } from './sensitive.js';

/** A compiled policy glob with the glob as written, for messages. */
interface CompiledGlob {
  glob: string;
  test: PathTest;
}

/** Everything a path is checked against, compiled for one context. */
export interface PathChecks {
  roots: AbsolutePath[];
  hasRoots: boolean;
  /** The first denied glob a form of the path matches. */
  deniedBy(path: AbsolutePath): string | undefined;
  isSensitive(path: AbsolutePath): boolean;
  /** deniedBy and isSensitive together, the path's forms spelled out once for both. */
  globVerdict(path: AbsolutePath): { deniedBy: string | undefined; sensitive: boolean };
  /** True when the parts after a `..`, seen from `/`, name a system location or a sensitive file. */
  headsForSystem(tail: readonly string[]): boolean;
}

// Longer names and paths are refused by every file system (ENAMETOOLONG), so there is nothing to
// protect; and not matching them keeps a policy glob with many `*` from backtracking for long.
const NAME_MAX = 255;
const PATH_MAX = 4096;

/** How Windows opens a name, by the two replacements (the tests compare trimWindowsName with it). */
export const trimWindowsNameReadInFull = (name: string) => name.replace(/:(?::?\$data)?$/i, '').replace(/[. ]+$/, '') || name;

/**
 * Windows opens `SAM.`, `SAM ` and `SAM::$DATA` as `SAM`: names are also matched so trimmed.
 * A name that ends in none of `:`, `a`, `A`, `.` and ` ` (as most do) is its own trimmed form.
 */
export function trimWindowsName(name: string): string {
  const last = name.charCodeAt(name.length - 1);
  if (last !== 0x3a && last !== 0x61 && last !== 0x41 && last !== 0x2e && last !== 0x20) return name;
  return trimWindowsNameReadInFull(name);
}

/**
 * The forms a glob may be written for: `/a/b`; a drive path as `c:/a/b` and, drive removed,
 * `/a/b`; a UNC path as `//host/share/a`; and, inside the base folder, relative `a/b`. Each
 * also with names trimmed as Windows trims them, when that differs. None for a path no file
 * system would open.
 */
export function globForms(path: AbsolutePath, base: AbsolutePath | undefined): string[] {
  if (unopenable(path)) return [];
  const forms = formsOf(path, base);
  const trimmed = path.segments.map(trimWindowsName);
  if (trimmed.some((name, i) => name !== path.segments[i])) forms.push(...formsOf({ anchor: path.anchor, segments: trimmed }, base));
  return forms;
}

const unopenable = (path: AbsolutePath) => path.segments.some((s) => s.length > NAME_MAX) || path.segments.join('/').length > PATH_MAX;

/**
 * globForms(path, base) in two lists: `absolute`, the forms globForms(path, undefined) gives
 * (in its order), and `relative`, the forms inside `base` it adds.
 */
export function globFormsApart(path: AbsolutePath, base: AbsolutePath | undefined): { absolute: string[]; relative: string[] } {
  if (unopenable(path)) return { absolute: [], relative: [] };
  const absolute = absoluteFormsOf(path);
  const relative: string[] = [];
  const inBase = relativeFormOf(path, base);
  if (inBase !== undefined) relative.push(inBase);
  const trimmed = path.segments.map(trimWindowsName);
  if (trimmed.some((name, i) => name !== path.segments[i])) {
    const trimmedPath = { anchor: path.anchor, segments: trimmed };
    absolute.push(...absoluteFormsOf(trimmedPath));
    const trimmedInBase = relativeFormOf(trimmedPath, base);
    if (trimmedInBase !== undefined) relative.push(trimmedInBase);
  }
  return { absolute, relative };
}

function formsOf(path: AbsolutePath, base: AbsolutePath | undefined): string[] {
  const forms = absoluteFormsOf(path);
  const inBase = relativeFormOf(path, base);
  if (inBase !== undefined) forms.push(inBase);
  return forms;
}

function absoluteFormsOf(path: AbsolutePath): string[] {
  const { anchor, segments } = path;
  const tail = segments.join('/');
  // A device path is also matched without its device (`\\?\Volume{…}\Windows\…` is a drive's `\Windows\…`).
  return anchor.type === 'posix'
    ? [`/${tail}`]
    : anchor.type === 'drive'
      ? [`${anchor.letter}:/${tail}`, `/${tail}`]
      : anchor.type === 'device'
        ? [`//?/${anchor.name}/${tail}`, `/${tail}`]
        : [`//${anchor.host}/${anchor.share}/${tail}`];
}

// The path relative to the base folder, when it is below it.
function relativeFormOf(path: AbsolutePath, base: AbsolutePath | undefined): string | undefined {
  const { segments } = path;
  return base && isInside(path, base) && segments.length > base.segments.length ? segments.slice(base.segments.length).join('/') : undefined;
}

// A folder named in a glob may contain glob syntax (`C:\Users\Ann (work)`); it is meant literally.
const escapeGlob = (text: string) => text.replace(/[*?[\]{}()!+@\\]/g, (c) => `\\${c}`);

// A folder as a glob prefix: forward slashes, escaped; a Windows one also without its drive.
function folderGlobs(folder: string): string[] {
  const parsed = parseAbsolute(folder);
  if (!parsed) return [];
  return globForms(parsed, undefined).map((form) => escapeGlob(form.replace(/\/$/, '')));
}

function compileSensitive(home: string): (path: string) => boolean {
  // macOS: root's home is /var/root (/private/var/root).
  const homes = [...folderGlobs(home), '/root', '/home/*', '/users/*', '/var/root', '/private/var/root'];
  const entries: SensitiveEntry[] = [
    ...SENSITIVE_IN_HOME.flatMap((entry) => homes.map((h) => ({ ...entry, glob: `${h}/${entry.glob.slice(2)}` }))),
    ...SENSITIVE_ABSOLUTE,
    ...SENSITIVE_ANYWHERE,
  ];
  const plain = shippedGlobTest(entries.filter((e) => !e.except).map((e) => e.glob));
  const withExceptions = entries.filter((e) => e.except).map((e) => {
    const test = shippedGlobTest([e.glob]);
    const except = shippedGlobTest(e.except ?? []);
    return (path: string) => test(path) && !except(path.slice(path.lastIndexOf('/') + 1));
  });
  return (path) => plain(path) || withExceptions.some((test) => test(path));
}

/**
 * A policy glob made matchable: `~` expanded; a Windows one with `/`; one without any `/`
 * matched against the file name alone (`*.pem` anywhere), as a gitignore line is.
 */
function compileDeny(glob: string, home: string): CompiledGlob[] {
  let pattern = glob;
  if (/^[a-z]:\\|^\\\\/i.test(pattern)) pattern = pattern.replace(/\\/g, '/');
  if (pattern === '~' || pattern.startsWith('~/')) return folderGlobs(home).map((h) => ({ glob, test: globTest(`${h}${pattern.slice(1)}`) }));
  return [{ glob, test: pattern.includes('/') ? globTest(pattern) : basenameTest(pattern) }];
}

/** Compile the checks for one path context. */
export function compileChecks(ctx: PathContext): PathChecks {
  const base = parseAbsolute(baseFolder(ctx));
  const roots = ctx.roots.map(parseAbsolute).filter((r): r is AbsolutePath => r !== undefined);
  const deny = ctx.deny.flatMap((glob) => compileDeny(glob, ctx.home));
  const sensitive = compileSensitive(ctx.home);
  const targets = shippedGlobTest(TRAVERSAL_TARGETS);
  return {
    roots,
    hasRoots: ctx.roots.length > 0,
    deniedBy(path) {
      // No denied glob: nothing to spell the path out for.
      if (deny.length === 0) return undefined;
      const forms = globForms(path, base);
      return deny.find((d) => forms.some((form) => d.test(form)))?.glob;
    },
    isSensitive(path) {
      const forms = globForms(path, undefined);
      return forms.some(sensitive);
    },
    globVerdict(path) {
      const { absolute, relative } = globFormsApart(path, deny.length === 0 ? undefined : base);
      const denied = deny.length === 0 ? undefined : deny.find((d) => absolute.some((form) => d.test(form)) || relative.some((form) => d.test(form)))?.glob;
      return { deniedBy: denied, sensitive: absolute.some(sensitive) };
    },
    headsForSystem(tail) {
      const forms = globForms({ anchor: { type: 'posix' }, segments: [...tail] }, undefined);
      return forms.some((form) => targets(form) || sensitive(form));
    },
  };
}

// Keyed by content, not identity, so a context rebuilt per call still compiles once.
const cache = new Map<string, PathChecks>();
const CACHE_SIZE = 8;

// The last context seen and what its key was built from: a session passes the same context
// on every call, and comparing its few strings is cheaper than building the key again.
let last: { ctx: PathContext; roots: string[]; deny: string[]; cwd: string; home: string; checks: PathChecks } | undefined;

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The checks for a context, compiled on first use and kept for the next calls. */
export function checksFor(ctx: PathContext): PathChecks {
  // (Compared by content too: a context whose lists were changed in place is compiled anew.)
  if (last !== undefined && last.ctx === ctx && last.cwd === ctx.cwd && last.home === ctx.home && sameList(last.roots, ctx.roots) && sameList(last.deny, ctx.deny)) return last.checks;
  const checks = checksByKey(ctx);
  last = { ctx, roots: [...ctx.roots], deny: [...ctx.deny], cwd: ctx.cwd, home: ctx.home, checks };
  return checks;
}

function checksByKey(ctx: PathContext): PathChecks {
  const key = JSON.stringify([ctx.roots, ctx.deny, ctx.cwd, ctx.home]);
  let checks = cache.get(key);
  if (!checks) {
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(key, (checks = compileChecks(ctx)));
  }
  return checks;
}
