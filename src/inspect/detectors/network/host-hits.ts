/**
 * What is wrong with one host a URL or command names, and the answers kept: a session names
 * the same few hosts again and again, and reading one (decoding, every IPv4 reading, the name's
 * labels, the services lists) costs far more than looking the answer up. The answer depends
 * only on the host, the port and scheme (for the policy's lists), whether a dotless name counts
 * and whether public names are read; it is kept per network context, compared by content.
 */
import type { NetworkContext } from '../../types.js';
import { dataInHostname } from './data-labels.js';
import { dropServiceOf } from './drop-services.js';
import { decodeHost, judgeHost, normaliseHost, shorten, type HostHit } from './host.js';
import { hostSubjects, listMatches } from './host-lists.js';
import type { HostCandidate } from './url-parse.js';
import { detached } from '../../quiet-strings.js';

/**
 * Hits for one host: denied wins over allowed; an allowed host is otherwise never reported.
 * `publicName`: also read a public name for the data it carries and whose it is; a caller
 * that keeps only metadata and denied-host hits passes false, as those two never come from there.
 */
export function readHostHits(c: HostCandidate, scheme: string | undefined, singleLabel: boolean, net: NetworkContext, publicName = true): HostHit[] {
  // (Empty lists match nothing: the host's spellings are then not worked out for them.)
  const subjects = net.denyHosts.length === 0 && net.allowHosts.length === 0 ? [] : hostSubjects(c.host, c.port, scheme);
  if (listMatches(net.denyHosts, subjects)) {
    return [{ ruleId: 'ssrf.denied-host', detail: shorten(decodeHost(c.host).name) }, ...judgeHost(c.host, singleLabel)];
  }
  if (listMatches(net.allowHosts, subjects)) return [];
  const hits = judgeHost(c.host, singleLabel);
  if (hits.length > 0 || !publicName) return hits;
  // A public name: what it carries, and whose it is. (An address has no labels to read.)
  if (!/[a-z]/i.test(c.host)) return [];
  const name = normaliseHost(c.host).replace(/\.+$/, '');
  const data = dataInHostname(name);
  if (data !== undefined) return [{ ruleId: 'ssrf.data-in-hostname', detail: data }];
  const drop = dropServiceOf(name);
  return drop === undefined ? [] : [{ ruleId: 'ssrf.drop-service', detail: drop }];
}

// Hosts longer than any DNS name (and their ports) are read each time: they are junk or attacks.
const MAX_KEPT_HOST = 260;
const MAX_KEPT_PORT = 16;
const KEPT = 1024;

interface Kept {
  allow: readonly string[];
  deny: readonly string[];
  answers: Map<string, readonly HostHit[]>;
  // Without lists, by the flags (singleLabel * 2 + publicName), each by the host alone: no key is made.
  byHost: readonly [Map<string, readonly HostHit[]>, Map<string, readonly HostHit[]>, Map<string, readonly HostHit[]>, Map<string, readonly HostHit[]>];
}

// The last network context and its answers: a session passes the same context on every call.
let kept: (Kept & { net: NetworkContext }) | undefined;

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const EMPTY: readonly string[] = [];

function keptFor(net: NetworkContext): Kept {
  // (Compared by content: lists changed in place, or another context, start afresh.)
  if (kept !== undefined && kept.net === net && sameList(kept.allow, net.allowHosts) && sameList(kept.deny, net.denyHosts)) return kept;
  if (kept !== undefined && sameList(kept.allow, net.allowHosts) && sameList(kept.deny, net.denyHosts)) {
    kept = { ...kept, net };
    return kept;
  }
  kept = { net, allow: net.allowHosts.length === 0 ? EMPTY : [...net.allowHosts], deny: net.denyHosts.length === 0 ? EMPTY : [...net.denyHosts], answers: new Map(), byHost: [new Map(), new Map(), new Map(), new Map()] };
  return kept;
}

/** readHostHits, each answer kept for the next calls (the arrays and hits returned are frozen). */
export function hostHits(c: HostCandidate, scheme: string | undefined, singleLabel: boolean, net: NetworkContext, publicName = true): readonly HostHit[] {
  const port = c.port;
  if (c.host.length > MAX_KEPT_HOST || (port !== undefined && port.length > MAX_KEPT_PORT)) return readHostHits(c, scheme, singleLabel, net, publicName);
  const mine = keptFor(net);
  // Port and scheme only matter to the lists; with none they are left out, so `http://a/` and
  // `https://a:8080/` share one answer, kept by the host alone in the map for the flags. With
  // lists, the key holds them all: the scheme is [a-z0-9+.-] only, the port at most 16
  // characters after its length in two hex digits, so the parts cannot run into each other.
  const lists = net.allowHosts.length > 0 || net.denyHosts.length > 0;
  const answers = lists ? mine.answers : (mine.byHost[(singleLabel ? 2 : 0) + (publicName ? 1 : 0)] as Map<string, readonly HostHit[]>);
  const key = lists ? `${singleLabel ? 1 : 0}${publicName ? 1 : 0}${scheme ?? ''}|${port === undefined ? '-' : `${port.length.toString(16).padStart(2, '0')}${port}`}|${c.host}` : c.host;
  let answer = answers.get(key);
  if (answer === undefined) {
    answer = Object.freeze(readHostHits(c, scheme, singleLabel, net, publicName).map((h) => Object.freeze(h)));
    if (answers.size >= KEPT) answers.clear();
    // (A key is kept as a copy of its own: the host may be cut from a longer text, and the host
    // alone, or a key joined around it (a rope that holds the host), would keep that text alive.)
    answers.set(detached(key), answer);
  }
  return answer;
}

/** Forget every kept answer (tests compare kept answers with fresh readings). */
export function forgetHostHits(): void {
  kept = undefined;
}
