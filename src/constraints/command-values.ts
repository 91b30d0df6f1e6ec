/**
 * The `commands` constraint: the command line, read by the shell tokenizer inspection uses,
 * is one simple command (or a pipeline, with `operators: [pipe]`) whose every command's
 * words match one of the argv globs word by word. Anything else the shell would do
 * besides running those words (`;`, `&&`, `||`, `&`, substitutions, redirections to files,
 * here-docs, subshells, assignments, expansions, unquoted globs, `~`) is refused.
 */
import micromatch from 'micromatch';
import { parseShell } from '../inspect/detectors/shell/lexer.js';

/** Longest command line read. */
export const MAX_COMMAND_CHARS = 16 * 1024;

/** A compiled `commands` constraint. */
export interface CommandRule {
  commands: string[];
  pipes: boolean;
  /** Undefined when the command line is allowed, else why not. */
  breach(line: string): string | undefined;
}

const WORD_OPTIONS = { dot: true, nonegate: true, noextglob: true, strictBrackets: true } as const;

/** An argv glob split into word globs; a last word `**` stands for any further words. */
function compileArgv(pattern: string): { words: Array<(w: string) => boolean>; literal: boolean[]; rest: boolean } {
  const parts = pattern.trim().split(/\s+/);
  const rest = parts.length > 1 && parts[parts.length - 1] === '**';
  const fixed = rest ? parts.slice(0, -1) : parts;
  return { words: fixed.map((p) => micromatch.matcher(p, { ...WORD_OPTIONS })), literal: fixed.map((p) => !/[*?[\]{}]/.test(p)), rest };
}

// Fd duplication (`2>&1`) and closing are harmless; any other redirection touches a file.
const FD_DUP = /^[0-9]*[<>]&(?:[0-9]+|-)$/;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*\+?=/;
const DOT_DOT = /(?:^|\/)\.\.(?:\/|$)/;

/** Compile argv globs once. */
export function compileCommandRule(commands: readonly string[], pipes: boolean): CommandRule {
  const argvs = commands.map(compileArgv);
  const fits = (words: string[]): boolean =>
    argvs.some((a) => {
      if (a.rest ? words.length < a.words.length : words.length !== a.words.length) return false;
      // A glob word never stands for a `..` step: `/srv/data/*` must not reach `/srv/data/../x`.
      return a.words.every((m, i) => m(words[i] as string) && (a.literal[i] || !DOT_DOT.test(words[i] as string)));
    });
  return {
    commands: [...commands],
    pipes,
    breach(line) {
      if (line.length > MAX_COMMAND_CHARS) return `is longer than ${MAX_COMMAND_CHARS} characters`;
      const parse = parseShell(line, { windows: false, escapedNewlines: true });
      if (parse.unterminated) return 'leaves a quote or substitution open';
      if (parse.tooDeep) return 'nests substitutions too deeply';
      if (parse.ifs) return 'splits words with $IFS';
      if (parse.newlines > 0 || parse.escapedNewlines > 0) return 'holds more than one line';
      if (parse.commands.length === 0) return 'runs nothing';
      for (const [i, cmd] of parse.commands.entries()) {
        if (cmd.context !== 'top') return 'holds a command substitution';
        if (i === 0 ? cmd.joint !== 'start' : !(pipes && cmd.joint === '|')) return `joins commands with "${cmd.joint}"`;
        const file = cmd.redirects.find((r) => !FD_DUP.test(`${r.op}${r.target}`) && !FD_DUP.test(r.op));
        if (file) return `redirects with "${file.op}"`;
        if (cmd.words.length === 0) return 'holds an empty command';
        for (const word of cmd.words) {
          if (word.expansions > 0) return `expands "${word.text.slice(0, 40)}"`;
          if (word.encoded) return 'builds a word from escapes';
          if (word.glob) return `holds the unquoted glob "${word.text.slice(0, 40)}"`;
          if (word.text.startsWith('~')) return `holds "${word.text.slice(0, 40)}", which the shell expands`;
        }
        if (ASSIGNMENT.test(cmd.words[0]?.text ?? '')) return 'sets a variable before the command';
        const words = cmd.words.map((w) => w.text);
        if (!fits(words)) return `runs "${words.join(' ').slice(0, 80)}"`;
      }
      return undefined;
    },
  };
}
