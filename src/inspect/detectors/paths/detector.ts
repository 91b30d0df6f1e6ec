/**
 * The `paths` detector: every string taken to be a path is resolved, in every spelling and
 * every reading, the way the server will resolve it, and checked against the roots, the
 * denied globs, the shipped sensitive files, and for `..` tricks. One finding per rule and
 * string: the first spelling that shows it.
 */
import { excerpt } from '../../evidence.js';
import type { Detector, Finding, InspectContext, InspectedString, PathContext } from '../../types.js';
import { checksFor, type PathChecks } from './match.js';
import { parsePath } from './parse.js';
import { isInside, renderPath, resolvePath, type AbsolutePath } from './resolve.js';
import { pathSpellings, type PathSpelling } from './spellings.js';
import { countDotDots, traversalReason } from './traversal.js';

/** The rule ids this detector reports, as declared in policies/rules/path-traversal.yaml. */
export const PATH_RULES = {
  traversal: 'path.traversal',
  outsideRoot: 'path.outside-root',
  denied: 'path.denied',
  sensitive: 'path.sensitive-file',
} as const;

type PathRuleId = (typeof PATH_RULES)[keyof typeof PATH_RULES];

const RULE_COUNT = Object.keys(PATH_RULES).length;
const MAX_SHOWN = 100;

const shown = (path: AbsolutePath) => {
  const text = renderPath(path);
  return text.length > MAX_SHOWN ? `…${text.slice(-MAX_SHOWN)}` : text;
};

/** Findings for one string, at most one per rule. */
class Hits {
  private readonly found = new Map<PathRuleId, Finding>();
  constructor(private readonly s: InspectedString) {}

  has(rule: PathRuleId): boolean {
    return this.found.has(rule);
  }

  get complete(): boolean {
    return this.found.size === RULE_COUNT;
  }

  get size(): number {
    return this.found.size;
  }

  add(rule: PathRuleId, spelling: PathSpelling, message: string): void {
    if (this.found.has(rule)) return;
    const { text, via } = spelling;
    // For `..` show where it starts; otherwise the end of the path, where the file is named.
    const at = rule === PATH_RULES.traversal ? Math.max(0, text.indexOf('..')) : Math.max(0, text.length - 60);
    const cut = excerpt(text, at, rule === PATH_RULES.traversal ? at + 2 : text.length);
    this.found.set(rule, {
      ruleId: rule,
      category: 'path-traversal',
      severity: 'high',
      path: this.s.path,
      evidence: via === 'raw' ? cut : `${cut} (after ${via})`,
      message,
    });
  }

  list(): Finding[] {
    return [...this.found.values()];
  }
}

// Each realpath answer once per call: spellings and readings often resolve to the same place.
function memoized(ctx: PathContext): PathContext['realpath'] {
  const answers = new Map<string, string | undefined>();
  return (path) => {
    if (answers.has(path)) return answers.get(path);
    const answer = ctx.realpath(path);
    answers.set(path, answer);
    return answer;
  };
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

/** Verdicts by rendered path, for one call: the spellings of a path mostly land in the same few places. */
export type Verdicts = Map<string, Verdict>;

function judge(path: AbsolutePath, checks: PathChecks, verdicts: Verdicts): Verdict {
  const key = renderPath(path);
  let verdict = verdicts.get(key);
  if (!verdict) {
    verdict = { inside: checks.roots.some((root) => isInside(path, root)), deniedBy: checks.deniedBy(path), sensitive: checks.isSensitive(path) };
    verdicts.set(key, verdict);
  }
  return verdict;
}

/** All the findings for one path string. */
export function inspectPath(
  s: InspectedString,
  ctx: PathContext,
  checks: PathChecks,
  realpath: PathContext['realpath'],
  verdicts: Verdicts = new Map(),
  enough: (finding: Finding) => boolean = () => false,
): Finding[] {
  const hits = new Hits(s);
  const rawCount = countDotDots(s.raw);
  for (const spelling of pathSpellings(s)) {
    for (const parsed of parsePath(spelling.text)) {
      if (!hits.has(PATH_RULES.traversal)) {
        const reason = traversalReason(parsed, rawCount, checks.headsForSystem);
        if (reason) hits.add(PATH_RULES.traversal, spelling, `Refused: the path climbs out of its folder with ".." (${reason}); give the file's own path inside the folders you may use, without "..".`);
      }
      const resolved = resolvePath(parsed, ctx, realpath);
      if (!resolved) {
        // The base or home folder is not absolute: nothing shows the path is inside a root.
        if (checks.hasRoots) hits.add(PATH_RULES.outsideRoot, spelling, `Refused: the path cannot be resolved against the folders this server may use (${rootsInWords(ctx)}); use an absolute path inside them.`);
        continue;
      }
      const lexical = judge(resolved.lexical, checks, verdicts);
      const real = judge(resolved.real, checks, verdicts);
      if (checks.hasRoots && !hits.has(PATH_RULES.outsideRoot) && !real.inside) {
        hits.add(PATH_RULES.outsideRoot, spelling, `Refused: the path resolves to ${shown(resolved.real)}, outside the folders this server may use (${rootsInWords(ctx)}); use a path inside them.`);
      }
      const glob = lexical.deniedBy ?? real.deniedBy;
      if (glob !== undefined) hits.add(PATH_RULES.denied, spelling, `Refused: the path resolves to ${shown(resolved.real)}, which the policy denies (${glob}); leave it alone.`);
      if (lexical.sensitive || real.sensitive) {
        hits.add(PATH_RULES.sensitive, spelling, `Refused: the path resolves to ${shown(resolved.real)}, a credentials or system file that tools may not read or write; do without it.`);
      }
      if (hits.complete) return hits.list();
    }
    // One finding that blocks the call is enough: the other spellings are not read.
    if (hits.size > 0 && hits.list().some(enough)) return hits.list();
  }
  return hits.list();
}

/**
 * The `paths` code detector, for strings whose kinds include `path`. Relative paths resolve
 * against the first root when roots are configured, else against the working directory.
 */
export const pathDetector: Detector = {
  category: 'path-traversal',
  ruleIds: Object.values(PATH_RULES),
  inspect(strings: readonly InspectedString[], ctx: InspectContext): Finding[] {
    const checks = checksFor(ctx.paths);
    const realpath = memoized(ctx.paths);
    const verdicts: Verdicts = new Map();
    const findings: Finding[] = [];
    for (const s of strings) {
      if (ctx.kindsOf(s).has('path')) findings.push(...inspectPath(s, ctx.paths, checks, realpath, verdicts, ctx.enough));
      if (ctx.enough && findings.some(ctx.enough)) break;
    }
    return findings;
  },
};
