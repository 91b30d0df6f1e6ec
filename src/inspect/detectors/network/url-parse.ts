/**
 * Where a URL leads, as different parsers would read it. Servers parse URLs
 * with WHATWG, RFC 3986, curl or hand-written code, and SSRF payloads live in
 * the gaps (`http://a@b`, `http://127.0.0.1#@example.com`, `http:\\host`), so
 * this returns every host a reasonable parser could pick, not one.
 */
import { trimControls } from './trim.js';

/** A host a parser could connect to, as written (not yet decoded). */
export interface HostCandidate {
  host: string;
  /** The port as written, when there is one. */
  port: string | undefined;
}

/** A URL split into what matters for SSRF. */
export interface UrlView {
  /** Lower-case scheme, or undefined for `host:port/path` and `//host` forms. */
  scheme: string | undefined;
  hosts: HostCandidate[];
}

// Schemes whose authority WHATWG parses leniently (any run of / and \ before it).
const SPECIAL = new Set(['http', 'https', 'ws', 'wss', 'ftp', 'file']);

// Authority ends: WHATWG (also at \), RFC 3986, and a naive reader that keeps the fragment.
const AUTHORITY_ENDS = [/[/\\?#]/, /[/?#]/, /[/?]/];

/** Remove what URL parsers remove before parsing: surrounding controls and spaces, tabs and newlines anywhere. */
function stripUrl(text: string): string {
  return trimControls(text).replace(/[\t\n\r]/g, '');
}

// The first characters of a URL as a parser reads them: leading controls and spaces
// skipped, tabs and newlines dropped anywhere. Enough for a scheme of up to 31 characters.
function urlHead(text: string): string {
  let head = '';
  let i = 0;
  while (i < text.length && text.charCodeAt(i) <= 0x20) i++;
  for (; i < text.length && head.length < 34; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x09 && c !== 0x0a && c !== 0x0d) head += text[i];
  }
  return head;
}

/** True when `text` begins with a scheme (`http:`, `gopher:`) or with `//` or `\\`, as a URL parser reads it. */
export function startsLikeUrl(text: string): boolean {
  const head = urlHead(text);
  return /^[a-z][a-z0-9+.-]{0,30}:/i.test(head) || /^[/\\]{2}/.test(head);
}

/** Split `host[:port]`, keeping IPv6 brackets. */
function splitHostPort(hostport: string): HostCandidate {
  if (hostport.startsWith('[')) {
    const close = hostport.indexOf(']');
    if (close > 0) {
      const rest = hostport.slice(close + 1);
      return { host: hostport.slice(0, close + 1), port: rest.startsWith(':') ? rest.slice(1) : undefined };
    }
  }
  const colon = hostport.indexOf(':');
  return colon < 0 ? { host: hostport, port: undefined } : { host: hostport.slice(0, colon), port: hostport.slice(colon + 1) };
}

/**
 * Without a scheme, a lone small number is a count or an id, not a host
 * (`server: "1"`); a host has a dot, a port, brackets, letters, or is a long
 * number such as `2130706433`.
 */
function hostLike(c: HostCandidate): boolean {
  return c.port !== undefined || /[.:[a-z]/i.test(c.host) || /^[0-9]{8,}$/.test(c.host);
}

/** Every host the authority at the start of `rest` can be read to name. */
function authorityHosts(rest: string): HostCandidate[] {
  const hosts: HostCandidate[] = [];
  let previous: string | undefined;
  for (const end of AUTHORITY_ENDS) {
    const at = rest.search(end);
    const authority = at < 0 ? rest : rest.slice(0, at);
    // (The same authority as the reading before adds no host: each is in the list already.)
    if (authority === previous) continue;
    previous = authority;
    // Userinfo ends at the last @ for WHATWG and most libraries, at the first for some.
    const last = authority.lastIndexOf('@');
    const first = authority.indexOf('@');
    for (const cut of last === first ? [last] : [last, first]) {
      const hp = splitHostPort(authority.slice(cut + 1));
      // Some clients stop a host at the first character a name cannot hold (`127.0.0.1!/`).
      const short = /^[^!$&'()*+,;=\\]*/.exec(hp.host)?.[0] ?? '';
      for (const host of [hp.host, short]) {
        if (host !== '' && !hosts.some((h) => h.host === host && h.port === hp.port)) hosts.push({ host, port: hp.port });
      }
    }
  }
  return hosts;
}

/**
 * The host Node's own URL parser (WHATWG, what most servers fetch with) picks, when it
 * parses: IDN mapping, fullwidth dots, `\\` as `/`, spaces inside the userinfo, tabs and
 * newlines dropped. It is the authority on where a URL leads; the other readings only add.
 */
export function whatwgHost(text: string, base?: string): HostCandidate | undefined {
  if (base === undefined) {
    const plain = plainHost(text);
    if (plain !== undefined) return { host: plain, port: undefined };
  }
  try {
    const url = new URL(text, base);
    return url.hostname === '' ? undefined : { host: url.hostname, port: url.port === '' ? undefined : url.port };
  } catch {
    return undefined;
  }
}

// The schemes plainHost reads, as written before `//`: special schemes (WHATWG) with a host, file aside.
const PLAIN_SCHEMES = ['https://', 'http://', 'wss://', 'ws://', 'ftp://'];

/**
 * The host of a URL of the commonest shape, read without the URL parser: `https://` (or
 * http, ws, wss, ftp, in lower case) right at the start, then a host of ASCII letters, digits,
 * hyphens and dots, then `/`, `?`, `#` or the end. For such a URL WHATWG's hostname is the host
 * lower-cased (an ASCII domain with no label starting `xn--` is only lower-cased, and holds
 * no forbidden character), and its port is empty (none was written); what follows the host
 * cannot make it fail. Undefined, for whatwgHost to ask the parser, for anything else: an
 * empty label (`a..b`, a trailing dot), a label starting `xn--`, a last label that is a number
 * to WHATWG (all digits, or `0x…`: an IPv4 address), a port, userinfo, a backslash, a tab,
 * a space, a character beyond ASCII. (test/inspect/network/plain-host-equivalence.test.ts.)
 */
function plainHost(text: string): string | undefined {
  let start = -1;
  for (const scheme of PLAIN_SCHEMES) {
    if (text.startsWith(scheme)) {
      start = scheme.length;
      break;
    }
  }
  if (start < 0) return undefined;
  let label = start;
  let i = start;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2f || c === 0x3f || c === 0x23) break;
    if (c === 0x2e) {
      if (i === label || startsXn(text, label)) return undefined;
      label = i + 1;
    } else if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || c === 0x2d)) return undefined;
  }
  if (i === label || startsXn(text, label)) return undefined;
  // A last label WHATWG reads as a number makes the host an IPv4 address.
  const first = text.charCodeAt(label);
  if (first === 0x30 && (text.charCodeAt(label + 1) | 0x20) === 0x78) return undefined;
  let digits = true;
  for (let k = label; k < i && digits; k++) digits = text.charCodeAt(k) >= 0x30 && text.charCodeAt(k) <= 0x39;
  if (digits) return undefined;
  return text.slice(start, i).toLowerCase();
}

