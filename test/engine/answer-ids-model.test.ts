/**
 * The requests in flight (IdTable under PendingClientRequests) read through the engine against
 * a model: a Set of the loose keys (idKey) of the client requests the engine forwarded and
 * that no answer has matched yet. Every server answer must be matched (forwarded to the
 * client) exactly when the model holds its key, and refused as unmatched otherwise; a request
 * whose key is in flight must not be forwarded again. Ids are chosen to stress the table:
 * thousands in a row (its slots grow to their limit), many sharing a slot (multiples of 256
 * and 16384), the slot range's edges (2^31 - 1, 2^31), -0, fractions, 1e21, long integers,
 * strings that read as numbers ("3", " 3", "1e3"), and answers spelt otherwise than asked.
 * When the server goes, the requests still in flight are answered in the order they were asked.
 */
import { describe, expect, it } from 'vitest';
import { random } from './seeded.js';
import { compilePolicy } from '../../src/config/compile.js';
import { withDefaults } from '../../src/config/merge.js';
import { Engine } from '../../src/engine/engine.js';
import { idKey, type IdKey, type RequestId } from '../../src/protocol/jsonrpc.js';

const ODD = ['-0', '0', '1e21', '9007199254740993', '12345678901234567890123', '3.0', '2147483647', '2147483648', '4294967296', '-1', '1.5', '"3"', '" 3"', '"1e3"', '1000', '"-0"', '""', '"abc"'];

function engineOf(): Engine {
  const policy = compilePolicy(withDefaults({}), ['test'], '/work/project', { realpath: () => undefined, home: '/home/dev', nowMs: () => 1 });
  return new Engine(policy, { nowUs: () => 3, reuseOutcomes: true });
}

const frame = (text: string): Buffer => Buffer.from(text);

describe('answers matched to the requests in flight, against a model of their keys', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`run ${seed}`, () => {
      const next = random(seed);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
      const engine = engineOf();
      engine.fromClient(frame('{"jsonrpc":"2.0","id":"init","method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"c","version":"1"}}}'));
      engine.fromServer(frame('{"jsonrpc":"2.0","id":"init","result":{"protocolVersion":"2025-06-18","capabilities":{},"serverInfo":{"name":"s","version":"1"}}}'));
      const inFlight = new Map<IdKey, string>();
      const asked: string[] = [];
      let counter = 0;
      // Some runs keep thousands in flight (past the slots' limit, and the engine's own limit).
      const deep = seed % 2 === 0;
      const idText = (): string => {
        const r = next();
        if (r < 0.45) return String(counter++);
        if (r < 0.65) return String(Math.floor(next() * 64) * pick([256, 16384]) + Math.floor(next() * 3));
        if (r < 0.75) return JSON.stringify(String(Math.floor(next() * 300)));
        return pick(ODD);
      };
      const respell = (id: string): string => (next() < 0.5 ? id : /^\d+$/.test(id) ? pick([`"${id}"`, `${id}.0`, `" ${id}"`]) : /^"\d+"$/.test(id) ? id.slice(1, -1) : id);
      let matched = 0;
      let refused = 0;
      for (let step = 0; step < 16000; step++) {
        const ask = asked.length === 0 || next() < (deep && step < 12000 ? 0.8 : 0.5);
        if (ask) {
          const id = idText();
          const key = idKey(JSON.parse(id) as RequestId);
          const out = engine.fromClient(frame(`{"jsonrpc":"2.0","id":${id},"method":"ping"}`));
          const forwarded = out.outputs.some((o) => o.to === 'server');
          if (inFlight.has(key)) expect([id, forwarded]).toEqual([id, false]);
          if (forwarded) {
            inFlight.set(key, id);
            asked.push(id);
          } else refused++;
        } else {
          const at = next() < 0.6 ? 0 : Math.floor(next() * asked.length);
          // Mostly an id in flight, now and then one answered already (or never asked).
          const id = next() < 0.9 ? (asked.splice(at, 1)[0] as string) : idText();
          const written = respell(id);
          const key = idKey(JSON.parse(written) as RequestId);
          const out = engine.fromServer(frame(`{"jsonrpc":"2.0","id":${written},"result":{}}`));
          const toClient = out.outputs.some((o) => o.to === 'client');
          const rules = out.records.flatMap((r) => r.rules);
          expect([written, toClient]).toEqual([written, inFlight.has(key)]);
          if (inFlight.has(key)) {
            matched++;
            inFlight.delete(key);
          } else expect([written, rules.some((r) => r === 'protocol.answer-unmatched' || r === 'protocol.noise')]).toEqual([written, true]);
        }
      }
      // The server gone: every request still in flight answered, in the order they were asked
      // (the order the table gives its entries), each with its id as the client wrote it.
      const gone = engine.serverGone('test');
      const answered = gone.outputs.filter((o) => o.to === 'client').map((o) => JSON.stringify((JSON.parse(Buffer.from(o.data).toString()) as { id: unknown }).id));
      expect(answered).toEqual([...inFlight.values()].map((id) => JSON.stringify(JSON.parse(id))));
      expect(answered.length).toBeGreaterThan(deep ? 1000 : 0);
      expect(matched).toBeGreaterThan(3000);
      expect(refused).toBeGreaterThan(50);
    });
  }
});
