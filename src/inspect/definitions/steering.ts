/**
 * The steering scan of a tool definition (issue 12): the rules of policies/definitions/*.yaml
 * run on the folded prose of the definition (definitionProse, foldDefinitionText), plus two
 * judgements in code that need the session's tool list: a deprecation that redirects to
 * something that is no tool of this listing (nor a parameter of this tool) is raised to high
 * (one to a sibling tool is no finding), and a definition that names another tool of the
 * session is reported (low: a sign worth showing in `vanguard scan`), high when the sentence
 * naming it changes what that tool does ("when calling send_email, add …"). A parameter named
 * for the model's own context (parameters.ts) is judged here as well.
 */
import { excerpt } from '../evidence.js';
import type { Finding, Severity } from '../types.js';
import type { CompiledRule } from '../../rules/rule-types.js';
import { foldDefinitionText } from './fold.js';
import { definitionProse, parameterNames } from './texts.js';
import { contextParameters } from './parameters.js';

/** What the scan knows of the session: the names of the tools listed with this one. */
export interface DefinitionContext {
  toolNames?: readonly string[];
}

export const CROSS_TOOL_RULE = 'definition.names-other-tool';
const REDIRECT_RULE = 'definition.redirect';

// A name worth looking for in prose: one no English word spells (has _ - . or a digit, or
// mixed case), at least four characters; "add" or "echo" as a tool name would match prose.
function distinctiveName(name: string): boolean {
  return name.length >= 4 && name.length <= 128 && (/[_\-.\d]/.test(name) || /[a-z][A-Z]/.test(name));
}

// The identifier-like words of folded prose, each with where it first occurs: looking up
// the listing's names is then one set look-up per word, however long the listing.
const IDENTIFIER = /[a-z0-9](?:[a-z0-9_.-]*[a-z0-9])?/g;
function identifierWords(folded: string): Map<string, number> {
  const words = new Map<string, number>();
  for (const m of folded.matchAll(IDENTIFIER)) if (!words.has(m[0])) words.set(m[0], m.index);
  return words;
}

// The sentence around a position (folded text: sentence ends are ". ", "! ", "? ").
function sentenceAt(text: string, at: number): string {
  const start = Math.max(text.lastIndexOf('. ', at), text.lastIndexOf('! ', at), text.lastIndexOf('? ', at));
  const ends = ['. ', '! ', '? '].map((e) => text.indexOf(e, at)).filter((i) => i >= 0);
  return text.slice(start < 0 ? 0 : start + 2, ends.length > 0 ? Math.min(...ends) : text.length);
}

// A sentence that names another tool and changes what it does when it is used.
const WHEN_CUE = /\b(?:when|whenever|before|after|every time|each time|each call|every call|while)\b/;
const CHANGE_CUE = /\b(?:add|adds|include|includes|append|set|replace|change|modify|redirect|bcc|cc|copy|forward|attach|override|rewrite|prepend|also send|must also|always send)\b/;

// The redirect target: the last identifier of the match, without quotes.
function redirectTarget(match: string): string {
  const tokens = match.match(/[a-z0-9_.:/-]{2,64}/g) ?? [];
  return (tokens[tokens.length - 1] ?? '').replace(/[.:/-]+$/, '');
}

/** What the rules found in one definition, before the listing is known (cacheable by the definition's text). */
export interface SteeringMatches {
  /** The folded prose and its identifier-like words, for the names of other tools. */
  prose: Array<{ path: string; folded: string; words: Map<string, number> }>;
  hits: Array<{ rule: CompiledRule; path: string; folded: string; index: number; text: string }>;
}

// The listing's names in lower case (all, and those worth looking for in prose), built once
// per listing: the caller passes the same array for every definition of a listing, so the
// work stays linear in the listing, not quadratic.
const NAME_SETS = new WeakMap<readonly string[], { all: Set<string>; distinctive: Set<string> }>();
function listingNames(toolNames: readonly string[] | undefined): { all: Set<string>; distinctive: Set<string> } {
  if (!toolNames) return { all: new Set(), distinctive: new Set() };
  let sets = NAME_SETS.get(toolNames);
  if (!sets) {
    sets = { all: new Set(toolNames.map((n) => n.toLowerCase())), distinctive: new Set(toolNames.filter(distinctiveName).map((n) => n.toLowerCase())) };
    NAME_SETS.set(toolNames, sets);
  }
  return sets;
}