// Whether the label at `at` starts with `xn--`, in any case (an IDNA label the parser checks).
function startsXn(text: string, at: number): boolean {
  return (text.charCodeAt(at) | 0x20) === 0x78 && (text.charCodeAt(at + 1) | 0x20) === 0x6e && text.charCodeAt(at + 2) === 0x2d && text.charCodeAt(at + 3) === 0x2d;
}

/** The candidates with one more, unless it is undefined or already there. */
function withHost(hosts: HostCandidate[], more: HostCandidate | undefined): HostCandidate[] {
  if (more !== undefined && !hosts.some((h) => h.host === more.host && h.port === more.port)) hosts.push(more);
  return hosts;
}

/**
 * Read a string as a URL. `schemeless`: also read `host[:port][/path]` and
 * `localhost:3000` (for arguments known to be URLs). Undefined when it is not
 * a URL in any reading.
 */
export function viewUrl(input: string, schemeless: boolean, depth = 0): UrlView | undefined {
  // Without a scheme or a leading // nothing leads anywhere unless the text may be a bare
  // host: decided on its first characters, before a long text is stripped and split.
  if (!schemeless && !startsLikeUrl(input)) return undefined;
  const stripped = stripUrl(input);
  // A host cannot hold a space, so whatever follows one is not part of where the URL leads;
  // and a value with spaces is prose, not `host:port`.
  const text = stripped.split(/\s/, 1)[0] ?? '';
  if (text === '') return undefined;
  const bare = schemeless && text === stripped;
  const m = /^([a-z][a-z0-9+.-]{0,30}):/i.exec(text);
  const scheme = m?.[1]?.toLowerCase();
  const after = m === null ? text : text.slice(m[0].length);
  // `localhost:3000/x` looks like scheme "localhost" to a URL parser, but a port to a person.
  if (scheme !== undefined && /^[0-9]{1,5}(?:[/?#]|$)/.test(after)) {
    return bare ? { scheme: undefined, hosts: authorityHosts(text).filter(hostLike) } : undefined;
  }
  if (scheme === undefined) {
    if (/^[/\\]{2}/.test(text)) {
      // Resolved against a page or a base URL, `//host/` keeps the base's scheme: WHATWG reads the whole value so.
      return { scheme: undefined, hosts: withHost(authorityHosts(text.replace(/^[/\\]+/, '')), whatwgHost(stripped, 'http://base.invalid/')) };
    }
    // A server that completes `host/path` with `http://` reads the whole value as WHATWG does.
    if (schemeless && !/^[/\\.~]/.test(text)) {
      const completed = whatwgHost(`http://${stripped}`);
      const hosts = bare ? authorityHosts(text).filter(hostLike) : [];
      return hosts.length > 0 || completed !== undefined ? { scheme: undefined, hosts: withHost(hosts, bare ? undefined : completed) } : undefined;
    }
    return undefined;
  }
  let hosts: HostCandidate[] = [];
  if (scheme === 'file') {
    // file:///etc/passwd has an empty host; only file://server/share names one.
    hosts = /^[/\\]{2}/.test(after) ? authorityHosts(after.slice(2)) : [];
  } else if (SPECIAL.has(scheme)) {
    hosts = authorityHosts(after.replace(/^[/\\]+/, ''));
  } else if (after.startsWith('//')) {
    hosts = authorityHosts(after.slice(2));
  } else if (depth < 2 && /^[a-z][a-z0-9+.-]{0,30}:/i.test(after)) {
    // Wrappers such as jar:, view-source: and netdoc: carry a whole URL.
    hosts = viewUrl(after, false, depth + 1)?.hosts ?? [];
  }
  // WHATWG reads the whole value, spaces in the userinfo included (`http://a b@127.0.0.1/`),
  // not only its first word; both readings count.
  return { scheme, hosts: withHost(withHost(hosts, whatwgHost(text)), text === stripped ? undefined : whatwgHost(input)) };
}
