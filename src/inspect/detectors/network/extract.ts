/**
 * Finding URLs and hosts inside free text and shell commands
 * (`curl -s http://169.254.169.254/`, `nc 10.0.0.5 6379`). Patterns either
 * run on one token of at most 300 characters or have bounded repetition, so
 * a scan stays linear in the text.
 */

/** A host written without a scheme, as a command argument. */
export interface BareHost {
  /** The token as written, for evidence. */
  token: string;
  host: string;
  port: string | undefined;
}

// `://`, or with backslashes for either slash; schemes are found by walking back from it.
const SCHEME_MARK = /:[/\\]{2}/g;
const SCHEME_CHAR = /[a-z0-9+.-]/i;
const LETTER = /[a-z]/i;
// A URL in a command or sentence ends at whitespace, a quote, or a shell character.
const URL_END = /[\s"'`<>|;&(){}^]/;
const MAX_SCHEME = 31;
const MAX_URL = 2048;

// Command separators, quotes, assignment and grouping split tokens; `user@host` keeps the host.
const TOKEN_SPLIT = /[\s"'`<>|;&(),={}]+/;

const DOTTED_ADDRESS = /^(?:0x[0-9a-f]{1,8}|[0-9]{1,10})(?:\.(?:0x[0-9a-f]{1,8}|[0-9]{1,10})){3}\.?$/;
const DOTLESS_ADDRESS = /^(?:0x[0-9a-f]{8}|[0-9]{8,10})$/;
const NAME = /^[a-z0-9_-]{1,63}(?:\.[a-z0-9_-]{1,63}){0,8}\.?$/;
const IPV6_BARE = /^[0-9a-f]{0,4}(?::[0-9a-f.]{0,15}){2,8}$/;
const PORT = /^[0-9]{1,5}$/;

// Programs and calls that open connections; a bare address next to one is a destination.
const NETWORK_TOOL =
  /\b(?:curl|wget|nc|ncat|netcat|socat|telnet|ssh|scp|sftp|ftp|tftp|rsync|nmap|httpie|xh|aria2c|lynx|w3m|redis-cli|mysql|psql|mongo|mongosh|ldapsearch|smbclient|s_client|invoke-webrequest|iwr|invoke-restmethod|irm|urlopen|urllib|requests\.(?:get|post|put|request)|axios|dig|nslookup|ssh-keyscan)\b/;

/**
 * URLs with a scheme and an authority written anywhere in the text. Scans for
 * `://` and walks back over the scheme, so each character is looked at a
 * bounded number of times (a regex starting at every letter is not).
 */
export function findUrls(text: string): string[] {
  const urls: string[] = [];
  // (Every mark has a colon: a text without one has no URL, and the regex is not run.)
  if (!text.includes(':')) return urls;
  SCHEME_MARK.lastIndex = 0;
  for (let m = SCHEME_MARK.exec(text); m !== null; m = SCHEME_MARK.exec(text)) {
    const colon = m.index;
    let start = colon;
    while (start > 0 && colon - start < MAX_SCHEME && SCHEME_CHAR.test(text.charAt(start - 1))) start--;
    while (start < colon && !LETTER.test(text.charAt(start))) start++;
    if (start === colon) continue;
    let end = colon + m[0].length;
    while (end < text.length && end - colon < MAX_URL && !URL_END.test(text.charAt(end))) end++;
    // Quoted, a URL may hold spaces (`curl 'http://a b@10.0.0.1/'`): the program is handed
    // all of it up to the closing quote, so that reading comes first.
    const quote = text.charAt(start - 1);
    if ((quote === '"' || quote === "'") && end < text.length && text.charAt(end) !== quote) {
      const close = text.indexOf(quote, end);
      if (close > end && close - colon < MAX_URL) urls.push(text.slice(start, close));
    }
    urls.push(text.slice(start, end));
    SCHEME_MARK.lastIndex = end;
  }
  return urls;
}

/** True when a command runs something that connects to the hosts it names. */
export function mentionsNetworkTool(command: string): boolean {
  return NETWORK_TOOL.test(command.toLowerCase());
}

/** Split `host:port`, or undefined when what follows the colon is not a port. */
function splitPort(text: string): { host: string; port: string | undefined } | undefined {
  const colon = text.lastIndexOf(':');
  if (colon < 0) return { host: text, port: undefined };
  const port = text.slice(colon + 1);
  return PORT.test(port) ? { host: text.slice(0, colon), port } : undefined;
}

/** Drop sentence punctuation after a host (`10.0.0.5,` `localhost:`), keeping one trailing dot. */
function trimPunctuation(text: string): string {
  let end = text.length;
  while (end > 0 && '.,:;!?'.includes(text.charAt(end - 1))) end--;
  return text.charAt(end) === '.' ? text.slice(0, end + 1) : text.slice(0, end);
}

/** Read one token as a bare host; undefined when it does not look like one. */
function readToken(token: string): BareHost | undefined {
  const lower = token.toLowerCase();
  const noUser = lower.slice(lower.lastIndexOf('@') + 1);
  const slash = noUser.search(/[/\\?#]/);
  const hostport = trimPunctuation(slash < 0 ? noUser : noUser.slice(0, slash));
  if (hostport.startsWith('[')) {
    const close = hostport.indexOf(']');
    const rest = hostport.slice(close + 1);
    if (close < 0 || (rest !== '' && !PORT.test(rest.slice(1)))) return undefined;
    return { token, host: hostport.slice(0, close + 1), port: rest === '' ? undefined : rest.slice(1) };
  }
  if (IPV6_BARE.test(hostport) && hostport.includes('::')) return { token, host: hostport, port: undefined };
  const split = splitPort(hostport);
  if (split === undefined) return undefined;
  const { host, port } = split;
  const isHost = DOTTED_ADDRESS.test(host) || DOTLESS_ADDRESS.test(host) || (NAME.test(host) && /[a-z]/.test(host));
  return isHost ? { token, host, port } : undefined;
}

/** Tokens of a command that read as hosts, with or without a port, by the split and readToken (the tests compare findBareHosts with it). */
export function findBareHostsReadInFull(command: string): BareHost[] {
  const found: BareHost[] = [];
  // A repeated token says nothing new; reading each once keeps long commands cheap.
  for (const token of new Set(command.split(TOKEN_SPLIT))) {
    if (token === '' || token.length > 300 || token.includes('://')) continue;
    const bare = readToken(token);
    if (bare !== undefined) found.push(bare);
  }
  return found;
}

// Per ASCII code unit: 1 for a character TOKEN_SPLIT splits on, 2 for one a plain token is
// made of ([a-z0-9_-]), 0 for any other.
const SPLITS = 1;
const PLAIN = 2;
const ASCII_CLASS = new Uint8Array(128);
for (const c of '\t\n\v\f\r "\'`<>|;&(),={}') ASCII_CLASS[c.charCodeAt(0)] = SPLITS;
for (const c of 'abcdefghijklmnopqrstuvwxyz0123456789_-') ASCII_CLASS[c.charCodeAt(0)] = PLAIN;

// The code units above U+007F that \s matches (TOKEN_SPLIT splits on them too).
function isWideSpace(c: number): boolean {
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

// Tokens read, looked for in a list up to this many (then a set).
const TOKENS_LISTED = 16;

/**
 * Tokens of a command that read as hosts, with or without a port: findBareHostsReadInFull in
 * one pass over the code units. A plain token (lower-case letters, digits, `_` and `-`, as most
 * words of a command are) is read here: readToken would find no user, path, port or dot in it,
 * so it is a host when it is a name (at most 63 characters, a letter in it) or a long number.
 */
export function findBareHosts(command: string): BareHost[] {
  const found: BareHost[] = [];
  // A repeated token says nothing new: each is read once (a list of the tokens read once a
  // second one is, searched while short; a set past that).
  let seen: Set<string> | undefined;
  let listed: string[] | undefined;
  let first: string | undefined;
  const n = command.length;
  let start = 0;
  while (start < n) {
    let c = command.charCodeAt(start);
    if (c < 128 ? ASCII_CLASS[c] === SPLITS : isWideSpace(c)) {
      start++;
      continue;
    }
    let end = start;
    let plain = true;
    let letter = false;
    for (; end < n; end++) {
      c = command.charCodeAt(end);
      if (c < 128) {
        const cls = ASCII_CLASS[c]!;
        if (cls === SPLITS) break;
        if (cls !== PLAIN) plain = false;
        else if (c >= 0x61) letter = true;
      } else if (isWideSpace(c)) break;
      else plain = false;
    }
    const token = command.slice(start, end);
    start = end;
    if (first === undefined) first = token;
    else if (seen !== undefined) {
      if (seen.has(token)) continue;
      seen.add(token);
    } else {
      listed ??= [first];
      if (listed.includes(token)) continue;
      listed.push(token);
      if (listed.length > TOKENS_LISTED) seen = new Set(listed);
    }
    if (token.length > 300) continue;
    if (plain) {
      // (`_` and `-` are below `a`: a letter is a code unit from 0x61 in a plain token.)
      if ((token.length <= 63 && letter) || DOTLESS_ADDRESS.test(token)) found.push({ token, host: token, port: undefined });
      continue;
    }
    if (token.includes('://')) continue;
    const bare = readToken(token);
    if (bare !== undefined) found.push(bare);
  }
  return found;
}
