/**
 * The `paths` detector: every string taken to be a path is resolved, in every spelling and
 * every reading, the way the server will resolve it, and checked against the roots, the
 * denied globs, the shipped sensitive files, and for `..` tricks. One finding per rule and
 * string: the first spelling that shows it.
 */
import { excerpt } from '../../evidence.js';
import { detached } from '../../quiet-strings.js';
import { anyEnough, NO_FINDINGS, type Detector, type Finding, type InspectContext, type InspectedString, type PathContext } from '../../types.js';
import { checksFor, type PathChecks } from './match.js';
import { parsePath, type ParsedPath } from './parse.js';
import { magicInText, PATH_MAX, walkKernel, type KernelPath, type Readlink } from './kernel.js';
import { baseFolder, isInside, relativeBases, renderPath, renderPathFrom, resolveLexically, resolveReal, startOf, type AbsolutePath, type ResolvedPath } from './resolve.js';
import { pathSpellings, type PathSpelling } from './spellings.js';
import { countDotDots, traversalReason } from './traversal.js';
import { toolWrites, writeTargetTest } from './write-targets.js';

/** The rule ids this detector reports, as declared in policies/rules/path-traversal.yaml. */
export const PATH_RULES = {
  traversal: 'path.traversal',
  outsideRoot: 'path.outside-root',
  denied: 'path.denied',
  sensitive: 'path.sensitive-file',
  writeTarget: 'path.write-target',
} as const;

type PathRuleId = (typeof PATH_RULES)[keyof typeof PATH_RULES];

const RULE_COUNT = Object.keys(PATH_RULES).length;
const MAX_SHOWN = 100;

const shown = (path: AbsolutePath) => {
  const text = renderPath(path);
  return text.length > MAX_SHOWN ? `…${text.slice(-MAX_SHOWN)}` : text;
};

/** Findings for one string, at most one per rule, in the order found (a short list: there are five rules). */
class Hits {
  private readonly found: Finding[] = [];
  constructor(private readonly s: InspectedString) {}

  has(rule: PathRuleId): boolean {
    for (const finding of this.found) if (finding.ruleId === rule) return true;
    return false;
  }

  get complete(): boolean {
    return this.found.length === RULE_COUNT;
  }

  get size(): number {
    return this.found.length;
  }

  add(rule: PathRuleId, spelling: PathSpelling, message: string): void {
    if (this.has(rule)) return;
    const { text, via } = spelling;
    // For `..` show where it starts; otherwise the end of the path, where the file is named.
    const at = rule === PATH_RULES.traversal ? Math.max(0, text.indexOf('..')) : Math.max(0, text.length - 60);
    const cut = excerpt(text, at, rule === PATH_RULES.traversal ? at + 2 : text.length);
    this.found.push({
      ruleId: rule,
      category: 'path-traversal',
      severity: 'high',
      path: this.s.path,
      evidence: via === 'raw' ? cut : `${cut} (after ${via})`,
      message,
    });
  }

  list(): Finding[] {
    return [...this.found];
  }
}

// Each file-system answer once per call: spellings and readings often ask about the same place.
// Most calls ask about one path: the first answer is held in two variables, a map made for a second.
function memoized<T extends (path: string) => string | null | undefined>(ask: T): T {
  let firstPath: string | undefined;
  let firstAnswer: ReturnType<T> | undefined;
  let answers: Map<string, ReturnType<T>> | undefined;
  return ((path: string) => {
    if (path === firstPath) return firstAnswer;
    if (answers !== undefined) {
      const known = answers.get(path);
      if (known !== undefined || answers.has(path)) return known;
    }
    const answer = ask(path) as ReturnType<T>;
    if (firstPath === undefined) {
      firstPath = path;
      firstAnswer = answer;
    } else (answers ??= new Map()).set(path, answer);
    return answer;
  }) as T;
}

/** The file-system windows of one call, each answer asked once. */
export interface PathLookups {
  realpath: PathContext['realpath'];
  /** Absent when the edge passed no readlink: the kernel's walk is then not made. */
  readlink?: Readlink;
  /** The roots as the kernel's walk resolves them (a root may itself hold a symlink). */
  realRoots: AbsolutePath[];
}

