/**
 * The hash chain, as pure functions over lines of text.
 *
 * A chained line is `{"seq":N,<record fields>,"prev":"<64 hex>","hash":"<64 hex>"}` where
 * `body` is the same line with the two trailing fields removed (`{"seq":N,<record fields>}`)
 * and `hash = sha256(prev + body)` over UTF-8. `seq` is always the first field and the chain
 * fields always the last, at fixed offsets, so a verifier slices them off by position and never
 * has to re-serialize (re-serializing would not reproduce the bytes that were hashed).
 */
import { nodeCrypto } from '../util/node-crypto.js';

/** The `prev` of the first record in a log: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** Where the chain stands: the seq the next record gets and the hash it must point to. */
export interface ChainHead {
  nextSeq: number;
  lastHash: string;
}

/** A chained line taken apart. */
export interface ChainLine {
  seq: number;
  prev: string;
  hash: string;
  /** The hashed text: the line without its chain fields. */
  body: string;
}

/** The head of an empty log. */
export const GENESIS_HEAD: Readonly<ChainHead> = { nextSeq: 0, lastHash: GENESIS_HASH };

// `,"prev":"` + 64 + `","hash":"` + 64 + `"}` — the suffix length is fixed.
const SUFFIX_LENGTH = 9 + 64 + 10 + 64 + 2;
const SUFFIX = /^,"prev":"([0-9a-f]{64})","hash":"([0-9a-f]{64})"\}$/;
const SEQ_PREFIX = /^\{"seq":(0|[1-9][0-9]{0,14})[,}]/;

// The one-shot hash (Node 20.12+) where there is one: it makes no Hash object per line, and a
// chained line is hashed on the way of every record. The bytes hashed are the same either way.
// Taken when the first line is hashed: node:crypto is not loaded before the server is spawned.
type OneShot = (algorithm: string, data: string, encoding: 'hex') => string;
let oneShot: OneShot | null | undefined;

/** sha256(prev + body), hex. */
export function chainHash(prev: string, body: string): string {
  if (oneShot === undefined) oneShot = (nodeCrypto() as { hash?: OneShot }).hash ?? null;
  return oneShot === null ? nodeCrypto().createHash('sha256').update(prev).update(body).digest('hex') : oneShot('sha256', prev + body, 'hex');
}

/**
 * Chain one JSON object line (as pino writes it, `{...}\n`): put `seq` first, append
 * `prev` and `hash`, and return the text to write and the new head.
 */
export function sealLine(head: ChainHead, line: string): { text: string; head: ChainHead } {
  const json = line.endsWith('\n') ? line.slice(0, -1) : line;
  if (!json.startsWith('{') || !json.endsWith('}') || json.length < 2) {
    throw new TypeError('sealLine expects one JSON object per line');
  }
  const rest = json.length === 2 ? '}' : `,${json.slice(1)}`;
  const body = `{"seq":${head.nextSeq}${rest}`;
  const hash = chainHash(head.lastHash, body);
  const text = `${body.slice(0, -1)},"prev":"${head.lastHash}","hash":"${hash}"}\n`;
  return { text, head: { nextSeq: head.nextSeq + 1, lastHash: hash } };
}

/**
 * Take a line (without its newline) apart by position. Returns undefined when the line does
 * not have the chained shape; does not check the hash.
 */
export function parseChainLine(line: string): ChainLine | undefined {
  if (line.length <= SUFFIX_LENGTH) return undefined;
  const suffix = SUFFIX.exec(line.slice(-SUFFIX_LENGTH));
  const seq = readSeq(line);
  if (suffix === null || seq === undefined) return undefined;
  return { seq, prev: suffix[1] as string, hash: suffix[2] as string, body: `${line.slice(0, -SUFFIX_LENGTH)}}` };
}

/** The `seq` of a line that starts like a chained record, without checking anything else. */
export function readSeq(line: string): number | undefined {
  const match = SEQ_PREFIX.exec(line.slice(0, 32));
  return match === null ? undefined : Number(match[1]);
}
