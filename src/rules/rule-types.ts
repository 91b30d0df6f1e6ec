/** A detection rule as written in a rule pack (policies/rules/*.yaml), and as compiled. */
import type { ArgumentKind, Category, Severity } from '../inspect/types.js';
import type { ShapeNeeds } from './pattern-shape.js';
import type { CharSet } from './required-chars.js';

/** An example: a string sent as an argument of the rule's first kind, or whole arguments. */
export type RuleExample = string | { args: Record<string, unknown>; tool?: string };

export interface RuleSpec {
  id: string;
  category: Category;
  severity: Severity;
  description: string;
  /** What the model reads when the rule blocks a call; defaults to the description. */
  message?: string;
  /** Argument kinds the rule applies to; absent: every string. */
  kinds?: ArgumentKind[];
  /**
   * `data`: only text the model reads as data (arguments, results, a client's answers), not
   * tool definitions or server instructions, which address the model by design ("if asked
   * about this server, respond with…" is what instructions are for). `results`: only what a
   * server returns (tool results, resources, prompts), for cues of instructions in data that
   * are ordinary in a user's own arguments. Absent or `any`: all text.
   */
  scope?: 'data' | 'any' | 'results';
  /** Lower-case substrings; the patterns run only on text containing one. */
  keywords?: string[];
  /** Pattern sources for the linear engine, matched against lower-cased text. */
  patterns?: string[];
  /** A named check in code that must also accept the matched text. */
  validator?: string;
  /** The code detector that reports this rule (instead of patterns). */
  detector?: string;
  examples: { match: RuleExample[]; nomatch: RuleExample[]; context?: ExampleContext };
}

/** Policy settings the examples of a rule need (roots for `path.outside-root`, say). */
export interface ExampleContext {
  roots?: string[];
  deny?: string[];
  allowHosts?: string[];
  denyHosts?: string[];
}

/** Where a rule was written, for messages. */
export interface RuleSource {
  file: string;
  line: number;
  col: number;
}

export interface CompiledRule extends RuleSpec {
  regexes: RegExp[];
  /**
   * Per pattern, the characters it needs (required-chars.ts, requiredCharsEach): worked out by
   * the build for the shipped packs (dist/rules/*.json); absent, the rule index works them out
   * on the rule's first use.
   */
  needs?: ReadonlyArray<CharSet[] | undefined>;
  /** Per pattern, what it needs of a text's shape (pattern-shape.ts), worked out by the build as `needs` is. */
  shapes?: ReadonlyArray<ShapeNeeds>;
  validate?: (match: string) => boolean;
  source: RuleSource;
}
