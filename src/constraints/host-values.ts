/**
 * The `hosts` and `schemes` constraints: every URL in the argument (the argument itself,
 * URLs written inside it, and URLs inside its query parameters and fragment, decoded), read
 * as the WHATWG parser reads it, and as the other parsers inspection knows of would, names
 * a host matching one glob and a listed scheme. An argument with no URL is refused.
 */
import { domainToASCII } from 'node:url';
import micromatch from 'micromatch';
import { findUrls } from '../inspect/detectors/network/extract.js';
import { decodeHost } from '../inspect/detectors/network/host.js';
import { viewUrl } from '../inspect/detectors/network/url-parse.js';

/** URLs looked at per argument; more is refused. */
export const MAX_URLS_PER_ARGUMENT = 200;
const MAX_DEPTH = 3;

/** A compiled hosts/schemes rule. */
export interface HostRule {
  hosts?: string[];
  schemes?: string[];
  /** True when the host (already lower case, no trailing dot) is allowed; an empty host never is. */
  hostAllowed(host: string): boolean;
}

/** One host glob in the one dialect (micromatch), folded: lower case, IDNA per label, no trailing dot. */
export function foldHostGlob(glob: string): string {
  const trimmed = glob.toLowerCase().replace(/\.+$/, '');
  return trimmed
    .split('.')
    .map((label) => (/[*?[\]{}]/.test(label) || /^[\x00-\x7f]*$/.test(label) ? label : domainToASCII(label) || label))
    .join('.');
}

/** Compile host globs once. */
export function compileHostRule(hosts: readonly string[] | undefined, schemes: readonly string[] | undefined): HostRule {
  const matchers = (hosts ?? []).map((h) => micromatch.matcher(foldHostGlob(h), { dot: true, nocase: true, nonegate: true, noextglob: true, strictBrackets: true }));
  return {
    ...(hosts && { hosts: [...hosts] }),
    ...(schemes && { schemes: schemes.map((s) => s.toLowerCase().replace(/:$/, '')) }),
    hostAllowed: (host) => hosts === undefined || (host !== '' && matchers.some((m) => m(host))),
  };
}

function decodeOnce(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

// Every URL text in a string: the string itself when it parses, URLs written in it (as sent
// and percent-decoded), and, for each, URLs carried in its query and fragment.
function collectUrls(text: string, out: Set<string>, depth: number): void {
  if (depth > MAX_DEPTH || out.size > MAX_URLS_PER_ARGUMENT) return;
  const found = new Set<string>();
  const trimmed = text.trim();
  if (URL.canParse(trimmed) && /^[a-z][a-z0-9+.-]*:/i.test(trimmed)) found.add(trimmed);
  for (const form of new Set([text, decodeOnce(text)])) for (const u of findUrls(form)) found.add(u);
  for (const u of found) {
    if (out.has(u)) continue;
    out.add(u);
    if (!URL.canParse(u)) continue;
    const parsed = new URL(u);
    for (const [, value] of parsed.searchParams) collectUrls(value, out, depth + 1);
    if (parsed.hash.length > 1) collectUrls(decodeOnce(parsed.hash.slice(1)), out, depth + 1);
  }
}

/** The first URL in the value that breaks the rule, with why; undefined when every URL holds. */
export function hostBreach(value: string, rule: HostRule): string | undefined {
  const urls = new Set<string>();
  collectUrls(value, urls, 0);
  if (urls.size === 0) return 'holds no URL';
  if (urls.size > MAX_URLS_PER_ARGUMENT) return `holds more than ${MAX_URLS_PER_ARGUMENT} URLs`;
  for (const text of urls) {
    if (!URL.canParse(text)) return `holds "${text.slice(0, 80)}", which is not a URL the WHATWG parser reads`;
    const url = new URL(text);
    const scheme = url.protocol.replace(/:$/, '');
    if (rule.schemes && !rule.schemes.includes(scheme)) return `uses the scheme "${scheme}"`;
    if (rule.hosts === undefined) continue;
    const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.+$/, '');
    if (!rule.hostAllowed(host)) return host === '' ? `holds a URL with no host (${text.slice(0, 80)})` : `names the host "${host}"`;
    // Other parsers may read the same text as leading elsewhere (`http://ok#@evil`): each must be allowed too.
    for (const candidate of viewUrl(text, false)?.hosts ?? []) {
      const decoded = decodeHost(candidate.host).name;
      const name = /^[\x00-\x7f]*$/.test(decoded) ? decoded : domainToASCII(decoded) || decoded;
      if (name !== host && !rule.hostAllowed(name)) return `may be read as naming the host "${name}"`;
    }
  }
  return undefined;
}
