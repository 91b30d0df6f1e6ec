import { describe, expect, it } from 'vitest';
import { deriveServerName } from '../../src/cli/server-name.js';

describe('deriveServerName', () => {
  it.each([
    [['npx', '-y', '@modelcontextprotocol/server-filesystem', '/data'], 'server-filesystem'],
    [['npx', '@modelcontextprotocol/server-everything@2026.8.31'], 'server-everything'],
    [['node', '/opt/servers/weather.mjs'], 'weather'],
    [['uvx', 'mcp-server-git', '--repository', '.'], 'mcp-server-git'],
    [['/usr/local/bin/my-server', '--flag'], 'my-server'],
    [['C:\\Program Files\\nodejs\\npx.cmd', 'pkg-x'], 'pkg-x'],
    [['docker', 'run', '-i', '--rm', 'mcp/fetch'], 'fetch'],
    [['npx'], 'npx'],
  ])('%j → %s', (argv, name) => {
    expect(deriveServerName(argv)).toBe(name);
  });
});
