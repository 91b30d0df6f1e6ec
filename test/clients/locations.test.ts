import { describe, expect, it } from 'vitest';
import { locateConfig } from '../../src/clients/find-config.js';
import { configCandidates, type ClientId, type Environment } from '../../src/clients/locations.js';

const mac: Environment = { platform: 'darwin', home: '/Users/me', env: {}, cwd: '/Users/me/app' };
const linux: Environment = { platform: 'linux', home: '/home/me', env: {}, cwd: '/home/me/app' };
const windows: Environment = { platform: 'win32', home: 'C:\\Users\\me', env: { APPDATA: 'C:\\Users\\me\\AppData\\Roaming' }, cwd: 'C:\\src\\app' };

const files = (client: ClientId, e: Environment): string[] => configCandidates(client, e).map((c) => c.file);

describe('configCandidates', () => {
  it.each<[ClientId, Environment, string[]]>([
    ['claude-desktop', mac, ['/Users/me/Library/Application Support/Claude/claude_desktop_config.json']],
    ['claude-desktop', windows, ['C:\\Users\\me\\AppData\\Roaming\\Claude\\claude_desktop_config.json']],
    ['claude-desktop', linux, ['/home/me/.config/Claude/claude_desktop_config.json']],
    ['claude-code', mac, ['/Users/me/app/.mcp.json', '/Users/me/.claude.json']],
    ['claude-code', windows, ['C:\\src\\app\\.mcp.json', 'C:\\Users\\me\\.claude.json']],
    ['cursor', linux, ['/home/me/app/.cursor/mcp.json', '/home/me/.cursor/mcp.json']],
    ['cursor', windows, ['C:\\src\\app\\.cursor\\mcp.json', 'C:\\Users\\me\\.cursor\\mcp.json']],
    ['vscode', mac, ['/Users/me/app/.vscode/mcp.json', '/Users/me/Library/Application Support/Code/User/mcp.json']],
    ['vscode', windows, ['C:\\src\\app\\.vscode\\mcp.json', 'C:\\Users\\me\\AppData\\Roaming\\Code\\User\\mcp.json']],
    ['vscode', linux, ['/home/me/app/.vscode/mcp.json', '/home/me/.config/Code/User/mcp.json']],
    ['windsurf', mac, ['/Users/me/.codeium/windsurf/mcp_config.json']],
    ['windsurf', windows, ['C:\\Users\\me\\.codeium\\windsurf\\mcp_config.json']],
  ])('%s on %s', (client, e, expected) => {
    expect(files(client, e)).toEqual(expected);
  });

  it('follows XDG_CONFIG_HOME on Linux and falls back to the home folder on Windows without APPDATA', () => {
    expect(files('vscode', { ...linux, env: { XDG_CONFIG_HOME: '/xdg' } })[1]).toBe('/xdg/Code/User/mcp.json');
    expect(files('claude-desktop', { ...windows, env: {} })[0]).toBe('C:\\Users\\me\\AppData\\Roaming\\Claude\\claude_desktop_config.json');
  });
});

describe('locateConfig', () => {
  it('takes the project file before the user file, and the user file when there is no project file', () => {
    const both = new Set(['/home/me/app/.cursor/mcp.json', '/home/me/.cursor/mcp.json']);
    expect(locateConfig('cursor', undefined, linux, (f) => both.has(f))).toBe('/home/me/app/.cursor/mcp.json');
    expect(locateConfig('cursor', undefined, linux, (f) => f === '/home/me/.cursor/mcp.json')).toBe('/home/me/.cursor/mcp.json');
  });

  it('names every place it looked when there is no file', () => {
    expect(() => locateConfig('claude-code', undefined, linux, () => false)).toThrow(
      'no claude-code config file found; looked at:\n  /home/me/app/.mcp.json (project)\n  /home/me/.claude.json (user and local (per project))\nGive the file with --config FILE',
    );
  });

  it('resolves --config against the working folder and refuses a missing one', () => {
    expect(locateConfig('windsurf', 'conf/m.json', linux, () => true)).toBe('/home/me/app/conf/m.json');
    expect(() => locateConfig('windsurf', 'nope.json', linux, () => false)).toThrow('no config file at /home/me/app/nope.json');
  });
});
