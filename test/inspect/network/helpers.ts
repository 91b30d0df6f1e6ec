/** Building inspected strings and contexts for the SSRF detector's tests. */
import { ssrfDetector } from '../../../src/inspect/detectors/network/ssrf.js';
import type { ArgumentKind, InspectContext, InspectedString, NetworkContext } from '../../../src/inspect/types.js';

/** Decoded spellings a normaliser would add: repeated URL decoding and NFKC. */
export function spellings(raw: string): InspectedString['variants'] {
  const out: InspectedString['variants'] = [];
  const add = (text: string, via: string) => {
    if (text !== raw && !out.some((v) => v.text === text)) out.push({ text, via });
  };
  let text = raw;
  let via = 'url';
  for (let i = 0; i < 3; i++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(text);
    } catch {
      break;
    }
    if (decoded === text) break;
    add(decoded, via);
    text = decoded;
    via = `${via}+url`;
  }
  add(raw.normalize('NFKC'), 'nfkc');
  return out;
}

/** One argument string of the given kinds (text is always among them, as in inspection). */
export interface Arg {
  raw: string;
  kinds: ArgumentKind[];
  key?: string;
  decoded?: boolean;
}

/** Run the detector on one string; the rule ids it reports, sorted. */
export function rulesFor(arg: Arg, network: Partial<NetworkContext> = {}): string[] {
  return findingsFor(arg, network)
    .map((f) => f.ruleId)
    .sort();
}

/** Run the detector on one string; its findings. */
export function findingsFor(arg: Arg, network: Partial<NetworkContext> = {}) {
  const s: InspectedString = {
    path: arg.key ?? 'arg',
    key: arg.key ?? 'arg',
    isKey: false,
    raw: arg.raw,
    variants: arg.decoded === false ? [] : spellings(arg.raw),
  };
  const kinds = new Set<ArgumentKind>([...arg.kinds, 'text']);
  const ctx: InspectContext = {
    tool: 'fetch',
    kindsOf: () => kinds,
    paths: { roots: [], deny: [], cwd: '/', home: '/home/u', realpath: () => undefined },
    network: { allowHosts: [], denyHosts: [], ...network },
  };
  return ssrfDetector.inspect([s], ctx);
}
