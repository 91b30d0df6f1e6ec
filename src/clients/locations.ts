/**
 * Where each MCP client keeps its server list, per OS. Pure: the platform, home folder,
 * environment and working folder are passed in, so every OS can be tested on any machine.
 */
import path from 'node:path';

export const CLIENTS = ['claude-desktop', 'claude-code', 'cursor', 'vscode', 'windsurf'] as const;
export type ClientId = (typeof CLIENTS)[number];

export interface Environment {
  platform: NodeJS.Platform;
  home: string;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** A file the client may read, and why it is a candidate (shown when none exists). */
export interface Candidate {
  file: string;
  scope: string;
}

/** The files to look for, most specific first: the first that exists is the one edited. */
export function configCandidates(client: ClientId, e: Environment): Candidate[] {
  const p = e.platform === 'win32' ? path.win32 : path.posix;
  const appData = e.env.APPDATA ?? p.join(e.home, 'AppData', 'Roaming');
  const xdgConfig = e.env.XDG_CONFIG_HOME ?? p.join(e.home, '.config');
  // The per-user application folder: where Electron apps keep their settings.
  const userData =
    e.platform === 'darwin' ? p.join(e.home, 'Library', 'Application Support') : e.platform === 'win32' ? appData : xdgConfig;
  switch (client) {
    case 'claude-desktop':
      // There is no official Linux build; community builds use the XDG folder.
      return [{ file: p.join(userData, 'Claude', 'claude_desktop_config.json'), scope: 'user' }];
    case 'claude-code':
      return [
        { file: p.join(e.cwd, '.mcp.json'), scope: 'project' },
        { file: p.join(e.home, '.claude.json'), scope: 'user and local (per project)' },
      ];
    case 'cursor':
      return [
        { file: p.join(e.cwd, '.cursor', 'mcp.json'), scope: 'project' },
        { file: p.join(e.home, '.cursor', 'mcp.json'), scope: 'user' },
      ];
    case 'vscode':
      return [
        { file: p.join(e.cwd, '.vscode', 'mcp.json'), scope: 'workspace' },
        { file: p.join(userData, 'Code', 'User', 'mcp.json'), scope: 'user' },
      ];
    case 'windsurf':
      return [{ file: p.join(e.home, '.codeium', 'windsurf', 'mcp_config.json'), scope: 'user' }];
  }
}
