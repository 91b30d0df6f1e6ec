/**
 * Unwrap one entry wrapped by `vanguard wrap`: the original command's token goes back in
 * `command`, and the inserted prefix is cut out of `args` (or `args` removed if the entry
 * had none), giving back the bytes that were there before.
 */
import { NO_ARGS_SEPARATOR, type WrappedShape } from './entry-shape.js';
import type { JsonObject } from './json-tree.js';
import type { TextEdit } from './text-edit.js';

/** The edits that unwrap one entry, or the reason it cannot be done without losing text. */
export function unwrapEntryEdits(text: string, entry: JsonObject, shape: WrappedShape): TextEdit[] | string {
  const { command, args, separator } = shape;
  const els = args.value.elements;
  const original = els[separator + 1]!;
  const rest = els[separator + 2];
  // Between the prefix's elements only commas and whitespace may stand: anything else
  // (a comment added since) would be lost by cutting the prefix out.
  const lastCut = rest ? separator + 2 : separator + 1;
  for (let i = 0; i < lastCut; i++) {
    if (!/^[ \t\r\n]*,[ \t\r\n]*$/.test(text.slice(els[i]!.end, els[i + 1]!.start))) {
      return 'a comment or other text stands inside the arguments Vanguard added; unwrap it by hand';
    }
  }
  const restore: TextEdit = { start: command.value.start, end: command.value.end, text: text.slice(original.start, original.end) };
  if (rest) return [restore, { start: els[0]!.start, end: rest.start, text: '' }];
  if (text.slice(els[separator]!.start, els[separator]!.end) !== NO_ARGS_SEPARATOR) {
    // Wrap wrote the list right after `[`, keeping whatever stood inside the empty array
    // after it. Text before the first element means the file was re-saved: leave `[]`.
    const array = args.value;
    if (els[0]!.start !== array.start + 1) {
      const around = text.slice(array.start + 1, els[0]!.start) + text.slice(original.end, array.end - 1);
      if (!/^[ \t\r\n]*$/.test(around)) return 'a comment stands inside the arguments Vanguard added; unwrap it by hand';
      return [restore, { start: array.start + 1, end: array.end - 1, text: '' }];
    }
    return [restore, { start: els[0]!.start, end: original.end, text: '' }];
  }
  // The entry had no `args`: remove the member with the comma that joins it to its neighbour.
  const index = entry.members.indexOf(args);
  const previous = entry.members[index - 1];
  const next = entry.members[index + 1];
  if (previous && /^[ \t\r\n]*,[ \t\r\n]*$/.test(text.slice(previous.value.end, args.keySpan.start))) {
    const cut: TextEdit = { start: previous.value.end, end: args.value.end, text: '' };
    // Wrap put `args` right after `command`: one edit, so the two do not touch.
    if (previous === command) return [{ start: command.value.start, end: args.value.end, text: restore.text }];
    return [restore, cut];
  }
  if (next && /^[ \t\r\n]*,[ \t\r\n]*$/.test(text.slice(args.value.end, next.keySpan.start))) {
    return [restore, { start: args.keySpan.start, end: next.keySpan.start, text: '' }];
  }
  return 'comments around "args" keep it from being removed cleanly; unwrap it by hand';
}
