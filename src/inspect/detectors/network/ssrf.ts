/**
 * The SSRF detector: refuses arguments that would steer a server to cloud
 * metadata, this machine, private networks, internal names, rebinding DNS or
 * file-reading schemes, in every spelling a URL parser or resolver accepts.
 *
 * Where it looks: strings taken to be URLs are read whole (with or without a
 * scheme); commands are searched for URLs and for bare hosts next to a
 * network tool; prose is only searched for metadata endpoints and denied
 * hosts, since people mention localhost and private addresses in passing.
 */
import { kindBit, kindBits } from '../../detector-cost.js';
import { isAddressAsData } from '../../looked-up-address.js';
import { anyEnough, NO_FINDINGS, type Detector, type Finding, type InspectContext, type InspectedString, type NetworkContext } from '../../types.js';
import { findBareHosts, findUrls, mentionsNetworkTool, type BareHost } from './extract.js';
import { decodeHost, type HostHit } from './host.js';
import { hostHits } from './host-hits.js';
import { evidenceOf, messageFor } from './messages.js';
import { SSRF_RULE_IDS, SSRF_RULES, type SsrfRuleId } from './rule-ids.js';
import { authorityIsHost, isDangerousScheme } from './schemes.js';
import { startsLikeUrl, viewUrl, whatwgHost } from './url-parse.js';
import { detached } from '../../quiet-strings.js';

/** A hit with the text it was seen in. */
interface Seen extends HostHit {
  evidence: string;
}

// No hits (shared: read only).
const NO_HITS: readonly Seen[] = [];

// Argument names whose whole value is a host even when the kind is only 'text'.
const HOST_KEY_WORDS = new Set(['host', 'hostname', 'ip', 'addr', 'address', 'server', 'endpoint', 'target', 'domain', 'url', 'uri']);

/** Everything wrong with one URL (or `host:port/path` when `schemeless`); `publicName` as for hostHits. */
function urlHits(url: string, schemeless: boolean, net: NetworkContext, publicName = true): Seen[] {
  const view = viewUrl(url, schemeless);
  if (view === undefined) return [];
  const hits: HostHit[] = [];
  if (view.scheme !== undefined && isDangerousScheme(view.scheme)) hits.push({ ruleId: 'ssrf.dangerous-scheme', detail: view.scheme });
  // A dotless name is a host only after a network scheme: `http://redis/`, not `redis` or `php://filter`.
  const singleLabel = view.scheme !== undefined && authorityIsHost(view.scheme);
  for (const c of view.hosts) for (const hit of hostHits(c, view.scheme, singleLabel, net, publicName)) hits.push(hit);
  // (The evidence only for a URL with hits: most have none.)
  if (hits.length === 0) return [];
  const evidence = evidenceOf(url.trim());
  return hits.map((h) => ({ ...h, evidence }));
}

