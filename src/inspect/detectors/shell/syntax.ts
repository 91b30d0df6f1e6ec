/**
 * What the shell reader produces: simple commands with their words, redirections, what
 * joined them to the command before, and where they sit (top level or a substitution).
 */
import type { ShellWord } from './word.js';

/** What joined a command to the one before it. */
export type Joint = 'start' | ';' | '&' | '&&' | '||' | '|' | '|&' | 'newline' | '(' | ')';

/** Where a command sits: at the top, or inside a substitution of some kind. */
export type Context = 'top' | 'dollar' | 'backtick' | 'process' | 'arith';

/** A redirection: the operator and the word after it. */
export interface ShellRedirect {
  op: string;
  target: string;
}

/** One simple command. */
export interface ShellCommand {
  words: ShellWord[];
  redirects: ShellRedirect[];
  joint: Joint;
  /** The newline before it was a `\n` escape, which some layer may turn into a real one. */
  escapedJoint: boolean;
  context: Context;
  /** Span in the text, for evidence. */
  start: number;
  end: number;
}

/** Everything the reader saw in one command line. */
export interface ShellParse {
  commands: ShellCommand[];
  /** Unquoted newlines that separate commands. */
  newlines: number;
  /** Unquoted `\n`/`\r` escapes read as newlines (only with `escapedNewlines`). */
  escapedNewlines: number;
  /** `$IFS` or `${IFS…}` used where it splits words. */
  ifs: boolean;
  /** A quote or substitution was still open at the end. */
  unterminated: boolean;
  /** Substitutions nested deeper than the reader follows. */
  tooDeep: boolean;
}

/** How to read the text. */
export interface LexOptions {
  /** cmd.exe conventions: backslashes are path separators, `^` escapes. */
  windows: boolean;
  /** Read an unquoted `\n` or `\r` escape as the newline it stands for. */
  escapedNewlines: boolean;
}