/** The lookups for one call's path context. */
export function lookupsFor(ctx: PathContext, checks: PathChecks): PathLookups {
  const realpath = memoized(ctx.realpath.bind(ctx));
  const readlink = ctx.readlink ? memoized(ctx.readlink.bind(ctx)) : undefined;
  const realRoots = readlink ? checks.roots.map((root) => walkKernel({ anchor: root.anchor, segments: [] }, root.segments, readlink).path) : [];
  return { realpath, readlink, realRoots };
}

function rootsInWords(ctx: PathContext): string {
  const listed = ctx.roots.slice(0, 3).join(', ');
  return ctx.roots.length > 3 ? `${listed}, …` : listed;
}

/** What the glob lists and roots say about one resolved path. */
interface Verdict {
  inside: boolean;
  deniedBy: string | undefined;
  sensitive: boolean;
}

/**
 * Verdicts by rendered path, for one call: the spellings of a path mostly land in the same
 * few places. Only paths the kept verdicts do not hold come here, so the map is made on the first.
 */
export class Verdicts {
  private map: Map<string, Verdict> | undefined;

  get(key: string): Verdict | undefined {
    return this.map?.get(key);
  }

  set(key: string, verdict: Verdict): void {
    (this.map ??= new Map()).set(key, verdict);
  }
}

function judge(path: AbsolutePath, checks: PathChecks, verdicts: Verdicts, key = renderPath(path)): Verdict {
  // A path the kept verdicts hold is looked up there alone: this call's map would only repeat it.
  if (keepable(key)) return keptVerdict(path, checks, key);
  let verdict = verdicts.get(key);
  if (!verdict) {
    verdict = readVerdict(path, checks);
    verdicts.set(key, verdict);
  }
  return verdict;
}

/** What the roots and glob lists say of one path, worked out afresh. */
export function readVerdict(path: AbsolutePath, checks: PathChecks): Verdict {
  const { deniedBy, sensitive } = checks.globVerdict(path);
  return { inside: checks.roots.some((root) => isInside(path, root)), deniedBy, sensitive };
}

// Verdicts kept from call to call, per compiled checks (checksFor keeps one per context): a
// verdict is the checks' answer on the path alone, and a session reads the same few folders.
const keptVerdicts = new WeakMap<PathChecks, KeptVerdicts>();

// A POSIX path's verdicts by its rendered text (renderPath: `/` and its parts joined by `/`;
// its parts hold no separator and none is empty, so no two paths share one); any other's by a
// key made of every field.
interface KeptVerdicts {
  posix: Map<string, Verdict>;
  other: Map<string, Verdict>;
}
const KEPT = 1024;
const KEPT_UP_TO = 1024;

// A path with a NUL of its own (or a long one) is not kept: this call's map holds its verdict.
const keepable = (rendered: string) => rendered.length <= KEPT_UP_TO && !rendered.includes('\0');

function keptVerdict(path: AbsolutePath, checks: PathChecks, rendered: string): Verdict {
  const { anchor, segments } = path;
  let all = keptVerdicts.get(checks);
  if (all === undefined) keptVerdicts.set(checks, (all = { posix: new Map(), other: new Map() }));
  let kept: Map<string, Verdict>;
  let key: string;
  if (anchor.type === 'posix') {
    kept = all.posix;
    key = rendered;
  } else {
    // Keyed by every field of the path, each part after a NUL, so no two paths share a key.
    const head = anchor.type === 'drive' ? `d\0${anchor.letter}` : anchor.type === 'device' ? `v\0${anchor.name}` : `u\0${anchor.host}\0${anchor.share}`;
    kept = all.other;
    key = segments.length === 0 ? head : `${head}\0${segments.join('\0')}`;
  }
  let verdict = kept.get(key);
  if (verdict === undefined) {
    verdict = Object.freeze(readVerdict(path, checks));
    if (kept.size >= KEPT) kept.clear();
    // (A copy of its own: a POSIX path's key is the text it was read from when that is its
    // rendering, and that text may be cut from a long one, a trimmed or NUL-cut spelling of an
    // argument of megabytes, or a value sliced out of its frame; another's is joined around its
    // parts, which hold on to what they were cut from. Kept, either would keep that alive.)
    kept.set(detached(key), verdict);
  }
  return verdict;
}

