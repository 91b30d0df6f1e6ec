/**
 * A small POSIX shell reader: it splits a command line into simple commands the way a
 * shell would (quotes, escapes, `;` `&&` `||` `|` `&` newlines, parentheses, redirections,
 * here-documents), follows command substitution (`$(…)`, backticks, `<(…)`) into nested
 * commands, and rebuilds each word after quote removal. It never runs anything and reads
 * each character a bounded number of times, so its cost is linear in the input.
 */
import { ansiEscape, scanBraces, skipHeredocs } from './scan.js';
import { MAX_DEPTH, ReaderState } from './state.js';
import type { Joint, LexOptions, ShellParse } from './syntax.js';

// The reader's output types, for callers that only import the reader.
export type { Context, Joint, LexOptions, ShellCommand, ShellParse, ShellRedirect } from './syntax.js';

const REDIRECTS = ['<<<', '<<-', '<<', '<>', '<&', '>>', '>|', '>&', '<', '>'];

// Per ASCII code unit: 1 for a printable character that the unquoted reading (plain) only adds
// to the word, whatever the options and state: not a space or control, nor a quote, escape,
// `^` (cmd.exe's escape), expansion, operator, grouping, glob or `#`.
const ORDINARY = new Uint8Array(128);
for (let c = 0x21; c < 0x7f; c++) ORDINARY[c] = 1;
for (const c of '\\^\'"$`;&|<>()#*?[') ORDINARY[c.charCodeAt(0)] = 0;

class Lexer extends ReaderState {
  run(): ShellParse {
    while (this.i < this.t.length) {
      const c = this.t.charAt(this.i);
      if (this.quote === 'single') this.single(c);
      else if (this.quote === 'ansi') this.ansi(c);
      else if (this.quote === 'double') this.double(c);
      else this.plain(c);
    }
    if (this.quote !== 'none') this.result.unterminated = true;
    while (this.frames.length > 1) {
      this.result.unterminated = true;
      this.pop();
    }
    this.endCommand('start');
    return this.result;
  }

  private single(c: string): void {
    if (c === "'") this.closeQuote();
    else this.f.word.push(c, this.i);
    this.i += 1;
  }

  // $'…': the escapes a shell decodes there, which spell any name without writing it.
  private ansi(c: string): void {
    if (c === "'") {
      this.closeQuote();
      this.i += 1;
    } else if (c === '\\') {
      const esc = ansiEscape(this.t, this.i);
      this.f.word.mark(this.i);
      this.f.word.push(esc.char, this.i);
      if (esc.encoded) this.f.word.markEncoded();
      this.i += esc.length;
    } else {
      this.f.word.push(c, this.i);
      this.i += 1;
    }
  }

  private double(c: string): void {
    const n = this.t.charAt(this.i + 1);
    if (c === '"') {
      this.closeQuote();
      this.i += 1;
    } else if (c === '\\' && '$`"\\'.includes(n) && n !== '') {
      this.f.word.mark(this.i);
      this.f.word.push(n, this.i + 1);
      this.i += 2;
    } else if (c === '\\' && n === '\n') this.i += 2;
    else if (c === '$') this.dollar();
    else if (c === '`') this.push('backtick', 1);
    else {
      this.f.word.push(c, this.i);
      this.i += 1;
    }
  }

  private plain(c: string): void {
    const t = this.t;
    const w = this.f.word;
    const code = c.charCodeAt(0);
    if (code < 128 && ORDINARY[code] === 1) {
      // A run of ordinary characters is added at once (each would go to the last branch below).
      let end = this.i + 1;
      for (let k = t.charCodeAt(end); end < t.length && k < 128 && ORDINARY[k] === 1; k = t.charCodeAt(++end));
      w.pushRun(t, this.i, end);
      this.i = end;
      return;
    }
    const n = t.charAt(this.i + 1);
    if ((c === '\\' && !this.options.windows) || (c === '^' && this.options.windows)) {
      if (n === '\n') this.i += 2;
      else if (n === '') {
        w.push(c, this.i);
        this.i += 1;
      } else if (c === '\\' && this.options.escapedNewlines && (n === 'n' || n === 'r')) {
        this.newline(true, 2);
      } else {
        w.mark(this.i);
        w.push(n, this.i + 1);
        this.i += 2;
      }
    } else if (c === "'" || c === '"') {
      this.quote = c === "'" ? 'single' : 'double';
      w.mark(this.i);
      this.i += 1;
    } else if (c === '$') this.dollar();
    else if (c === '`') {
      if (this.f.context === 'backtick') {
        this.pop();
        this.i += 1;
      } else this.push('backtick', 1);
    } else if (c === ' ' || c === '\t') {
      this.endWord();
      this.i += 1;
    } else if (c === '\n' || c === '\r') this.newline(false, c === '\r' && n === '\n' ? 2 : 1);
    else if (c === ';') this.separator(';', n === ';' ? 2 : 1);
    else if (c === '&' && n === '>') this.redirect(t.charAt(this.i + 2) === '>' ? '&>>' : '&>');
    else if (c === '&') this.separator(n === '&' ? '&&' : '&', n === '&' ? 2 : 1);
    else if (c === '|') this.separator(n === '|' ? '||' : n === '&' ? '|&' : '|', n === '|' || n === '&' ? 2 : 1);
    else if ((c === '<' || c === '>') && n === '(') {
      this.endWord();
      this.push('process', 2);
    } else if (c === '<' || c === '>') this.redirect(REDIRECTS.find((op) => t.startsWith(op, this.i)) ?? c);
    else if (c === '(') this.open();
    else if (c === ')') this.close();
    else if (c === '#' && !w.active) {
      const eol = t.indexOf('\n', this.i);
      this.i = eol < 0 ? t.length : eol;
    } else if (c === '*' || c === '?' || c === '[') {
      w.pushGlob(c, this.i);
      this.i += 1;
    } else {
      w.push(c, this.i);
      this.i += 1;
    }
  }

