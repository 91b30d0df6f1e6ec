/**
 * `vanguard wrap` / `unwrap` through the real built CLI, on a sample config of each client:
 * the wrapped entry is started exactly as the client would (command + args + env from the
 * rewritten file, the SDK's real Client over stdio) and must answer `initialize` and list
 * tools; unwrap must give back the original file byte for byte.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, connectDirect, EVERYTHING_SERVER } from './sdk-harness.js';
import { parseJsonc } from '../clients/helpers.js';

const run = promisify(execFile);
const temp = realpathSync(mkdtempSync(path.join(tmpdir(), 'vanguard-wrap-')));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
const SCRIPT = realpathSync(CLI);

async function cli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: options.cwd, env: { ...process.env, ...options.env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let n = 0;
function configFile(name: string, text: string): string {
  const dir = path.join(temp, String(n++));
  mkdirSync(dir);
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

const everything = JSON.stringify(EVERYTHING_SERVER);
const samples: Array<{ client: string; file: string; text: string; servers: (doc: any) => any }> = [
  {
    client: 'claude-desktop',
    file: 'claude_desktop_config.json',
    text: `{\n  "mcpServers": {\n    "everything": {\n      "command": "node",\n      "args": [${everything}],\n      "env": { "FROM_CONFIG": "1" }\n    },\n    "remote": { "url": "https://example.com/mcp" }\n  }\n}\n`,
    servers: (d) => d.mcpServers,
  },
  {
    client: 'claude-code',
    file: '.claude.json',
    text: `{\n  "numStartups": 3,\n  "projects": {\n    "/home/me/app": {\n      "mcpServers": {\n        "everything": { "type": "stdio", "command": "node", "args": [${everything}], "env": {} }\n      }\n    }\n  }\n}\n`,
    servers: (d) => d.projects['/home/me/app'].mcpServers,
  },
  {
    client: 'cursor',
    file: 'mcp.json',
    text: `{\n    "mcpServers": {\n        // the reference server\n        "everything": {\n            "command": "node",\n            "args": [\n                ${everything}\n            ]\n        }\n    }\n}`,
    servers: (d) => d.mcpServers,
  },
  {
    client: 'vscode',
    file: 'mcp.json',
    text: `{\r\n\t"servers": {\r\n\t\t"everything": {\r\n\t\t\t"type": "stdio",\r\n\t\t\t"command": "node",\r\n\t\t\t"args": [${everything}], // stdio by default\r\n\t\t},\r\n\t\t"api": { "type": "http", "url": "https://api.example.com/mcp" }\r\n\t},\r\n\t"inputs": []\r\n}\r\n`,
    servers: (d) => d.servers,
  },
  {
    client: 'windsurf',
    file: 'mcp_config.json',
    text: `{"mcpServers":{"everything":{"command":"node","args":[${everything}],"disabled":false},"zap":{"serverUrl":"https://zapier.example/sse"}}}`,
    servers: (d) => d.mcpServers,
  },
];

describe.each(samples)('$client', ({ client, file, text, servers }) => {
  it('wraps the entry into one that starts through Vanguard and answers, and unwraps byte for byte', async () => {
    const config = configFile(file, text);
    const wrapped = await cli(['wrap', '--client', client, '--config', config]);
    expect(wrapped.stderr).toContain('wrapped   ');
    expect(wrapped.code).toBe(0);
    const entry = servers(parseJsonc(readFileSync(config, 'utf8'))).everything;
    expect(entry.command).toBe(process.execPath);
    expect(entry.args).toEqual([SCRIPT, 'start', '--name', 'everything', '--', 'node', EVERYTHING_SERVER]);

    const session = await connectDirect(entry.command, entry.args, { env: entry.env ?? {} });
    try {
      expect(session.client.getServerVersion()?.name).toBeTruthy();
      const tools = await session.client.listTools();
      expect(tools.tools.map((t) => t.name)).toContain('echo');
      expect(session.errors).toEqual([]);
    } finally {
      await session.close();
    }

    const again = await cli(['wrap', '--client', client, '--config', config]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('nothing to wrap');
    const unwrapped = await cli(['unwrap', '--client', client, '--config', config]);
    expect(unwrapped.code).toBe(0);
    expect(readFileSync(config, 'utf8')).toBe(text);
    // One backup per write: the original, then the wrapped file.
    const backups = readdirSync(path.dirname(config)).filter((f) => f.includes('.vanguard-backup-')).sort();
    expect(backups).toHaveLength(2);
    expect(backups.map((b) => readFileSync(path.join(path.dirname(config), b), 'utf8'))).toContain(text);
  });
});

describe('the wrapped command', () => {
  it('runs under the given policy, and needs no node on PATH (a GUI client’s PATH)', async () => {
    const policy = configFile('policy.yaml', 'tools:\n  deny: ["echo"]\n');
    const config = configFile('claude_desktop_config.json', JSON.stringify({ mcpServers: { e: { command: process.execPath, args: [EVERYTHING_SERVER] } } }, null, 2));
    const result = await cli(['wrap', '--client', 'claude-desktop', '--config', config, '--policy', path.relative(process.cwd(), policy)]);
    expect(result.code).toBe(0);
    const entry = JSON.parse(readFileSync(config, 'utf8')).mcpServers.e;
    expect(entry.args.slice(0, 4)).toEqual([SCRIPT, 'start', '--policy', policy]);
    const session = await connectDirect(entry.command, entry.args, { env: { PATH: path.join(temp, 'no-such-dir') } });
    try {
      const names = (await session.client.listTools()).tools.map((t) => t.name);
      expect(names).not.toContain('echo');
      expect(names.length).toBeGreaterThan(3);
    } finally {
      await session.close();
    }
  });
});

describe('the command line', () => {
  const sample = '{\n  "mcpServers": {\n    "alpha": { "command": "a" },\n    "beta": { "command": "b", "args": ["x"] }\n  }\n}\n';

  it('--dry-run prints a unified diff and writes nothing', async () => {
    const config = configFile('c.json', sample);
    const { code, stdout, stderr } = await cli(['wrap', '--client', 'claude-desktop', '--config', config, '--only', 'beta', '--dry-run']);
    expect(code).toBe(0);
    expect(stdout).toBe(
      `--- a/c.json\n+++ b/c.json\n@@ -1,6 +1,6 @@\n {\n   "mcpServers": {\n     "alpha": { "command": "a" },\n-    "beta": { "command": "b", "args": ["x"] }\n+    "beta": { "command": ${JSON.stringify(process.execPath)}, "args": [${JSON.stringify(SCRIPT)}, "start", "--name", "beta", "--", "b", "x"] }\n   }\n }\n`,
    );
    expect(stderr).toContain('dry run: nothing was written');
    expect(readFileSync(config, 'utf8')).toBe(sample);
    expect(readdirSync(path.dirname(config))).toEqual(['c.json']);
  });

  it('invalid JSON: file:line:col, exit 1, nothing written', async () => {
    const broken = sample.replace('"a" }', '"a" },,');
    const config = configFile('c.json', broken);
    const { code, stderr } = await cli(['wrap', '--client', 'claude-desktop', '--config', config]);
    expect(code).toBe(1);
    expect(stderr).toBe(`vanguard: ${config}:3:33: expected a key in double quotes, found ","; nothing was written\n`);
    expect(readFileSync(config, 'utf8')).toBe(broken);
    expect(readdirSync(path.dirname(config))).toEqual(['c.json']);
  });

  it('--only with an unknown name: exit 2 with did-you-mean', async () => {
    const config = configFile('c.json', sample);
    const { code, stderr } = await cli(['wrap', '--client', 'claude-desktop', '--config', config, '--only', 'alpah']);
    expect(code).toBe(2);
    expect(stderr).toContain('no server named "alpah" (did you mean "alpha"?)');
  });

  it('--policy takes a shipped preset name, written as the name (the shim finds it in its own package)', async () => {
    const config = configFile('preset.json', sample);
    const { code } = await cli(['wrap', '--client', 'claude-desktop', '--config', config, '--policy', 'filesystem-readonly']);
    expect(code).toBe(0);
    const entry = JSON.parse(readFileSync(config, 'utf8')).mcpServers.alpha;
    expect(entry.args.slice(1, 4)).toEqual(['start', '--policy', 'filesystem-readonly']);
    const typo = await cli(['wrap', '--client', 'claude-desktop', '--config', configFile('typo.json', sample), '--policy', 'filesystem-readonyl']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('did you mean "filesystem-readonly"');
  });

  it('an invalid policy is refused before anything is written', async () => {
    const policy = configFile('p.yaml', 'mode: enforcee\n');
    const config = configFile('c.json', sample);
    const { code, stderr } = await cli(['wrap', '--client', 'claude-desktop', '--config', config, '--policy', policy]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${policy}:1:7:`);
    expect(readFileSync(config, 'utf8')).toBe(sample);
  });

  it("finds the client's own file from HOME, and names where it looked when there is none", async () => {
    const home = path.join(temp, 'home');
    const project = path.join(temp, 'project');
    mkdirSync(project, { recursive: true });
    const env = { HOME: home, USERPROFILE: home };
    const missing = await cli(['wrap', '--client', 'windsurf'], { cwd: project, env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`looked at:\n  ${path.join(home, '.codeium', 'windsurf', 'mcp_config.json')} (user)`);
    mkdirSync(path.join(home, '.codeium', 'windsurf'), { recursive: true });
    const file = path.join(home, '.codeium', 'windsurf', 'mcp_config.json');
    writeFileSync(file, sample);
    const found = await cli(['wrap', '--client', 'windsurf', '--dry-run'], { cwd: project, env });
    expect(found.code).toBe(0);
    expect(found.stderr).toContain(`${file}:\n  wrapped   mcpServers.alpha`);
  });

  it('unwrap takes no --policy, and --help lists both commands', async () => {
    expect((await cli(['unwrap', '--client', 'cursor', '--policy', 'x'])).code).toBe(2);
    const help = await cli(['--help']);
    expect(help.stdout).toContain('vanguard wrap');
    expect(help.stdout).toContain('vanguard unwrap');
    expect(existsSync(SCRIPT)).toBe(true);
  });
});

describe('an entry that cannot be wrapped', () => {
  it('stops the whole file: exit 1, nothing written, and --only leaves it out', async () => {
    const text = '{"mcpServers": {"ok": {"command": "a"}, "bad": "not an entry"}}';
    const config = configFile('c.json', text);
    const refused = await cli(['wrap', '--client', 'claude-desktop', '--config', config]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('left      mcpServers.bad: not an object');
    expect(refused.stderr).toContain('1 entry could not be wrapped; nothing was written');
    expect(readFileSync(config, 'utf8')).toBe(text);
    const only = await cli(['wrap', '--client', 'claude-desktop', '--config', config, '--only', 'ok']);
    expect(only.code).toBe(0);
    expect(JSON.parse(readFileSync(config, 'utf8')).mcpServers.ok.command).toBe(process.execPath);
  });
});
