import { describe, expect, it } from 'vitest';
import { isUriTemplate, MAX_TEMPLATE_STEPS, templateMatches, uriIdentity } from '../../src/engine/resource-identity.js';

describe('uriIdentity', () => {
  it.each([
    ['file:///a/b.txt', 'file:///a/b.txt'],
    ['FILE:///a/b.txt', 'file:///a/b.txt'],
    ['file://localhost/a/b.txt', 'file:///a/b.txt'],
    ['file:///a/./c/../b.txt', 'file:///a/b.txt'],
    ['file:///a//b.txt', 'file:///a/b.txt'],
    ['file:///a/%62.txt', 'file:///a/b.txt'],
    ['file:///a/%2e%2E/a/b.txt', 'file:///a/b.txt'],
    ['file:///a/b.txt/', 'file:///a/b.txt'],
    ['HTTP://Example.COM:80', 'http://example.com/'],
    ['https://example.com:443/x?q=%7e&r=%2f', 'https://example.com/x?q=~&r=%2F'],
    ['https://user:PW@Example.com/x', 'https://user:PW@example.com/x'],
    ['test://static/resource/1', 'test://static/resource/1'],
  ])('%s → %s', (uri, identity) => {
    expect(uriIdentity(uri)).toBe(identity);
  });

  it('keeps apart what servers read apart', () => {
    expect(uriIdentity('https://example.com/A')).not.toBe(uriIdentity('https://example.com/a'));
    expect(uriIdentity('https://example.com/a%2Fb')).not.toBe(uriIdentity('https://example.com/a/b'));
    expect(uriIdentity('https://example.com:8080/a')).not.toBe(uriIdentity('https://example.com/a'));
  });
});

describe('templateMatches', () => {
  it('matches what a template expands to, and not more', () => {
    expect(isUriTemplate('file:///logs/{day}.log')).toBe(true);
    expect(templateMatches('file:///logs/{day}.log', uriIdentity('file:///logs/2025-01-01.log'))).toBe(true);
    expect(templateMatches('file:///logs/{day}.log', uriIdentity('file:///logs/a/b.log'))).toBe(false);
    expect(templateMatches('file:///docs/{+path}', uriIdentity('file:///docs/a/b/c.md'))).toBe(true);
    expect(templateMatches('https://api.example.com/search{?q,lang}', uriIdentity('https://api.example.com/search?q=x&lang=en'))).toBe(true);
    expect(templateMatches('FILE://localhost/private/{name}', uriIdentity('file:///private/keys'))).toBe(true);
  });

  it('an adversarial template costs bounded work, and past the bound counts as a match', () => {
    const template = `x://h/${'{a}-'.repeat(500)}`;
    const uri = `x://h/${'a-'.repeat(1000)}!`;
    expect(templateMatches(template, uri)).toBe(false);
    const huge = `x://h/${'{a}b'.repeat(3000)}`;
    expect(templateMatches(huge, `x://h/${'b'.repeat(MAX_TEMPLATE_STEPS / 3000)}`)).toBe(true);
  });
});
