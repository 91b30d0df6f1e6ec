/**
 * The `commands` constraint: the command line, read by the shell tokenizer inspection uses,
 * is one simple command (or a pipeline, with `operators: [pipe]`) whose every command's
 * words match one of the argv globs word by word. Anything else the shell would do
 * besides running those words (`;`, `&&`, `||`, `&`, substitutions, redirections to files,
 * here-docs, subshells, assignments, expansions, unquoted globs, `~`) is refused.
 */
import micromatch from 'micromatch';
import { parseShell } from '../inspect/detectors/shell/lexer.js';
import type { ShellWord } from '../inspect/detectors/shell/word.js';
import { decodePercents } from '../inspect/detectors/paths/decode.js';

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
// A word a glob stands for must not carry shell syntax even quoted: a server (or ssh, or a
// script) that puts the word into another command line would read it again.
const RESHELL = /[;&|<>$`'"\\^\s\0]/;

/** Compile argv globs once. */
export function compileCommandRule(commands: readonly string[], pipes: boolean): CommandRule {
  const argvs = commands.map(compileArgv);
  const fits = (words: ShellWord[]): boolean =>
    argvs.some((a) => {
      if (a.rest ? words.length < a.words.length : words.length !== a.words.length) return false;
      // A glob word never stands for a `..` step (`/srv/data/*` must not reach `/srv/data/../x`),
      // nor for letters split by quotes (`who'a'mi`): only a literal word may be spelled oddly.
      const free = (w: ShellWord) => !DOT_DOT.test(w.text) && !RESHELL.test(w.text) && !w.split;
      return a.words.every((m, i) => m((words[i] as ShellWord).text) && (a.literal[i] || free(words[i] as ShellWord))) && words.slice(a.words.length).every(free);
    });
  const one = (line: string): string | undefined => breachOf(line, pipes, fits);
  return {
    commands: [...commands],
    pipes,
    breach(line) {
      if (line.length > MAX_COMMAND_CHARS) return `is longer than ${MAX_COMMAND_CHARS} characters`;
      // The line as sent and percent-decoded: a server or wrapper that decodes must not find more.
      const decoded = decodePercents(line);
      return one(line) ?? (decoded !== line ? one(decoded) : undefined);
    },
  };
}

// Why one reading of the line is refused, or undefined when it runs only allowed words.
function breachOf(line: string, pipes: boolean, fits: (words: ShellWord[]) => boolean): string | undefined {
  if (/(?:^|[^\\])[|&;]\s*$/.test(line)) return 'ends with a shell operator';
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
    if (!fits(cmd.words)) return `runs "${cmd.words.map((w) => w.text).join(' ').slice(0, 80)}"`;
  }
  return undefined;
}
