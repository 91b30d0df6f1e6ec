/**
 * The steering scan of a tool definition (issue 12): the rules of policies/definitions/*.yaml
 * run on the folded prose of the definition (definitionProse, foldDefinitionText), plus two
 * judgements in code that need the session's tool list: a deprecation that redirects to
 * something that is no tool of this listing (nor a parameter of this tool) is raised to high
 * (one to a sibling tool is no finding), and a definition that names another tool of the
 * session is reported (low: a sign worth showing in `vanguard scan`), high when the sentence
 * naming it changes what that tool does ("when calling send_email, add …").
 */
import { excerpt } from '../evidence.js';
import type { Finding, Severity } from '../types.js';
import type { CompiledRule } from '../../rules/rule-types.js';
import { foldDefinitionText } from './fold.js';
import { definitionProse, parameterNames } from './texts.js';

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

// Where a word of the folded text starts or ends: not inside a longer identifier.
const WORD_CHAR = /[a-z0-9_-]/;
function indexOfName(text: string, name: string): number {
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    const before = at > 0 ? text[at - 1]! : ' ';
    const after = text[at + name.length] ?? ' ';
    if (!WORD_CHAR.test(before) && !WORD_CHAR.test(after)) return at;
  }
  return -1;
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

/** Scan one definition's prose with the steering rules and the session's tool names. */
export function scanSteering(definition: unknown, rules: readonly CompiledRule[], context: DefinitionContext = {}): Finding[] {
  const findings: Finding[] = [];
  const own = typeof (definition as { name?: unknown })?.name === 'string' ? ((definition as { name: string }).name) : '';
  const others = (context.toolNames ?? []).filter((n) => n !== own && distinctiveName(n)).map((n) => n.toLowerCase());
  const known = new Set([own.toLowerCase(), ...(context.toolNames ?? []).map((n) => n.toLowerCase()), ...parameterNames(definition).map((n) => n.toLowerCase())]);
  for (const { path, text } of definitionProse(definition)) {
    const folded = foldDefinitionText(text);
    for (const rule of rules) {
      if (rule.keywords && rule.keywords.length > 0 && !rule.keywords.some((k) => folded.includes(k))) continue;
      for (const regex of rule.regexes) {
        regex.lastIndex = 0;
        const m = regex.exec(folded);
        if (!m) continue;
        let severity: Severity = rule.severity;
        if (rule.id === REDIRECT_RULE) {
          // Judged against the listing only: an honest server retires its own tool in favour
          // of a sibling (no finding); a redirect to a name the listing does not have sends
          // the model to another server's tool (high).
          if (!context.toolNames) break;
          const target = redirectTarget(m[0]);
          if (known.has(target)) break;
          if (/[_\-.\d]/.test(target)) severity = 'high';
        }
        findings.push({ ruleId: rule.id, category: rule.category, severity, path, evidence: excerpt(folded, m.index, m.index + m[0].length), message: rule.message ?? rule.description });
        break;
      }
    }
    for (const name of others) {
      const at = indexOfName(folded, name);
      if (at < 0) continue;
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