/** Forget the kept verdicts of some checks (tests compare kept verdicts with fresh ones). */
export function forgetVerdicts(checks: PathChecks): void {
  keptVerdicts.delete(checks);
}

const NEVER_ENOUGH = () => false;

/** All the findings for one path string. */
export function inspectPath(
  s: InspectedString,
  ctx: PathContext,
  checks: PathChecks,
  lookups: PathLookups | PathContext['realpath'],
  verdicts: Verdicts = new Verdicts(),
  enough: (finding: Finding) => boolean = NEVER_ENOUGH,
  writeTarget?: (path: string) => boolean,
): Finding[] {
  const { realpath, readlink, realRoots } = typeof lookups === 'function' ? { realpath: lookups, readlink: undefined, realRoots: [] } : lookups;
  const hits = new Hits(s);
  const rawCount = countDotDots(s.raw);
  for (const spelling of pathSpellings(s)) {
    for (const parsed of parsePath(spelling.text)) {
      if (!hits.has(PATH_RULES.traversal)) {
        const reason = traversalReason(parsed, rawCount, checks.headsForSystem);
        if (reason) hits.add(PATH_RULES.traversal, spelling, `Refused: the path climbs out of its folder with ".." (${reason}); give the file's own path inside the folders you may use, without "..".`);
      }
      // A relative path is read from the base folder and from the server's own working directory.
      for (const base of parsed.start.kind === 'relative' ? relativeBases(ctx) : [baseFolder(ctx)]) {
        const lexical = resolveLexically(parsed, ctx, base);
        if (!lexical) {
          // The base or home folder is not absolute: nothing shows the path is inside a root.
          if (checks.hasRoots) hits.add(PATH_RULES.outsideRoot, spelling, `Refused: the path cannot be resolved against the folders this server may use (${rootsInWords(ctx)}); use an absolute path inside them.`);
          continue;
        }
        // (Its text, for realpath and the verdicts, rendered once.)
        const lexicalText = renderPathFrom(lexical, spelling.text);
        const resolved = { lexical, real: resolveReal(lexical, realpath, lexicalText) };
        const walked = readlink !== undefined ? walkedPath(parsed, ctx, base, readlink) : undefined;
        judgeResolved(hits, spelling, ctx, checks, verdicts, resolved, lexicalText, walked, realRoots, writeTarget);
        if (hits.complete) return hits.list();
      }
    }
    // One finding that blocks the call is enough: the other spellings are not read.
    if (hits.size > 0 && hits.list().some(enough)) return hits.list();
  }
  return hits.list();
}

// Where the kernel's walk of one reading ends, from its start (made only when there is a readlink to walk with).
function walkedPath(parsed: ParsedPath, ctx: PathContext, base: string, readlink: Readlink): KernelPath | undefined {
  const start = startOf(parsed, ctx, base) as AbsolutePath;
  const parts = [...start.segments, ...parsed.segments];
  // A text longer than PATH_MAX is refused by the kernel as given: only a server that
  // collapses it first opens it, and the lexical readings cover that.
  if (parts.reduce((n, p) => n + p.length + 1, 0) > PATH_MAX) return undefined;
  return walkKernel({ anchor: start.anchor, segments: [] }, parts, readlink);
}

