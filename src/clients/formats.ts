/**
 * Where the server entries sit inside each client's file: the key of the map of servers,
 * and for Claude Code's ~/.claude.json also the map of each project under `projects`.
 */
import type { ClientId } from './locations.js';
import { member, type JsonNode, type JsonObject } from './json-tree.js';

/** One map of named server entries, and a label for it in notes and errors. */
export interface ServerMap {
  /** e.g. `mcpServers`, `servers`, `projects["/home/me/app"].mcpServers`. */
  label: string;
  map: JsonObject;
}

/** Whether the client's file may hold comments and trailing commas. */
export function allowsComments(client: ClientId): boolean {
  // VS Code reads mcp.json as JSONC; Cursor is VS Code underneath and users put comments in it.
  return client === 'vscode' || client === 'cursor';
}

const asObject = (node: JsonNode | undefined): JsonObject | undefined => (node?.kind === 'object' ? node : undefined);

/**
 * The server maps of a parsed file. Throws a message (not a VanguardError: the caller
 * adds the file name) when the file is not shaped like the client's config.
 */
export function serverMaps(client: ClientId, root: JsonNode): ServerMap[] {
  if (root.kind !== 'object') throw new Error('the top level is not a JSON object');
  const maps: ServerMap[] = [];
  const take = (label: string, node: JsonNode | undefined): void => {
    if (node === undefined) return;
    if (node.kind !== 'object') throw new Error(`"${label}" is not an object`);
    maps.push({ label, map: node });
  };
  if (client === 'vscode') {
    // mcp.json has `servers`; a settings.json keeps the same map under `mcp`.
    take('servers', member(root, 'servers')?.value);
    const mcp = asObject(member(root, 'mcp')?.value);
    if (mcp) take('mcp.servers', member(mcp, 'servers')?.value);
  } else {
    take('mcpServers', member(root, 'mcpServers')?.value);
  }
  if (client === 'claude-code') {
    const projects = asObject(member(root, 'projects')?.value);
    for (const project of projects?.members ?? []) {
      const settings = asObject(project.value);
      if (settings) take(`projects[${JSON.stringify(project.key)}].mcpServers`, member(settings, 'mcpServers')?.value);
    }
  }
  return maps;
}
