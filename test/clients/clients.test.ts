/**
 * Each client's file format, on sample configs: which entries are wrapped, what they
 * become, what is left alone, and that unwrap gives back the sample byte for byte.
 */
import { describe, expect, it } from 'vitest';
import type { ClientId } from '../../src/clients/locations.js';
import { rewriteConfig } from '../../src/clients/rewrite.js';
import { fixture, parseJsonc, TARGET, wrappedArgs } from './helpers.js';

const wrap = (client: ClientId, text: string) => rewriteConfig(text, { client, mode: 'wrap', target: TARGET });
const unwrap = (client: ClientId, text: string) => rewriteConfig(text, { client, mode: 'unwrap' });

/** Wrap, check the round trip and idempotence, and return both parsed. */
function roundTrip(client: ClientId, file: string, parse: (t: string) => any = JSON.parse) {
  const original = fixture(file);
  const wrapped = wrap(client, original);
  expect(wrapped.text).not.toBe(original);
  expect(wrap(client, wrapped.text).text).toBe(wrapped.text);
  expect(unwrap(client, wrapped.text).text).toBe(original);
  return { before: parse(original), after: parse(wrapped.text), wrapped };
}

describe('claude-desktop: mcpServers', () => {
  it('wraps each stdio entry, keeps env and key order, and restores the file exactly', () => {
    const { before, after, wrapped } = roundTrip('claude-desktop', 'claude-desktop.json');
    expect(after.mcpServers.filesystem).toEqual({
      command: TARGET.node,
      args: wrappedArgs('filesystem', 'npx', ['-y', '@modelcontextprotocol/server-filesystem', '/Users/me/Documents']),
    });
    expect(after.mcpServers.weather.args).toEqual(wrappedArgs('weather', 'C:\\Program Files\\nodejs\\node.exe', ['C:\\tools\\weather\\index.js']));
    expect(after.mcpServers.weather.env).toEqual(before.mcpServers.weather.env);
    // memory had no args and its command came after env: args goes right after command.
    expect(Object.keys(after.mcpServers.memory)).toEqual(['env', 'command', 'args']);
    expect(after.mcpServers.memory.args).toEqual(wrappedArgs('memory', 'mcp-server-memory', []));
    expect(after.globalShortcut).toBe('Ctrl+Space');
    expect(wrapped.entries.map((e) => `${e.name}:${e.action}`)).toEqual(['filesystem:wrapped', 'weather:wrapped', 'memory:wrapped']);
  });

  it('writes inserted arguments in the array’s own layout', () => {
    const { wrapped } = roundTrip('claude-desktop', 'claude-desktop.json');
    expect(wrapped.text).toContain(
      '"args": [\n        "/opt/vanguard/bin/vanguard.js",\n        "start",\n        "--name",\n        "filesystem",\n        "--",\n        "npx",\n        "-y",',
    );
    expect(wrapped.text).toContain('"command": "/opt/node/bin/node",\n      "args": ["/opt/vanguard/bin/vanguard.js", "start", "--name", "memory", "\\u002d\\u002d", "mcp-server-memory"]\n');
  });
});

describe('claude-code', () => {
  it('.mcp.json: wraps the stdio entry, leaves the http one with a note', () => {
    const { before, after, wrapped } = roundTrip('claude-code', 'claude-code-project.mcp.json');
    expect(after.mcpServers.db).toEqual({
      type: 'stdio',
      command: TARGET.node,
      args: wrappedArgs('db', 'uvx', ['mcp-server-sqlite', '--db-path', './data.db']),
      env: {},
    });
    expect(after.mcpServers.docs).toEqual(before.mcpServers.docs);
    expect(wrapped.entries.find((e) => e.name === 'docs')).toMatchObject({ action: 'left', note: expect.stringContaining('remote') });
  });

  it('~/.claude.json: the user servers and each project’s servers', () => {
    const { before, after, wrapped } = roundTrip('claude-code', 'claude-code-user.claude.json');
    expect(after.mcpServers.context7.args).toEqual(wrappedArgs('context7', 'npx', ['--yes', '@upstash/context7-mcp']));
    const app = after.projects['/home/me/app'];
    expect(app.mcpServers.playwright.command).toBe(TARGET.node);
    expect(app.mcpServers.playwright.args).toEqual(wrappedArgs('playwright', 'npx', ['@playwright/mcp@latest']));
    expect(app.mcpServers.sentry).toEqual(before.projects['/home/me/app'].mcpServers.sentry);
    expect({ ...after, mcpServers: undefined, projects: undefined }).toEqual({ ...before, mcpServers: undefined, projects: undefined });
    expect(wrapped.entries.map((e) => `${e.section} ${e.name} ${e.action}`)).toEqual([
      'mcpServers context7 wrapped',
      'projects["/home/me/app"].mcpServers playwright wrapped',
      'projects["/home/me/app"].mcpServers sentry left',
    ]);
  });
});

