/**
 * `vanguard demo`: a newcomer's first command. The official filesystem server (or, in an
 * installed package, the small one shipped with Vanguard) runs behind the shipped
 * filesystem-readonly policy, the SDK's real client drives it through
 * the real CLI, and a short table shows what the shim did.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { defaultPresetsDir } from '../../config/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Which server the demo runs, and how to name it. */
interface DemoServer {
  argv: string[];
  title: string;
}

// The official server when it is installed (a clone, with its dev dependencies); otherwise,
// as from an installed package, the small one shipped in dist/demo: no network either way.
function demoServer(builtin: boolean): DemoServer {
  const shipped = { argv: [process.execPath, path.join(here, '..', '..', 'demo', 'server.js')], title: "Vanguard's built-in demo filesystem server" };
  if (builtin) return shipped;
  try {
    const require = createRequire(import.meta.url);
    const manifest = require.resolve('@modelcontextprotocol/server-filesystem/package.json');
    return { argv: [process.execPath, path.join(path.dirname(manifest), 'dist', 'index.js')], title: '@modelcontextprotocol/server-filesystem' };
  } catch {
    return shipped;
  }
}

function firstText(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  const text = content.find((c) => c.type === 'text')?.text ?? '';
  const line = text.split('\n')[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

interface Row {
  step: string;
  outcome: string;
}

// Random characters in the shape of an AWS access key id; not a real credential.
const DEMO_KEY = ['AKIA', 'EEF6727C', 'PCP7XNA7'].join('');

/** Run the demo; returns 0 when every step behaved as the policy says. */
export async function demoCommand(options: { builtin?: boolean } = {}): Promise<number> {
  const server = demoServer(options.builtin === true);
  const folder = mkdtempSync(path.join(tmpdir(), 'vanguard-demo-'));
  const auditFile = path.join(folder, '..', `${path.basename(folder)}-audit.jsonl`);
  writeFileSync(path.join(folder, 'hello.txt'), 'Hello from a file the policy lets the model read.\n');
  // A made-up key in AWS's shape: what reaches the model is the marker, not the key.
  writeFileSync(path.join(folder, 'deploy-notes.txt'), `Deployed by ops with AWS_ACCESS_KEY_ID=${DEMO_KEY}.\n`);
  const policy = path.join(defaultPresetsDir(), 'filesystem-readonly.yaml');
  const cli = path.resolve(here, '..', '..', '..', 'bin', 'vanguard.js');
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli, 'start', '--policy', policy, '--audit', auditFile, '--name', 'filesystem-demo', '--', ...server.argv, folder],
    env: { ...process.env } as Record<string, string>,
    stderr: 'pipe',
  });
  // The shim's audit lines and the server's own stderr: read, or a full pipe would stall them.
  let serverLog = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    serverLog = (serverLog + chunk.toString('utf8')).slice(-20_000);
  });
  const client = new Client({ name: 'vanguard-demo', version: '1.0.0' });
  const rows: Row[] = [];
  let ok = true;
  try {
    await client.connect(transport);
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    rows.push({ step: 'tools the client saw', outcome: `${names.length}: ${names.join(', ')}` });

    const read = await client.callTool({ name: 'read_text_file', arguments: { path: path.join(folder, 'hello.txt') } });
    ok &&= read.isError !== true;
    rows.push({ step: 'read_text_file hello.txt (allowed)', outcome: `${read.isError ? 'ERROR' : 'passed'}: ${firstText(read)}` });

    const notes = await client.callTool({ name: 'read_text_file', arguments: { path: path.join(folder, 'deploy-notes.txt') } });
    ok &&= notes.isError !== true && firstText(notes).includes('[REDACTED:aws-access-key-id]') && !firstText(notes).includes(DEMO_KEY);
    rows.push({ step: 'read_text_file deploy-notes.txt (result scanned)', outcome: `${notes.isError ? 'ERROR' : 'redacted'}: ${firstText(notes).trim()}` });

    const traversal = await client.callTool({ name: 'read_text_file', arguments: { path: `${folder}/../../../etc/passwd` } });
    ok &&= traversal.isError === true && firstText(traversal).startsWith('Blocked by Vanguard');
    rows.push({ step: 'read_text_file ../../../etc/passwd (inspected)', outcome: `${traversal.isError ? 'refused' : 'PASSED'}: ${firstText(traversal)}` });

    const tree = await client.callTool({ name: 'directory_tree', arguments: { path: folder } });
    ok &&= tree.isError === true;
    rows.push({ step: 'directory_tree (blocked by policy)', outcome: `${tree.isError ? 'refused' : 'PASSED'}: ${firstText(tree)}` });

    const write = await client.callTool({ name: 'write_file', arguments: { path: path.join(folder, 'x.txt'), content: 'x' } });
    ok &&= write.isError === true && !names.includes('write_file');
    rows.push({ step: 'write_file (hidden, called anyway)', outcome: `${write.isError ? 'refused as unknown' : 'PASSED'}: ${firstText(write)}` });
  } catch (error) {
    process.stderr.write(`${serverLog}\n`);
    throw error;
  } finally {
    await client.close().catch(() => undefined);
  }
  const records = readFileSync(auditFile, 'utf8').split('\n').filter(Boolean).length;
  rows.push({ step: 'audit trail', outcome: `${records} hash-chained records in ${auditFile} (check: vanguard audit verify ${auditFile})` });
  rmSync(folder, { recursive: true, force: true });

  const width = Math.max(...rows.map((r) => r.step.length));
  const lines = [
    `Vanguard demo: ${server.title} behind the shipped filesystem-readonly preset (${policy})`,
    '',
    ...rows.map((r) => `  ${r.step.padEnd(width)}  ${r.outcome}`),
    '',
    ok ? 'Every step behaved as the policy says.' : 'Some step did not behave as the policy says (see above).',
  ];
  process.stdout.write(`${lines.join('\n')}\n`); // stdout-ok: demo prints its table
  return ok ? 0 : 1;
}