/** Hits for a bare host in a command: only where it is clearly a destination. */
function bareHits(bare: BareHost, networkTool: boolean, net: NetworkContext): readonly Seen[] {
  // Without a network tool or a port it is no destination, and only metadata and denied-host hits are kept (below).
  const mayBeDestination = networkTool || bare.port !== undefined;
  const hits = hostHits(bare, undefined, false, net, mayBeDestination);
  if (hits.length === 0) return NO_HITS;
  // 0.0.0.0 and :: next to a command are bind addresses (`--host 0.0.0.0`), not destinations.
  const destination = mayBeDestination && !decodeHost(bare.host).addresses.some((a) => a === '::' || a.startsWith('0.'));
  const strong = hits.some((h) => h.ruleId !== 'ssrf.obfuscated-address' && h.ruleId !== 'ssrf.internal-name');
  // Words such as `main` or `ls` are not hosts, so a broad deny glob only meets tokens shaped like one.
  const hostShaped = /[.:[]/.test(bare.host) || bare.port !== undefined;
  const kept = hits.filter((h) => {
    if (h.ruleId === 'ssrf.metadata-endpoint') return true;
    if (h.ruleId === 'ssrf.denied-host') return hostShaped;
    // A disguised spelling alone could be a version number; with a private target it is intent.
    if (h.ruleId === 'ssrf.obfuscated-address') return destination && strong;
    return destination;
  });
  return kept.map((h) => ({ ...h, evidence: evidenceOf(bare.token) }));
}

/**
 * A string known to be a URL: read whole. URLs inside its query are not where
 * it leads (`?next=http://localhost/` is common), but when the value holds
 * several words, each URL among them is read too.
 */
function inspectUrl(text: string, net: NetworkContext, settles: Settles): Seen[] {
  const whole = [...urlHits(text, true, net), ...nestedHits(text, net, settles, 0)];
  // URL parsers drop tabs and newlines anywhere, so they do not make a value several words.
  if (!mayHoldSpace(text) || !/\s/.test(text.replace(/[\t\n\r]/g, '').trim())) return whole;
  return [...whole, ...hitsUntil(findUrls(text), (u) => urlHits(u, false, net), settles)];
}

/** False when `text` has no character \\s matches: none at or below U+0020 and none above U+007E (a URL with no space is one word). */
export function mayHoldSpace(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c > 0x7e) return true;
  }
  return false;
}

// What a URL nested in another's query (`?redirect=…`, `?callback=…`) is refused for: an open
// redirect or a fetching endpoint carries the request on to it. Loopback is left out on
// purpose: `?next=http://localhost:3000/callback` is how every OAuth and login flow says
// where to come back to, and the outer host is what the server connects to.
const NESTED_RULES: ReadonlySet<SsrfRuleId> = new Set(['ssrf.metadata-endpoint', 'ssrf.private-address', 'ssrf.dangerous-scheme', 'ssrf.rebinding-domain', 'ssrf.obfuscated-address', 'ssrf.denied-host']);
const NESTED_DEPTH = 3;

