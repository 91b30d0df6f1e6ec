/**
 * Host names that carry data (issue 12): DNS exfiltration encodes what it steals into the
 * labels left of a domain the attacker's name server answers for (`<hex>.<hex>.oob.example`),
 * so the lookup alone delivers it. What marks such labels: long runs of hex, base32 or
 * base64url characters that mix letters and digits; what real host names have there instead:
 * words, hyphenated names, short ids (CloudFront's 14 characters, a 32-hex account id).
 */
import { charStats } from '../../validators/text-stats.js';

// Characters of data a name must carry in its labels (left of the registrable domain).
const DATA_CHARS = 40;
// A label shorter than this is a name or a short id.
const MIN_LABEL = 12;

/** True when one label reads as encoded data: no hyphen, letters and digits mixed, random-looking. */
function isDataLabel(label: string): boolean {
  if (label.length < MIN_LABEL || !/^[a-z0-9_]+$/.test(label)) return false;
  // IPFS CIDv1 (base32, 'bafy…'/'bafk…') name content on subdomain gateways: an address, not a payload.
  if (/^baf[ky]/.test(label)) return false;
  const stats = charStats(label);
  const letters = stats.lower;
  if (stats.digit < 2 || letters < 2) return false;
  // Hex of text leans on a few high nibbles (6x, 7x), so its entropy is lower than random hex.
  if (/^[0-9a-f]+$/.test(label)) return stats.entropy >= 2.8;
  return stats.entropy >= Math.min(3.4, 0.8 * Math.log2(label.length));
}

/**
 * What a host name carries as data (a short description), or undefined for an ordinary
 * name. Labels of encoded data adding up to 40 characters or more, left of the last two labels.
 */
export function dataInHostname(name: string): string | undefined {
  const labels = name.toLowerCase().split('.');
  if (labels.length < 3 || name.length > 260) return undefined;
  const data = labels.slice(0, -2).filter(isDataLabel);
  const chars = data.reduce((n, l) => n + l.length, 0);
  if (chars < DATA_CHARS) return undefined;
  return `${data.length} label${data.length === 1 ? '' : 's'} of encoded data (${chars} characters) before ${labels.slice(-2).join('.')}`;
}
