/**
 * A small stdio MCP server over one folder, shipped so `vanguard demo` runs from an installed
 * package with no network: the official filesystem server is a dev dependency, not shipped.
 * Its tools take the official server's names and annotations (reads declare readOnlyHint),
 * so the filesystem-readonly preset treats both alike. Plain newline-delimited JSON-RPC;
 * every path is confined to the folder (after symlinks), as the official server does.
 *
 * Run as: node dist/demo/server.js FOLDER
 */
import { mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

const root = realpathSync(process.argv[2] ?? process.cwd());
const READ = { readOnlyHint: true, openWorldHint: false };
const WRITE = { readOnlyHint: false, destructiveHint: true, openWorldHint: false };
const pathArg = { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] };

const TOOLS = [
  { name: 'read_text_file', description: 'Read a text file inside the demo folder.', inputSchema: pathArg, annotations: READ },
  { name: 'list_directory', description: 'List the entries of a folder inside the demo folder.', inputSchema: pathArg, annotations: READ },
  { name: 'directory_tree', description: 'Every file and folder below a folder, recursively, as JSON.', inputSchema: pathArg, annotations: READ },
  {
    name: 'write_file',
    description: 'Create or overwrite a file inside the demo folder.',
    inputSchema: { type: 'object', properties: { path: { type: 'string' }, content: { type: 'string' } }, required: ['path', 'content'] },
    annotations: WRITE,
  },
  { name: 'create_directory', description: 'Create a folder inside the demo folder.', inputSchema: pathArg, annotations: { ...WRITE, destructiveHint: false } },
];

// A path inside the folder, symlinks followed (for a file not written yet, its parent).
function confined(raw: unknown): string {
  if (typeof raw !== 'string' || raw === '') throw new Error('path must be a non-empty string');
  const wanted = path.resolve(root, raw);
  let real: string;
  try {
    real = realpathSync(wanted);
  } catch {
    real = path.join(realpathSync(path.dirname(wanted)), path.basename(wanted));
  }
  if (real !== root && !real.startsWith(root + path.sep)) throw new Error(`Access denied - path outside allowed directories: ${raw}`);
  return real;
}

// Bounded: the demo folder is small, but a tree is never walked past this many entries.
const TREE_LIMIT = 1000;
function tree(folder: string, budget: { left: number }): unknown[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    if (--budget.left < 0) return [];
    const child = path.join(folder, entry.name);
    return [entry.isDirectory() ? { name: entry.name, type: 'directory', children: tree(child, budget) } : { name: entry.name, type: 'file' }];
  });
}

function callTool(name: unknown, args: Record<string, unknown>): string {
  switch (name) {
    case 'read_text_file':
      return readFileSync(confined(args.path), 'utf8');
    case 'list_directory':
      return readdirSync(confined(args.path), { withFileTypes: true }).map((e) => `${e.isDirectory() ? '[DIR]' : '[FILE]'} ${e.name}`).join('\n');
    case 'directory_tree':
      return JSON.stringify(tree(confined(args.path), { left: TREE_LIMIT }), null, 2);
    case 'write_file':
      writeFileSync(confined(args.path), String(args.content ?? ''));
      return `Successfully wrote to ${String(args.path)}`;
    case 'create_directory':
      mkdirSync(confined(args.path), { recursive: true });
      return `Successfully created directory ${String(args.path)}`;
    default:
      throw Object.assign(new Error(`Tool ${String(name)} not found`), { code: -32602 });
  }
}

function send(message: unknown): void {
  // the demo MCP server writes its protocol frames, one JSON line each.
  process.stdout.write(`${JSON.stringify(message)}\n`); // stdout-ok
}

function answer(message: Record<string, unknown>): void {
  const { id, method } = message;
  const params = (message.params ?? {}) as Record<string, unknown>;
  if (id === undefined) return; // notifications need no answer
  switch (method) {
    case 'initialize':
      return send({
        jsonrpc: '2.0',
        id,
        result: { protocolVersion: typeof params.protocolVersion === 'string' ? params.protocolVersion : '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'vanguard-demo-filesystem', version: '1.0.0' } },
      });
    case 'ping':
      return send({ jsonrpc: '2.0', id, result: {} });
    case 'tools/list':
      return send({ jsonrpc: '2.0', id, result: { tools: TOOLS } });
    case 'tools/call': {
      try {
        const text = callTool(params.name, (params.arguments ?? {}) as Record<string, unknown>);
        return send({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text }] } });
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code === -32602) return send({ jsonrpc: '2.0', id, error: { code: -32602, message: (error as Error).message } });
        return send({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: `Error: ${(error as Error).message}` }], isError: true } });
      }
    }
    default:
      return send({ jsonrpc: '2.0', id, error: { code: -32601, message: `Method not found: ${String(method)}` } });
  }
}

createInterface({ input: process.stdin, crlfDelay: Infinity }).on('line', (line) => {
  if (line.trim() === '') return;
  let message: unknown;
  try {
    message = JSON.parse(line);
  } catch {
    return send({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
  }
  if (message !== null && typeof message === 'object' && !Array.isArray(message)) answer(message as Record<string, unknown>);
});
// statSync keeps the folder check honest at start: a missing folder is one line and exit 1.
if (!statSync(root).isDirectory()) {
  process.stderr.write(`not a folder: ${root}\n`);
  process.exit(1);
}
process.stderr.write(`vanguard demo server: serving ${root}\n`);