/** Hits for URLs in the query parameters of a URL (decoded once per level, up to three levels). */
function nestedHits(text: string, net: NetworkContext, settles: Settles, depth: number): Seen[] {
  if (depth >= NESTED_DEPTH || !text.includes('?') || !/:\/\/|%3a%2f%2f/i.test(text.slice(text.indexOf('?')))) return [];
  let params: URLSearchParams;
  try {
    params = new URL(text.trim()).searchParams;
  } catch {
    return [];
  }
  const values = [...params.values()].filter((v) => /^[a-z][a-z0-9+.-]{1,30}:\/\//i.test(v.trim())).slice(0, 16);
  return hitsUntil(values, (v) => [...urlHits(v.trim(), false, net).filter((h) => NESTED_RULES.has(h.ruleId)), ...nestedHits(v, net, settles, depth + 1)], settles);
}

/** True for a hit that, as a finding, blocks the call: nothing read after it could change that. */
export type Settles = (hit: Seen) => boolean;

// The hits of each item in turn, up to the first item with a hit that settles the verdict: a
// text made of thousands of addresses costs one blocking address's reading, not thousands.
// Without such a hit (a policy floor above what was found, say) every item is read.
function hitsUntil<T>(items: readonly T[], hitsOf: (item: T) => readonly Seen[], settles: Settles): Seen[] {
  const all: Seen[] = [];
  for (const item of items) {
    // Reading one candidate (parsing it every way a server could) is the costly part: counted.
    spendOnCall?.(CANDIDATE_STEPS);
    const hits = hitsOf(item);
    for (const hit of hits) all.push(hit);
    if (hits.length > 0 && hits.some(settles)) break;
  }
  return all;
}

/** A shell command: every URL in it, and bare hosts that a network tool would reach. */
function inspectCommand(text: string, net: NetworkContext, settles: Settles): Seen[] {
  const inUrls = hitsUntil(findUrls(text), (u) => urlHits(u, false, net), settles);
  if (inUrls.some(settles)) return inUrls;
  const bare = findBareHosts(text);
  if (bare.length === 0) return inUrls;
  // (Whether a network tool is named matters only to bare hosts: read when there is one.)
  const networkTool = mentionsNetworkTool(text);
  const inBare = hitsUntil(bare, (b) => bareHits(b, networkTool, net), settles);
  if (inUrls.length === 0) return inBare;
  for (const hit of inBare) inUrls.push(hit);
  return inUrls;
}

// Argument names already read (a session sends the same few names again and again).
const keyNamesAHost = new Map<string, boolean>();
const KEY_CACHE = 1024;

/** True when the argument's name says its value is a host or URL (`host`, `targetIp`, `server_url`). */
function namesAHost(key: string | undefined): boolean {
  if (key === undefined) return false;
  let names = keyNamesAHost.get(key);
  if (names === undefined) {
    names = readKeyName(key);
    if (key.length <= 256) {
      if (keyNamesAHost.size >= KEY_CACHE) keyNamesAHost.clear();
      // Kept as a copy of its own: a key cut from a longer text would keep that text alive.
      keyNamesAHost.set(detached(key), names);
    }
  }
  return names;
}

function readKeyName(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  const last = words.filter((w) => w !== '').pop();
  return last !== undefined && HOST_KEY_WORDS.has(last.replace(/s$/, ''));
}

/** True when WHATWG parses the whole text as a URL that names a host (`http://a b@10.0.0.1/`). */
function wholeUrl(text: string): boolean {
  return startsLikeUrl(text) && whatwgHost(text) !== undefined;
}

/**
 * Whether prose (a string of kind text, not url) may lead anywhere, decided before it is read:
 * a URL's scheme ends in `:` and findUrls looks for `://`, so without a colon only a value that
 * starts with `//` or `\\`, or one whose argument's name says it is a host, is read as one.
 */
export function proseMayLead(text: string, key: string | undefined): boolean {
  return text.includes(':') || (mayStartWithSlashes(text) && startsWithTwoSlashes(text.trim())) || namesAHost(key);
}

/**
 * False when startsWithTwoSlashes(text.trim()) is, read from the first character alone: a
 * printable ASCII character other than a space is not trimmed nor skipped, so when it is no
 * slash nor backslash, the text does not start with two of them.
 */
function mayStartWithSlashes(text: string): boolean {
  const c = text.charCodeAt(0);
  return !(c > 0x20 && c < 0x7f && c !== 0x2f && c !== 0x5c);
}

/**
 * startsLikeUrl for a text without a colon (no scheme): it starts with two of `/` and `\`,
 * after what URL parsers skip (leading controls and spaces) and drop (tabs and newlines).
 */
export function startsWithTwoSlashes(text: string): boolean {
  let i = 0;
  while (i < text.length && text.charCodeAt(i) <= 0x20) i++;
  let slashes = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x09 || c === 0x0a || c === 0x0d) continue;
    if (c !== 0x2f && c !== 0x5c) return false;
    if (++slashes === 2) return true;
  }
  return false;
}

const SERIOUS_IN_PROSE: ReadonlySet<SsrfRuleId> = new Set(['ssrf.metadata-endpoint', 'ssrf.denied-host']);

/** Prose: a string that is only a URL is read as one; URLs inside sentences only for metadata and denied hosts. */
export function inspectProse(text: string, key: string | undefined, net: NetworkContext, settles: Settles): Seen[] {
  const trimmed = text.trim();
  const spaced = /\s/.test(trimmed);
  // A value that a URL parser reads whole as a URL with a host is one, spaces and all.
  if (trimmed !== '' && (!spaced || wholeUrl(trimmed))) {
    const alone = urlHits(trimmed, namesAHost(key), net);
    if (alone.length > 0 || (!spaced && viewUrl(trimmed, false) !== undefined)) return alone;
  }
  return hitsUntil(findUrls(text), (u) => urlHits(u, false, net, false).filter((h) => SERIOUS_IN_PROSE.has(h.ruleId)), settles);
}

