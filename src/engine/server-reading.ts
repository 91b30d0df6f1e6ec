/**
 * A server frame as the deciders read it, from the text JSON.parse accepted: the message,
 * every reading of an answer's top-level id (from the bytes), and the strict reading worked
 * out once from the one parse (strict-json.ts: one parse, then a check).
 *
 * Node 24.21.0's JSON.parse can misread a key spelled with an escape (escaped-keys.ts); a
 * peer reading the same bytes does not. So a text with such a key is read again, by the strict
 * parser under JSON.parse's rules. The walk that finds an answer's id already tells (a text it
 * calls unambiguous spells every key plainly), so a scanned answer is not looked through twice.
 */
import { readAnswerIds, readTopLevelIds, type IdReading, type UnambiguityNote } from '../protocol/answer-id.js';
import { hasEscapedKey, readKeysAsWritten } from '../protocol/escaped-keys.js';
import { classify, type Classified } from '../protocol/jsonrpc.js';
import { stringsArePlain } from '../protocol/plain-strings.js';
import { strictFromParsed, type StrictParseResult } from '../protocol/strict-json.js';
import type { FrameText } from './server-side.js';

/** From this size on, a server frame's bytes are read once to tell whether all its strings are plain ASCII. */
const PLAIN_CHECK_FROM_BYTES = 64 * 1024;
/** Below this length (or with an escape), an answer's strict reading is worked out with its id, before it is known to be wanted. */
const WALK_FIRST_BELOW_CHARS = 16 * 1024;

/**
 * Reads one server frame: `parsed` is JSON.parse's value of `text` (not an array), `frame` its
 * bytes. `scansResults`: answers are read strictly anyway, so a small one's walk is made first.
 */
export function readServerFrame(frame: Buffer, text: string, parsed: unknown, scansResults: boolean, ascii = false): ParsedFrame {
  // (Backslashes are only ever inside strings: without one, every key is spelled plainly.)
  const escapes = text.indexOf('\\') !== -1;
  // Text of ASCII bytes (the framer read them: `ascii`) with no escape and no DEL, which
  // JSON.parse accepted, holds only printable ASCII in its strings (a raw control character
  // cannot sit in one): every string is plain, as stringsArePlain would say, with no test.
  const known = new ParsedFrame(frame, text, parsed, ascii && !escapes && scansResults && text.indexOf('\x7f') === -1);
  // A text with escapes is looked through either way: where results are scanned, by the walk
  // a result's strict reading needs anyway.
  // (ASCII bytes with no backslash are walked as bytes: see unambiguousIdEnd.)
  if (known.message.kind === 'response') known.readings = scansResults && (escapes || text.length < WALK_FIRST_BELOW_CHARS) ? readAnswerIds(text, known, ascii && !escapes ? frame : undefined) : readTopLevelIds(text);
  if (escapes && known.unambiguous !== true && hasEscapedKey(text)) known.readAgain(readKeysAsWritten(text));
  return known;
}

// One object per frame: a closure with fields set on it cost three, and a slow shape.
export class ParsedFrame implements FrameText, UnambiguityNote {
  readonly #text: string;
  #parsed: unknown;
  #strict: StrictParseResult | undefined;
  /** The message, classified. */
  message: Classified;
  /** Every reading of an answer's top-level id, from the text; undefined for other messages. */
  readings: IdReading[] | undefined;
  /** Every string in the frame is plain ASCII (a large frame's bytes are read to tell): the scan need not test each one. */
  readonly plain: boolean;
  /** Set when the walk of strictFromParsed was made already (readAnswerIds). */
  unambiguous: boolean | undefined;

  /** `plainKnown`: every string is known plain already (see readServerFrame). */
  constructor(frame: Buffer, text: string, parsed: unknown, plainKnown = false) {
    this.#text = text;
    this.#parsed = parsed;
    this.#strict = undefined;
    this.message = classify(parsed);
    this.readings = undefined;
    this.plain = plainKnown || (frame.length >= PLAIN_CHECK_FROM_BYTES && stringsArePlain(frame));
    this.unambiguous = undefined;
  }

  text(): string {
    return this.#text;
  }

  strict(): StrictParseResult {
    // (strictFromParsed's answer for a text its walk finds unambiguous, without walking it again.)
    return (this.#strict ??= this.unambiguous === true ? { ok: true, value: this.#parsed } : strictFromParsed(this.#text, this.#parsed));
  }

  // The text read again, as `value` (its keys as written): classified again, an answer's ids
  // read from the text if it has become one.
  readAgain(value: unknown): void {
    const was = this.message.kind;
    this.#parsed = value;
    this.#strict = undefined;
    this.message = classify(value);
    if (this.message.kind !== was) this.readings = this.message.kind === 'response' ? readTopLevelIds(this.#text) : undefined;
  }
}
