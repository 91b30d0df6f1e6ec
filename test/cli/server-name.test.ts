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

  // A generic entry file is named after the package folder it belongs to.
  it.each([
    [['node', '/srv/weather-server/index.js'], 'weather-server'],
    [['node', '/srv/weather-server/main.js'], 'weather-server'],
    [['node', '/srv/weather-server/server.js'], 'weather-server'],
    [['node', '/srv/weather-server/dist/index.js'], 'weather-server'],
    [['node', '/srv/weather-server/build/index.js'], 'weather-server'],
    [['node', '/srv/weather-server/lib/cli.mjs'], 'weather-server'],
    [['node', '/work/node_modules/@modelcontextprotocol/server-everything/dist/index.js', 'stdio'], 'server-everything'],
    [['tsx', '/srv/notes-mcp/src/index.ts'], 'notes-mcp'],
    [['python3', '/srv/git_tools/server.py'], 'git_tools'],
    [['node', 'C:\\Users\\me\\mcp\\todo-server\\dist\\index.js'], 'todo-server'],
    [['/srv/weather-server/index.js'], 'weather-server'],
    // Relative to where it is started.
    [['node', 'index.js'], 'my-project'],
    [['node', './build/index.js'], 'my-project'],
    // A name that is not generic stays its own.
    [['node', '/srv/tools/weather.js'], 'weather'],
    [['node', '/srv/tools/indexer.js'], 'indexer'],
  ])('%j → %s', (argv, name) => {
    expect(deriveServerName(argv, '/home/me/my-project')).toBe(name);
  });

  it('falls back to the file name when every folder is generic', () => {
    expect(deriveServerName(['node', '/dist/index.js'], '/')).toBe('index');
  });
});