// The bits of the kinds inspectSpelling reads (kindBits).
const URL_BIT = kindBit('url');
const COMMAND_BIT = kindBit('command');
const TEXT_BIT = kindBit('text');

/** All hits in one spelling of a string, by the kinds it is taken to be. */
function inspectSpelling(text: string, s: InspectedString, ctx: InspectContext): readonly Seen[] {
  const kinds = ctx.kindsOf(s);
  // (Read as bits: kindBits of a shared set is one lookup, where each `has` is one.)
  const bits = kindBits(kinds);
  const url = (bits & URL_BIT) !== 0;
  const command = (bits & COMMAND_BIT) !== 0;
  // A looked-up address (../../looked-up-address.ts): its argument's name is no reason to read it as a host.
  const asProse = (bits & TEXT_BIT) !== 0 && !url;
  const key = asProse && !isAddressAsData(kinds) ? s.key : undefined;
  // (Whether prose may lead anywhere is decided before the URL and command readings: it
  // counts no steps and reads nothing they change, and most strings are prose that leads nowhere.)
  const prose = asProse && proseMayLead(text, key);
  if (!url && !command && !prose) return NO_HITS;
  const hits: Seen[] = [];
  const enough = ctx.enough;
  const settles: Settles = enough ? (hit) => enough(findingOf(hit, s)) : () => false;
  if (url) hits.push(...inspectUrl(text, ctx.network, settles));
  if (command) hits.push(...inspectCommand(text, ctx.network, settles));
  if (prose) hits.push(...inspectProse(text, key, ctx.network, settles));
  return hits;
}

function findingOf(hit: Seen, s: InspectedString): Finding {
  const finding: Finding = { ruleId: hit.ruleId, category: 'ssrf', severity: SSRF_RULES[hit.ruleId], path: s.path, evidence: hit.evidence, message: messageFor(hit.ruleId, hit.detail) };
  return hit.ruleId === 'ssrf.drop-service' ? { ...finding, warnOnly: true } : finding;
}

// The work budget of the call being inspected (InspectContext.spend, see ../../budget.ts),
// set for the duration of one synchronous inspect(), and what one URL or host candidate costs
// in its steps (measured: ~60 µs of parsing, about 14 000 steps; counted at about half, so
// that arguments of up to ~1 MiB of URL-dense text still fit the per-character allowance).
let spendOnCall: ((steps?: number) => void) | undefined;
const CANDIDATE_STEPS = 8_192;


/** One finding per rule per string: the first spelling that shows it. */
function inspectString(s: InspectedString, ctx: InspectContext): readonly Finding[] {
  let first: Map<SsrfRuleId, Seen> | undefined;
  for (let v = -1; v < s.variants.length; v++) {
    for (const hit of inspectSpelling(v < 0 ? s.raw : s.variants[v]!.text, s, ctx)) {
      first ??= new Map();
      if (!first.has(hit.ruleId)) first.set(hit.ruleId, hit);
    }
  }
  if (first === undefined) return NO_FINDINGS;
  const found = first;
  return SSRF_RULE_IDS.flatMap((ruleId) => {
    const hit = found.get(ruleId);
    return hit === undefined ? [] : [findingOf(hit, s)];
  });
}

/** The code detector named 'ssrf' in policies/rules/ssrf.yaml. */
export const ssrfDetector: Detector = {
  category: 'ssrf',
  ruleIds: SSRF_RULE_IDS,
  inspect(strings: readonly InspectedString[], ctx: InspectContext): readonly Finding[] {
    // (Made on the first finding: most calls have none.)
    let findings: Finding[] | undefined;
    spendOnCall = ctx.spend;
    try {
      for (const s of strings) {
        for (const f of inspectString(s, ctx)) (findings ??= []).push(f);
        if (findings !== undefined && anyEnough(findings, ctx.enough)) break;
      }
    } finally {
      spendOnCall = undefined;
    }
    return findings ?? NO_FINDINGS;
  },
};
