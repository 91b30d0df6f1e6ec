/**
 * The identity of a resource URI, as any server could read it: two spellings a server may
 * take for the same resource have the same identity, so a resource hidden under one
 * spelling is hidden under all. Folded: scheme and host case, `file://localhost/x` and
 * `file:///x`, percent-escapes of unreserved characters (`%41` is `A`) and the case of the
 * others' hex digits, dot segments (also spelled `%2E`), repeated slashes in file paths,
 * a default port, and a trailing slash. Folding more than a given server does only hides
 * more, which is the safe side. Pure; linear in the URI.
 */

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s;
const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443', ws: '80', wss: '443', ftp: '21' };
const UNRESERVED = /[A-Za-z0-9\-._~]/;

// Percent-escapes of unreserved characters decoded (a server decoding the path reads the
// same), the others kept with upper-case hex digits.
function foldEscapes(text: string): string {
  return text.replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) => {
    const char = String.fromCharCode(Number.parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

// RFC 3986 section 5.2.4, on a path that starts with `/` (or not).
function removeDotSegments(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  const segments = path.split('/');
  if (absolute) segments.shift();
  segments.forEach((segment, i) => {
    if (segment === '.') {
      if (i === segments.length - 1) out.push('');
    } else if (segment === '..') {
      out.pop();
      if (i === segments.length - 1) out.push('');
    } else out.push(segment);
  });
  return (absolute ? '/' : '') + out.join('/');
}

/** The normalised identity of a resource URI (or of a URI template's literal text). */
export function uriIdentity(uri: string): string {
  const match = SCHEME.exec(uri.trim());
  if (!match) return removeDotSegments(foldEscapes(uri.trim())).replace(/(.)\/+$/, '$1');
  const scheme = (match[1] as string).toLowerCase();
  let rest = match[2] as string;
  let fragment = '';
  const hash = rest.indexOf('#');
  if (hash !== -1) [rest, fragment] = [rest.slice(0, hash), rest.slice(hash)];
  let query = '';
  const question = rest.indexOf('?');
  if (question !== -1) [rest, query] = [rest.slice(0, question), rest.slice(question)];
  let authority: string | undefined;
  let path = rest;
  if (rest.startsWith('//')) {
    const end = rest.indexOf('/', 2);
    authority = end === -1 ? rest.slice(2) : rest.slice(2, end);
    path = end === -1 ? '' : rest.slice(end);
    const at = authority.lastIndexOf('@');
    const userinfo = at === -1 ? '' : authority.slice(0, at + 1);
    let host = foldEscapes(authority.slice(at + 1)).toLowerCase();
    const port = /:(\d*)$/.exec(host);
    if (port && (port[1] === '' || port[1] === DEFAULT_PORTS[scheme])) host = host.slice(0, port.index);
    if (scheme === 'file' && host === 'localhost') host = '';
    authority = userinfo + host;
  }
  path = removeDotSegments(foldEscapes(path));
  // The kernel reads `//` in a path as `/`.
  if (scheme === 'file') path = path.replace(/\/{2,}/g, '/');
  if (path.length > 1) path = path.replace(/\/+$/, '');
  if (authority !== undefined && path === '') path = '/';
  return `${scheme}:${authority === undefined ? '' : `//${authority}`}${path}${foldEscapes(query)}${foldEscapes(fragment)}`;
}

/** True when `text` is a URI template (RFC 6570): it has an expression in braces. */
export function isUriTemplate(text: string): boolean {
  return /\{[^{}]*\}/.test(text);
}

// A template as literal characters and wildcards; each wildcard says what it may not span.
type Piece = { literal: string } | { wildcard: 'segment' | 'any' | 'query' };

const PLACEHOLDER = 'vgtplexpr';

function templatePieces(template: string): Piece[] {
  const operators: string[] = [];
  // Expressions are swapped for a placeholder that folding leaves alone, then folded with the rest.
  const literal = template.replace(/\{([^{}]*)\}/g, (_m, body: string) => {
    operators.push(body.charAt(0));
    return `${PLACEHOLDER}${operators.length - 1}x`;
  });
  const folded = uriIdentity(literal);
  const pieces: Piece[] = [];
  const re = new RegExp(`${PLACEHOLDER}(\\d+)x`, 'g');
  let kept = 0;
  for (const m of folded.matchAll(re)) {
    if (m.index > kept) pieces.push({ literal: folded.slice(kept, m.index) });
    const op = operators[Number(m[1])] ?? '';
    pieces.push({ wildcard: op === '+' || op === '#' ? 'any' : op === '?' || op === '&' ? 'query' : 'segment' });
    kept = m.index + m[0].length;
  }
  if (kept < folded.length) pieces.push({ literal: folded.slice(kept) });
  return pieces;
}

/** Most work one template match may take (URI length times template length); past it, the URI counts as matching. */
export const MAX_TEMPLATE_STEPS = 4_000_000;

/**
 * True when the URI (an identity from uriIdentity) is one the template could produce. A
 * simple expression spans no `/`, `?` or `#`; `{+x}` and `{#x}` span anything; `{?x}` a
 * query. Matched by dynamic programming over (URI position, template position), so an
 * adversarial template costs at most their product, never a backtracking blow-up.
 */
export function templateMatches(template: string, identity: string): boolean {
  const tokens: Array<string | Piece> = [];
  for (const piece of templatePieces(template)) {
    if ('literal' in piece) for (const ch of piece.literal) tokens.push(ch);
    else if (!(typeof tokens[tokens.length - 1] === 'object')) tokens.push(piece);
    // Adjacent expressions match like one of the widest kind.
    else if (piece.wildcard !== 'segment') tokens[tokens.length - 1] = piece;
  }
  const chars = [...identity];
  if (chars.length * (tokens.length + 1) > MAX_TEMPLATE_STEPS) return true;
  // reach[j]: the first i characters can be matched by the first j tokens.
  let reach = new Array<boolean>(tokens.length + 1).fill(false);
  reach[0] = true;
  const closeOver = (row: boolean[]): void => {
    for (let j = 0; j < tokens.length; j++) if (row[j] && typeof tokens[j] === 'object') row[j + 1] = true;
  };
  closeOver(reach);
  for (const ch of chars) {
    const next = new Array<boolean>(tokens.length + 1).fill(false);
    for (let j = 0; j < tokens.length; j++) {
      const token = tokens[j];
      if (typeof token === 'string') {
        if (reach[j] && token === ch) next[j + 1] = true;
      } else if (typeof token === 'object' && 'wildcard' in token && reach[j + 1]) {
        // A wildcard stays where it is as it takes one more character.
        const spans = token.wildcard === 'any' || (token.wildcard === 'query' ? ch !== '#' : ch !== '/' && ch !== '?' && ch !== '#');
        if (spans) next[j + 1] = true;
      }
    }
    closeOver(next);
    reach = next;
  }
  return reach[tokens.length] === true;
}
