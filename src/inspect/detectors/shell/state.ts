/**
 * The state of one reading of a command line: the stack of frames (the top level and each
 * substitution being read), the word and command under construction in each, and what has
 * been found so far. Entering and leaving substitutions, and finishing words and commands,
 * happen here; reading characters happens in the lexer.
 */
import type { Context, Joint, LexOptions, ShellParse, ShellRedirect } from './syntax.js';
import { WordBuilder, type ShellWord } from './word.js';

/** The quoting in force at the reading position. */
export type Quote = 'none' | 'single' | 'double' | 'ansi';

/** One level of reading: the top, or a substitution being read. */
export interface Frame {
  context: Context;
  words: ShellWord[];
  redirects: ShellRedirect[];
  word: WordBuilder;
  joint: Joint;
  escapedJoint: boolean;
  pendingRedirect: string | undefined;
  resume: Quote;
  parens: number;
  heredocs: Array<{ delim: string; strip: boolean }>;
  start: number;
}

/** How deep substitutions are followed before the reader gives up (and says so). */
export const MAX_DEPTH = 12;
const PLACEHOLDER: Record<Context, string> = { top: '', dollar: '$(…)', backtick: '`…`', process: '<(…)', arith: '$((…))' };

function frame(context: Context, resume: Quote, start: number): Frame {
  return { context, words: [], redirects: [], word: new WordBuilder(), joint: 'start', escapedJoint: false, pendingRedirect: undefined, resume, parens: 0, heredocs: [], start };
}

/** Where the reader is, and the commands and words it is building; the lexer moves it forward. */
export abstract class ReaderState {
  protected i = 0;
  protected quote: Quote = 'none';
  protected readonly frames: Frame[] = [frame('top', 'none', 0)];
  readonly result: ShellParse = { commands: [], newlines: 0, escapedNewlines: 0, ifs: false, unterminated: false, tooDeep: false };

  constructor(
    protected readonly t: string,
    protected readonly options: LexOptions,
    protected readonly depth: number,
  ) {}

  protected get f(): Frame {
    return this.frames[this.frames.length - 1] as Frame;
  }

  protected push(context: Context, length: number): void {
    if (this.depth + this.frames.length >= MAX_DEPTH) {
      this.result.tooDeep = true;
      this.f.word.push(this.t.charAt(this.i), this.i);
      this.i += 1;
      return;
    }
    this.frames.push(frame(context, this.quote, this.i));
    this.quote = 'none';
    this.i += length;
  }

  protected pop(): void {
    const inner = this.f;
    this.endCommand('start');
    this.frames.pop();
    this.quote = inner.resume;
    this.f.word.expansion(PLACEHOLDER[inner.context], inner.start);
  }

  protected endWord(): void {
    const f = this.f;
    if (!f.word.active) return;
    const word = f.word.take();
    if (f.pendingRedirect === undefined) {
      f.words.push(word);
      return;
    }
    f.redirects.push({ op: f.pendingRedirect, target: word.text });
    if (f.pendingRedirect === '<<' || f.pendingRedirect === '<<-') f.heredocs.push({ delim: word.text, strip: f.pendingRedirect === '<<-' });
    f.pendingRedirect = undefined;
  }

  protected endCommand(joint: Joint, escaped = false): void {
    this.endWord();
    const f = this.f;
    if (f.pendingRedirect !== undefined) {
      f.redirects.push({ op: f.pendingRedirect, target: '' });
      f.pendingRedirect = undefined;
    }
    if (f.words.length > 0 || f.redirects.length > 0) {
      const start = f.words[0]?.start ?? Math.max(0, this.i - 1);
      this.result.commands.push({ words: f.words, redirects: f.redirects, joint: f.joint, escapedJoint: f.escapedJoint, context: f.context, start, end: this.i });
      f.words = [];
      f.redirects = [];
    }
    f.joint = joint;
    f.escapedJoint = escaped;
  }
}