// The findings for one reading: lexical, realpath'd and kernel-walked resolutions each judged;
// the strictest verdict stands.
function judgeResolved(
  hits: Hits,
  spelling: PathSpelling,
  ctx: PathContext,
  checks: PathChecks,
  verdicts: Verdicts,
  resolved: ResolvedPath,
  lexicalText: string,
  walked: KernelPath | undefined,
  realRoots: AbsolutePath[],
  writeTarget?: (path: string) => boolean,
): void {
  const lexical = judge(resolved.lexical, checks, verdicts, lexicalText);
  // (Without symlinks the real path is the lexical one: the same verdict.)
  const real = resolved.real === resolved.lexical ? lexical : judge(resolved.real, checks, verdicts);
  const kernel = walked ? judge(walked.path, checks, verdicts) : undefined;
  if (checks.hasRoots && !hits.has(PATH_RULES.outsideRoot)) {
    if (!real.inside) {
      hits.add(PATH_RULES.outsideRoot, spelling, `Refused: the path resolves to ${shown(resolved.real)}, outside the folders this server may use (${rootsInWords(ctx)}); use a path inside them.`);
    } else if (walked?.failed !== undefined) {
      hits.add(PATH_RULES.outsideRoot, spelling, `Refused: the path cannot be resolved (${walked.failed}), so nothing shows it stays inside the folders this server may use (${rootsInWords(ctx)}).`);
    } else if (walked && kernel && !kernel.inside && !realRoots.some((root) => isInside(walked.path, root))) {
      hits.add(PATH_RULES.outsideRoot, spelling, `Refused: following its symlinks before "..", as the kernel does, the path leads to ${shown(walked.path)}, outside the folders this server may use (${rootsInWords(ctx)}); use a path inside them without "..".`);
    }
  }
  const glob = lexical.deniedBy ?? real.deniedBy ?? kernel?.deniedBy;
  if (glob !== undefined) hits.add(PATH_RULES.denied, spelling, `Refused: the path resolves to ${shown(walked?.path ?? resolved.real)}, which the policy denies (${glob}); leave it alone.`);
  const magic = walked?.magic ?? magicInText(resolved.lexical);
  if (magic !== undefined) {
    hits.add(PATH_RULES.sensitive, spelling, `Refused: the path goes through ${magic}, a per-process link through which any file can be reached; name the file itself.`);
  } else if (resolved.lexical.anchor.type === 'device') {
    hits.add(PATH_RULES.sensitive, spelling, `Refused: the path is in Windows' device namespace (${shown(resolved.lexical)}), which reaches raw disks, volumes and pipes around every folder check; use an ordinary path.`);
  } else if (lexical.sensitive || real.sensitive || kernel?.sensitive) {
    hits.add(PATH_RULES.sensitive, spelling, `Refused: the path resolves to ${shown(kernel?.sensitive ? (walked as KernelPath).path : resolved.real)}, a credentials or system file that tools may not read or write; do without it.`);
  }
  // Only for tools that write: reading ~/.bashrc or /etc/hosts is not planting anything.
  if (writeTarget && !hits.has(PATH_RULES.writeTarget)) {
    const target = [resolved.lexical, resolved.real, walked?.path].find((p) => p !== undefined && writeTarget(renderPath(p)));
    if (target) hits.add(PATH_RULES.writeTarget, spelling, `Refused: the path resolves to ${shown(target)}, where a written file runs later or changes how a program or an agent behaves (shell start-up files, autostart, cron, services, git hooks, agent and MCP client configs, system folders); no tool should write there: ask the user to make this change.`);
  }
}

/**
 * The `paths` code detector, for strings whose kinds include `path`. Relative paths resolve
 * against the first root when roots are configured, else against the working directory,
 * and against the server's own working directory when the edge says what it is.
 */
export const pathDetector: Detector = {
  category: 'path-traversal',
  ruleIds: Object.values(PATH_RULES),
  readsOnly: 'path',
  inspect(strings: readonly InspectedString[], ctx: InspectContext): readonly Finding[] {
    // Set up on the first path: most calls name none, and then nothing is compiled or looked up.
    let setup: { checks: PathChecks; lookups: PathLookups; verdicts: Verdicts; writeTarget: ((path: string) => boolean) | undefined } | undefined;
    // (Made on the first path: most calls have none.)
    let findings: Finding[] | undefined;
    for (const s of strings) {
      if (ctx.kindsOf(s).has('path')) {
        findings ??= [];
        if (setup === undefined) {
          const checks = checksFor(ctx.paths);
          setup = { checks, lookups: lookupsFor(ctx.paths, checks), verdicts: new Verdicts(), writeTarget: toolWrites(ctx.tool) ? writeTargetTest(ctx.paths.home) : undefined };
        }
        for (const f of inspectPath(s, ctx.paths, setup.checks, setup.lookups, setup.verdicts, ctx.enough, setup.writeTarget)) findings.push(f);
      }
      if (findings !== undefined && findings.length > 0 && anyEnough(findings, ctx.enough)) break;
    }
    return findings ?? NO_FINDINGS;
  },
};