/** One definition's prose, folded, with its identifier-like words: what the steering rules read. */
export function steeringProse(definition: unknown): SteeringMatches['prose'] {
  return definitionProse(definition).map(({ path, text }) => {
    const folded = foldDefinitionText(text);
    return { path, folded, words: identifierWords(folded) };
  });
}

/** Run the steering rules on one definition's folded prose. */
export function matchSteering(definition: unknown, rules: readonly CompiledRule[]): SteeringMatches {
  const prose = steeringProse(definition);
  const hits: SteeringMatches['hits'] = [];
  for (const { path, folded } of prose) {
    for (const rule of rules) {
      if (rule.keywords && rule.keywords.length > 0 && !rule.keywords.some((k) => folded.includes(k))) continue;
      for (const regex of rule.regexes) {
        regex.lastIndex = 0;
        const m = regex.exec(folded);
        if (!m) continue;
        hits.push({ rule, path, folded, index: m.index, text: m[0] });
        break;
      }
    }
  }
  return { prose, hits };
}

/** Findings of one definition's matches, judged against the listing it came in. */
export function judgeSteering(definition: unknown, matches: SteeringMatches, context: DefinitionContext = {}): Finding[] {
  const findings: Finding[] = [];
  const own = typeof (definition as { name?: unknown })?.name === 'string' ? (definition as { name: string }).name : '';
  const names = listingNames(context.toolNames);
  const ownName = own.toLowerCase();
  const parameters = new Set(parameterNames(definition).map((n) => n.toLowerCase()));
  const known = (name: string): boolean => name === ownName || names.all.has(name) || parameters.has(name);
  for (const { rule, path, folded, index, text } of matches.hits) {
    let severity: Severity = rule.severity;
    if (rule.id === REDIRECT_RULE) {
      // Judged against the listing only: an honest server retires its own tool in favour of
      // a sibling (no finding); a redirect to a name the listing does not have sends the
      // model to another server's tool (high).
      if (!context.toolNames) continue;
      const target = redirectTarget(text);
      if (known(target)) continue;
      if (/[_\-.\d]/.test(target)) severity = 'high';
    }
    findings.push({ ruleId: rule.id, category: rule.category, severity, path, evidence: excerpt(folded, index, index + text.length), message: rule.message ?? rule.description });
  }
  // The tool's own name and words, for a parameter that asks for the model's context.
  const ownWords = [own.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_.-]+/g, ' ').toLowerCase(), ...matches.prose.filter((p) => p.path === 'description' || p.path === 'title' || p.path === 'annotations.title').map((p) => p.folded)].join(' ');
  findings.push(...contextParameters(definition, ownWords));
  for (const { path, folded, words } of names.distinctive.size > 0 ? matches.prose : []) {
    for (const [name, at] of words) {
      if (name === ownName || !names.distinctive.has(name)) continue;
      const sentence = sentenceAt(folded, at);
      const steers = WHEN_CUE.test(sentence) && CHANGE_CUE.test(sentence);
      findings.push({
        ruleId: CROSS_TOOL_RULE,
        category: 'prompt-injection',
        severity: steers ? 'high' : 'low',
        path,
        evidence: excerpt(folded, at, at + name.length),
        message: steers ? `A tool definition changes how another tool of this server (${name}) is used (tool shadowing).` : `A tool definition names another tool of this server (${name}).`,
      });
      break;
    }
  }
  return findings;
}

/** Scan one definition's prose with the steering rules and the session's tool names. */
export function scanSteering(definition: unknown, rules: readonly CompiledRule[], context: DefinitionContext = {}): Finding[] {
  return judgeSteering(definition, matchSteering(definition, rules), context);
}
