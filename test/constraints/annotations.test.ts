import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/config/compile.js';
import type { PolicyDocument } from '../../src/config/policy-types.js';
import { Engine } from '../../src/engine/engine.js';

const READ_ONLY: PolicyDocument = { tools: { deny: [{ annotations: { readOnlyHint: false } }] } };

const TOOLS = [
  { name: 'read', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } },
  { name: 'write', inputSchema: { type: 'object' }, annotations: { readOnlyHint: false } },
  { name: 'silent', inputSchema: { type: 'object' } },
  { name: 'odd', inputSchema: { type: 'object' }, annotations: { readOnlyHint: 'yes' } },
  { name: 'wipe', inputSchema: { type: 'object' }, annotations: { readOnlyHint: false, destructiveHint: true } },
  { name: 'append', inputSchema: { type: 'object' }, annotations: { readOnlyHint: false, destructiveHint: false } },
];

let id = 100;
function session(doc: PolicyDocument) {
  const e = new Engine(compilePolicy(doc, ['test']), { nowUs: () => 0 });
  const list = (): string[] => {
    const rid = ++id;
    e.fromClient(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: rid, method: 'tools/list' })));
    const out = e.fromServer(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: rid, result: { tools: TOOLS } })));
    const sent = JSON.parse(String(out.outputs[0]?.data)) as { result: { tools: Array<{ name: string }> } };
    return sent.result.tools.map((t) => t.name);
  };
  const call = (name: string) => {
    const out = e.fromClient(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: ++id, method: 'tools/call', params: { name, arguments: {} } })));
    return out.records[0];
  };
  return { list, call };
}

describe('annotation selectors', () => {
  it('a read-only preset hides every tool that does not declare readOnlyHint: true, in tools/list and on call', () => {
    const s = session(READ_ONLY);
    expect(s.list()).toEqual(['read']);
    expect(s.call('read')?.verdict).toBe('forward');
    for (const name of ['write', 'silent', 'odd']) expect(s.call(name)).toMatchObject({ verdict: 'hide', rules: ['tools.deny:annotations{readOnlyHint=false}'] });
  });

  it('a tool called before any listing is not judged on a guess: held while the shim lists the tools, then decided by what it declared', () => {
    // (Was: hidden as declaring nothing. With call-before-list, the shim asks the server for
    // the definition first, so the verdict rests on what the tool declares.)
    const s = session(READ_ONLY);
    expect(s.call('read')).toMatchObject({ verdict: 'drop', rules: ['tools.held-for-list'] });
    s.list();
    expect(s.call('read')?.verdict).toBe('forward');
    expect(s.call('write')?.verdict).toBe('hide');
  });

  it('allow by annotations shows only tools that claim the hint', () => {
    const s = session({ tools: { allow: [{ annotations: { readOnlyHint: true } }, 'append'] } });
    expect(s.list()).toEqual(['read', 'append']);
  });

  it('destructiveHint: missing reads as true (the MCP default), so a deny of destructive tools hides tools that say nothing', () => {
    const s = session({ tools: { deny: [{ annotations: { destructiveHint: true } }] } });
    expect(s.list()).toEqual(['append']);
  });

  it('actions may apply only to tools with given annotations', () => {
    const s = session({ tools: { actions: { '*': { action: 'block', reason: 'no writes', annotations: { readOnlyHint: false } } } } });
    s.list();
    expect(s.call('read')?.verdict).toBe('forward');
    expect(s.call('write')).toMatchObject({ verdict: 'block', reason: 'no writes' });
  });
});

describe('constraints on arguments the schema lacks', () => {
  it('the tools/list record warns, naming tool and argument, and the list passes unchanged', () => {
    const e = new Engine(compilePolicy({ arguments: { read: { constrain: { pth: { paths: ['/srv/**'] }, path: { paths: ['/srv/**'] } } } } }, ['test']), { nowUs: () => 0 });
    e.fromClient(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' })));
    const tools = [{ name: 'read', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } }];
    const out = e.fromServer(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 1, result: { tools } })));
    expect(out.records[0]).toMatchObject({ verdict: 'forward', rules: ['constraint.unknown-argument'], detail: { constrainedButUnknown: [{ tool: 'read', arguments: ['pth'] }] } });
    expect(JSON.parse(String(out.outputs[0]?.data)).result.tools).toEqual(tools);
  });
});
