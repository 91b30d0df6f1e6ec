/**
 * Wrap one stdio entry: `command` becomes Node, and `args` gains Vanguard's script,
 * `start`, the options and `--` before the original command. The original `args` text
 * is left untouched after the inserted prefix, so unwrap can cut the prefix out and get
 * the original bytes back.
 */
import { NO_ARGS_SEPARATOR } from './entry-shape.js';
import type { JsonArray, JsonMember, JsonScalar } from './json-tree.js';
import { whitespaceBefore, type TextEdit } from './text-edit.js';

/** What the wrapped command runs: absolute paths, so a GUI client's PATH does not matter. */
export interface WrapTarget {
  /** The Node executable (process.execPath). */
  node: string;
  /** Vanguard's bin/vanguard.js. */
  script: string;
  /** An absolute policy file, if one was given. */
  policy?: string;
}

const SEPARATOR = '"--"';

/** The edits that wrap one entry named `name`. */
export function wrapEntryEdits(
  text: string,
  name: string,
  command: JsonMember & { value: JsonScalar },
  args: (JsonMember & { value: JsonArray }) | undefined,
  target: WrapTarget,
): TextEdit[] {
  const q = (s: string): string => JSON.stringify(s);
  const colon = text.slice(command.keySpan.end, command.value.start);
  // A file written without spaces (`"a":1,"b":2`) gets its list written the same way.
  const compact = colon === ':';
  const list = compact ? ',' : ', ';
  const prefix = [
    q(target.script),
    q('start'),
    ...(target.policy !== undefined ? [q('--policy'), q(target.policy)] : []),
    q('--name'),
    q(name),
    args ? SEPARATOR : NO_ARGS_SEPARATOR,
    // The command's own token, escapes and all: unwrap puts these bytes back.
    text.slice(command.value.start, command.value.end),
  ];
  const newCommand: TextEdit = { start: command.value.start, end: command.value.end, text: q(target.node) };

  if (!args) {
    // Insert `"args": [...]` right after the command, indented like the command's key.
    const indent = whitespaceBefore(text, command.keySpan.start);
    const colonText = /^[ \t]*:[ \t]*$/.test(colon) ? colon : ': ';
    return [{ ...newCommand, text: `${newCommand.text},${indent}"args"${colonText}[${prefix.join(list)}]` }];
  }
  const array = args.value;
  const first = array.elements[0];
  if (!first) return [newCommand, { start: array.start + 1, end: array.start + 1, text: prefix.join(list) }];
  return [newCommand, { start: first.start, end: first.start, text: prefix.map((t) => `${t},${elementGap(text, array, compact)}`).join('') }];
}

/** The whitespace the array puts after each comma, so inserted elements look like its own. */
function elementGap(text: string, array: JsonArray, compact: boolean): string {
  const [first, second] = array.elements;
  if (first && second) {
    const between = /^[ \t\r\n]*,([ \t\r\n]*)$/.exec(text.slice(first.end, second.start));
    if (between) return between[1]!;
  }
  if (first) {
    const lead = text.slice(array.start + 1, first.start);
    if (/^[ \t\r\n]*$/.test(lead) && lead.includes('\n')) return lead;
  }
  return compact ? '' : ' ';
}
