/**
 * Values are values: a number argument is the same value in every spelling, and every
 * detector sees it with its argument's name. Each case below was let through before.
 */
import { describe, expect, test } from 'vitest';
import { inspectJson, blockingRules } from './inspect-helpers.js';

// 2130706433 is 127.0.0.1; 2852039166 is 169.254.169.254; 3232235777 is 192.168.1.1.
const LOOPBACK_SPELLINGS = ['2130706433.0', '2130706433e0', '2130706433E0', '2.130706433e9', '2.130706433E+9', '21307064330e-1', '2130706433.000', '0.2130706433e10'];

describe('a number under a host-like name is read as the value a server reads', () => {
  test.each(LOOPBACK_SPELLINGS)('host: %s (a JSON number) is loopback', (spelling) => {
    const result = inspectJson(`{"host": ${spelling}}`);
    expect(result.verdict).toBe('block');
    expect(blockingRules(result)).toContain('ssrf.loopback');
  });

  test.each(LOOPBACK_SPELLINGS)('host: "%s" (a string that is a number) is loopback', (spelling) => {
    const result = inspectJson(`{"host": "${spelling}"}`);
    expect(blockingRules(result)).toContain('ssrf.loopback');
  });

  test.each([
    ['{"ip": 2852039166.0}', 'ssrf.metadata-endpoint'],
    ['{"server": {"address": 2.852039166e9}}', 'ssrf.metadata-endpoint'],
    ['{"targets": [{"hostname": 3232235777e0}]}', 'ssrf.private-address'],
    ['{"remoteHost": 1.67772161e8}', 'ssrf.private-address'],
    ['{"upstream_url": 2130706433.0}', 'ssrf.loopback'],
    ['{"endpoint": "2852039166.00"}', 'ssrf.metadata-endpoint'],
  ])('%s', (json, rule) => {
    expect(blockingRules(inspectJson(json))).toContain(rule);
  });

  test.each(['2_130_706_433', '0b1111111000000000000000000000001', '0o17700000001', '２.１３０７０６４３３e9'])('host: "%s" (what Python int() or JavaScript Number() reads as 2130706433)', (spelling) => {
    expect(blockingRules(inspectJson(JSON.stringify({ host: spelling })))).toContain('ssrf.loopback');
  });

  test('the finding names the argument where the number was, not an internal field', () => {
    const result = inspectJson('{"options": {"host": 2130706433.0}}');
    expect(result.blocking[0]?.path).toBe('options.host');
  });
});

describe('32-bit wrap: spellings past 2^32 that some resolvers read modulo 2^32', () => {
  test.each(['4294967296', '6425673729', '127.0.0.256', '127.65536', '0x17f000001'])('url http://%s/ is refused', (host) => {
    expect(inspectJson(`{"url": "http://${host}/"}`).verdict).toBe('block');
  });

  test('as a number too', () => {
    expect(inspectJson('{"host": 6425673729}').verdict).toBe('block');
  });
});

describe('ordinary numbers stay quiet', () => {
  test.each(['{"count": 2130706433.0}', '{"limit": 1e3, "offset": 0.0}', '{"price": 12.50, "qty": 3}', '{"version": "1.2.3.4"}', '{"port": 8080.0}', '{"id": 12345678901234567890}'])('%s', (json) => {
    expect(inspectJson(json).verdict).toBe('allow');
  });
});
