/**
 * Issue 8, section 2: prompts and resources hidden for their definitions are matched by
 * normalised identity, through every request that names them (read, subscribe,
 * unsubscribe, completion refs), and a hidden template hides the URIs it produces. On the
 * old code only prompts/get and resources/read with the exact listed string were caught.
 */
import { describe, expect, it } from 'vitest';
import { harness, POISONED, request, result } from './channels-helpers.js';

function withHidden() {
  const h = harness();
  h.client(request('l1', 'resources/list'));
  const list = h.server(result('l1', {
    resources: [
      { uri: 'file:///secret/notes.txt', name: 'notes', description: POISONED },
      { uri: 'https://Docs.Example.com/Guide', name: 'guide', description: POISONED },
      { uri: 'file:///public/readme.txt', name: 'readme', description: 'The readme.' },
    ],
  }));
  expect(list.toClient[0].result.resources.map((r: { name: string }) => r.name)).toEqual(['readme']);
  h.client(request('l2', 'resources/templates/list'));
  h.server(result('l2', { resourceTemplates: [{ uriTemplate: 'file:///private/{name}', name: 'private', description: POISONED }, { uriTemplate: 'file:///logs/{day}.log', name: 'logs', description: 'Daily logs.' }] }));
  h.client(request('l3', 'prompts/list'));
  h.server(result('l3', { prompts: [{ name: 'summarise', description: POISONED }, { name: 'greet', description: 'Says hello.' }] }));
  return h;
}

let next = 100;
function asked(h: ReturnType<typeof harness>, method: string, params: unknown) {
  const id = next++;
  const out = h.client(request(id, method, params));
  return { id, out };
}

describe('a hidden resource is hidden in every spelling', () => {
  it.each([
    'file:///secret/notes.txt',
    'FILE:///secret/notes.txt',
    'file://localhost/secret/notes.txt',
    'file://LOCALHOST/secret/notes.txt',
    'file:///secret/./notes.txt',
    'file:///secret/x/../notes.txt',
    'file:///secret/%6Eotes.txt',
    'file:///secret/%6eotes.txt',
    'file:///secret/%2E/notes.txt',
    'file:///secret//notes.txt',
    'file:///secret/notes.txt/',
    'file:///other/../secret/notes.txt',
    'https://docs.example.com/Guide',
    'HTTPS://DOCS.EXAMPLE.COM:443/Guide',
    'https://docs.example.com/%47uide',
    'https://docs.example.com/a/../Guide',
    'file:///private/keys',
    'file:///PRIVATE/../private/keys',
    'file://localhost/private/%6Beys',
  ])('resources/read %s is answered as unknown', (uri) => {
    const h = withHidden();
    const { id, out } = asked(h, 'resources/read', { uri });
    expect(out.toServer).toEqual([]);
    expect(out.toClient).toEqual([{ jsonrpc: '2.0', id, error: { code: -32602, message: `MCP error -32602: Resource ${uri} not found` } }]);
    expect(out.records[0]).toMatchObject({ verdict: 'hide' });
  });

  it.each(['resources/subscribe', 'resources/unsubscribe'])('%s of a hidden resource is answered as unknown', (method) => {
    const h = withHidden();
    const { out } = asked(h, method, { uri: 'file://localhost/secret/notes.txt' });
    expect(out.toServer).toEqual([]);
    expect(out.toClient[0].error.message).toMatch(/Resource .* not found/);
  });

  it('completion refs to a hidden prompt or template are answered as unknown', () => {
    const h = withHidden();
    const prompt = asked(h, 'completion/complete', { ref: { type: 'ref/prompt', name: 'summarise' }, argument: { name: 'x', value: 'a' } });
    expect(prompt.out.toClient[0].error.message).toBe('MCP error -32602: Prompt summarise not found');
    const template = asked(h, 'completion/complete', { ref: { type: 'ref/resource', uri: 'file:///private/{name}' }, argument: { name: 'name', value: 'a' } });
    expect(template.out.toClient[0].error.message).toBe('MCP error -32602: Resource template file:///private/{name} not found');
    const respelled = asked(h, 'completion/complete', { ref: { type: 'ref/resource', uri: 'FILE://localhost/private/{name}' }, argument: { name: 'name', value: 'a' } });
    expect(respelled.out.toServer).toEqual([]);
  });

  it('what is not hidden still passes', () => {
    const h = withHidden();
    for (const [method, params] of [
      ['resources/read', { uri: 'file:///public/readme.txt' }],
      ['resources/read', { uri: 'file:///secret/other.txt' }],
      ['resources/read', { uri: 'file:///logs/2025-01-01.log' }],
      ['resources/read', { uri: 'file:///private/a/b' }],
      ['resources/subscribe', { uri: 'https://docs.example.com/guide' }],
      ['prompts/get', { name: 'greet' }],
      ['completion/complete', { ref: { type: 'ref/resource', uri: 'file:///logs/{day}.log' }, argument: { name: 'day', value: '2025' } }],
    ] as const) {
      const { out } = asked(h, method, params);
      expect(out.toClient).toEqual([]);
      expect(out.toServer).toHaveLength(1);
    }
  });
});