describe('cursor: mcpServers, comments kept', () => {
  it('wraps around the comments and keeps four-space indentation', () => {
    const { after } = roundTrip('cursor', 'cursor.json', parseJsonc);
    const wrapped = wrap('cursor', fixture('cursor.json')).text;
    expect(wrapped).toContain('    // Cursor\'s global MCP servers\n');
    expect(wrapped).toContain('"<token>" // from the settings page\n');
    expect(after.mcpServers.github.args).toEqual(
      wrappedArgs('github', 'docker', ['run', '-i', '--rm', '-e', 'GITHUB_PERSONAL_ACCESS_TOKEN', 'ghcr.io/github/github-mcp-server']),
    );
    expect(after.mcpServers.tidewave).toEqual({ url: 'http://localhost:4000/tidewave/mcp' });
    // An empty args list stays a list (not removed by unwrap: roundTrip checks the bytes).
    expect(after.mcpServers.local).toEqual({ command: TARGET.node, args: wrappedArgs('local', 'python3', []), cwd: '/srv/local' });
  });
});

describe('vscode: servers, JSONC', () => {
  it('wraps under "servers" with tabs, comments and trailing commas kept', () => {
    const { after, wrapped } = roundTrip('vscode', 'vscode.json', parseJsonc);
    expect(after.servers.fetch).toEqual({ type: 'stdio', command: TARGET.node, args: wrappedArgs('fetch', 'uvx', ['mcp-server-fetch']), env: { KEY: '${input:api-key}' } });
    expect(after.servers.solo).toEqual({ command: TARGET.node, args: wrappedArgs('solo', 'my-server', []) });
    expect(after.servers.remote).toEqual({ type: 'http', url: 'https://api.example.com/mcp' });
    expect(after.inputs).toHaveLength(1);
    expect(wrapped.text).toContain('], /* the reference fetch server */\n\t\t\t"env"');
    expect(wrapped.text).toContain('"command": "/opt/node/bin/node",\n\t\t\t"args": [');
  });

  it('also reads a settings.json that keeps servers under "mcp"', () => {
    const settings = '{\n  "editor.fontSize": 14, // big\n  "mcp": {\n    "servers": {\n      "x": { "command": "srv" }\n    }\n  }\n}\n';
    const wrapped = wrap('vscode', settings);
    expect(parseJsonc(wrapped.text).mcp.servers.x.args).toEqual(wrappedArgs('x', 'srv', []));
    expect(wrapped.entries[0]!.section).toBe('mcp.servers');
    expect(unwrap('vscode', wrapped.text).text).toBe(settings);
  });
});

describe('windsurf: mcpServers, serverUrl', () => {
  it('keeps CRLF line ends and the missing final newline, and leaves serverUrl entries alone', () => {
    const original = fixture('windsurf.json');
    expect(original).toContain('\r\n');
    expect(original.endsWith('}')).toBe(true);
    const { after, wrapped } = roundTrip('windsurf', 'windsurf.json');
    expect(after.mcpServers.git).toEqual({ command: TARGET.node, args: wrappedArgs('git', 'uvx', ['mcp-server-git', '--repository', '/src/repo']), disabled: false });
    expect(after.mcpServers.zapier).toEqual({ serverUrl: 'https://actions.zapier.com/mcp/KEY/sse' });
    expect(wrapped.text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(wrapped.text.endsWith('}')).toBe(true);
  });
});