  private closeQuote(): void {
    this.quote = 'none';
    this.f.word.mark(this.i);
  }

  private separator(joint: Joint, length: number): void {
    this.endCommand(joint);
    this.i += length;
  }

  private newline(escaped: boolean, length: number): void {
    this.endCommand('newline', escaped);
    if (escaped) this.result.escapedNewlines += 1;
    else this.result.newlines += 1;
    this.i += length;
    // Here-document bodies are data, not commands.
    if (!escaped && this.f.heredocs.length > 0) {
      this.i = skipHeredocs(this.t, this.i, this.f.heredocs);
      this.f.heredocs = [];
    }
  }

  private redirect(op: string): void {
    const f = this.f;
    // `2>` names a descriptor, not a word of the command.
    if (f.word.active && f.word.isDescriptor) f.word.take();
    else this.endWord();
    this.i += op.length;
    const fd = /^\s*(?:\d+|-)(?=[\s;&|)]|$)/.exec(this.t.slice(this.i, this.i + 24));
    if ((op === '>&' || op === '<&') && fd) this.i += fd[0].length;
    else f.pendingRedirect = op;
  }

  private open(): void {
    if (this.f.context === 'arith') this.f.parens += 1;
    else {
      this.endCommand('(');
      this.f.parens += 1;
    }
    this.i += 1;
  }

  private close(): void {
    const f = this.f;
    if (f.parens > 0) {
      f.parens -= 1;
      if (f.context !== 'arith') this.endCommand(')');
      this.i += 1;
    } else if (f.context === 'dollar' || f.context === 'process') {
      this.pop();
      this.i += 1;
    } else if (f.context === 'arith') {
      this.pop();
      this.i += this.t.charAt(this.i + 1) === ')' ? 2 : 1;
    } else this.separator(')', 1);
  }

  private dollar(): void {
    const t = this.t;
    const n = t.charAt(this.i + 1);
    const w = this.f.word;
    if (n === '(' && t.charAt(this.i + 2) === '(') this.push('arith', 3);
    else if (n === '(') this.push('dollar', 2);
    else if (n === '{') this.param();
    else if ((n === "'" || n === '"') && this.quote === 'none') {
      this.quote = n === "'" ? 'ansi' : 'double';
      w.mark(this.i);
      this.i += 2;
    } else if (/[A-Za-z_]/.test(n)) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(t.slice(this.i + 1, this.i + 257))?.[0] ?? n;
      if (name === 'IFS') this.ifs();
      else w.expansion(`$${name}`, this.i);
      this.i += 1 + name.length;
    } else if (/[0-9@*]/.test(n)) {
      // Positional parameters and $@ are empty in a `sh -c` line: `who$@ami` is `whoami`.
      w.mark(this.i, false);
      this.i += 2;
    } else if (/[#?$!-]/.test(n)) {
      w.expansion(`$${n}`, this.i);
      this.i += 2;
    } else {
      w.push('$', this.i);
      this.i += 1;
    }
  }

  private ifs(): void {
    this.result.ifs = true;
    if (this.quote === 'none') this.endWord();
    else this.f.word.expansion('$IFS', this.i);
  }

  // ${…}: a parameter, an IFS split, a slice, or a default that runs a command.
  private param(): void {
    const { content, end, closed } = scanBraces(this.t, this.i + 2);
    if (!closed) this.result.unterminated = true;
    const w = this.f.word;
    if (/^IFS(?:[^A-Za-z0-9_]|$)/.test(content)) this.ifs();
    else if (/^[0-9@*]$/.test(content)) w.mark(this.i, false);
    else {
      if (/[`]|\$\(/.test(content)) this.nested(content, this.i + 2);
      w.expansion(`\${${content}}`, this.i);
      if (/^[A-Za-z_][A-Za-z0-9_]*:\s*-?\d/.test(content)) w.markEncoded();
    }
    this.i = end;
  }

  // A command inside ${…}: read it on its own, one level deeper.
  private nested(content: string, offset: number): void {
    if (this.depth + this.frames.length >= MAX_DEPTH) {
      this.result.tooDeep = true;
      return;
    }
    const inner = new Lexer(content, this.options, this.depth + this.frames.length).run();
    // The parameter's own words are not a command; the substitutions inside them are.
    for (const cmd of inner.commands) {
      if (cmd.context !== 'top') this.result.commands.push({ ...cmd, start: cmd.start + offset, end: cmd.end + offset });
    }
    this.result.ifs ||= inner.ifs;
    this.result.tooDeep ||= inner.tooDeep;
  }
}

/** Read a command line into simple commands. */
export function parseShell(text: string, options: LexOptions): ShellParse {
  return new Lexer(text, options, 0).run();
}
