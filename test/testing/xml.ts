/**
 * A small, strict XML reader for the tests of the JUnit report: elements, attributes, text
 * and references, nothing else (no DTD, no CDATA, no comments). It throws on anything a
 * conforming parser would reject that the writer could plausibly produce: a raw `<` or `&`,
 * `]]>` in text, characters XML 1.0 forbids, mismatched tags, a second root.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text, references decoded. */
  text: string;
}

// Chars XML 1.0 allows: tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF.
const FORBIDDEN = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

function decode(raw: string, where: string): string {
  if (FORBIDDEN.test(raw)) throw new Error(`a character XML 1.0 forbids in ${where}`);
  if (raw.includes('<')) throw new Error(`a raw "<" in ${where}`);
  return raw.replace(/&([^;]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new Error(`a raw "&" in ${where}`);
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (named[ref] !== undefined) return named[ref];
    const m = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(ref);
    if (!m) throw new Error(`an unknown reference &${ref}; in ${where}`);
    const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    const ch = String.fromCodePoint(code);
    if (FORBIDDEN.test(ch)) throw new Error(`a reference to a forbidden character in ${where}`);
    return ch;
  });
}

/** Parse a document; returns its root element. */
export function parseXml(text: string): XmlElement {
  let i = 0;
  const prolog = /^<\?xml [^?]*\?>\s*/.exec(text);
  if (prolog) i = prolog[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < text.length) {
    if (text[i] === '<') {
      const end = text.indexOf('>', i);
      if (end === -1) throw new Error('an unclosed tag');
      const tag = text.slice(i + 1, end);
      i = end + 1;
      if (tag.startsWith('/')) {
        const open = stack.pop();
        if (open?.name !== tag.slice(1)) throw new Error(`</${tag.slice(1)}> closes <${open?.name}>`);
        continue;
      }
      const selfClosing = tag.endsWith('/');
      const body = selfClosing ? tag.slice(0, -1) : tag;
      const name = /^[A-Za-z_][\w.-]*/.exec(body)?.[0];
      if (!name) throw new Error(`a tag without a name: <${tag}>`);
      const element: XmlElement = { name, attributes: {}, children: [], text: '' };
      const attrs = body.slice(name.length);
      const re = /\s+([A-Za-z_][\w.-]*)="([^"]*)"/gy;
      let m: RegExpExecArray | null;
      let consumed = 0;
      while ((m = re.exec(attrs)) !== null) {
        if (element.attributes[m[1]!] !== undefined) throw new Error(`attribute ${m[1]} twice`);
        element.attributes[m[1]!] = decode(m[2]!, `attribute ${m[1]}`);
        consumed = re.lastIndex;
      }
      if (attrs.slice(consumed).trim() !== '') throw new Error(`a malformed tag: <${tag}>`);
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else if (root) throw new Error('a second root element');
      else root = element;
      if (!selfClosing) stack.push(element);
    } else {
      const next = text.indexOf('<', i);
      const raw = text.slice(i, next === -1 ? text.length : next);
      i = next === -1 ? text.length : next;
      if (raw.includes(']]>')) throw new Error('"]]>" in text');
      const parent = stack[stack.length - 1];
      if (!parent) {
        if (raw.trim() !== '') throw new Error('text outside the root element');
        continue;
      }
      parent.text += decode(raw, `<${parent.name}>`);
    }
  }
  if (stack.length > 0 || !root) throw new Error('the document ends inside an element');
  return root;
}

/** Every descendant element named `name`, in document order. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((child) => [...(child.name === name ? [child] : []), ...findAll(child, name)]);
}
