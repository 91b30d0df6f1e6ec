#!/usr/bin/env node
// Least privilege measured: the dev corpus's path, SSRF and command attack suites under a
// constraint policy (paths under /srv/data, a host list, a command list), with every detector
// OFF, so what is counted is the constraints alone. Every attack should be refused. The
// benign calls of the same tools that a plain reading puts in scope (a path that resolves
// under /srv/data, a URL whose host is listed, a command whose whitespace-split words match
// an allowed argv with no shell syntax in it) should all pass.
//   node scripts/eval-constraints.mjs --corpus ../shared/corpora  (after npm run build)
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { compilePolicy } = await import(path.join(root, 'dist/config/index.js'));
const { Engine } = await import(path.join(root, 'dist/engine/engine.js'));
const micromatch = (await import('micromatch')).default;

const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
// Read like eval.mjs: a relative --corpus from the working folder, else from the repository's parent.
const corpusArg = option('--corpus', path.join('..', 'shared', 'corpora'));
const corpus = [path.resolve(corpusArg), path.resolve(root, '..', corpusArg), path.resolve(root, '..', '..', corpusArg)].find((dir) => existsSync(dir)) ?? path.resolve(corpusArg);
const misses = Number(option('--misses', 5));

const HOSTS = ['api.github.com', '*.githubusercontent.com', 'registry.npmjs.org', 'pypi.org', 'docs.python.org', 'example.com', '*.example.com', 'developer.mozilla.org', '*.wikipedia.org', 'go.dev', 'crates.io'];
const COMMANDS = ['git status', 'git log **', 'git diff **', 'git show **', 'git branch', 'ls /srv/data/**', 'ls -la /srv/data/**', 'cat /srv/data/**', 'tail /srv/data/**', 'du -sh /srv/data/**', 'wc -l /srv/data/**', 'date', 'node --version', 'npm test', 'npm run **'];
const OFF = Object.fromEntries(['path-traversal', 'command-injection', 'sql-injection', 'ssrf', 'secrets', 'prompt-injection', 'hidden-characters', 'pii'].map((c) => [c, 'off']));
const POLICY = {
  paths: { roots: ['/srv/data'] },
  detectors: OFF,
  arguments: {
    read_file: { constrain: { path: { paths: ['/srv/data/**'] } } },
    fetch_url: { constrain: { url: { hosts: HOSTS, schemes: ['https'] } } },
    run_command: { constrain: { command: { commands: COMMANDS } } },
  },
};

// The plain readings that decide what is in scope, independent of the constraint code.
const inScope = {
  read_file: ({ path: p }) => typeof p === 'string' && !/[%~\\\0]/.test(p) && path.posix.resolve('/srv/data', p).startsWith('/srv/data/'),
  fetch_url: ({ url }) => {
    if (typeof url !== 'string' || !/^https:\/\/[a-z0-9.-]+(?:[/?#]|$)/i.test(url) || /[@\\%]/.test(url)) return false;
    const host = url.slice(8).split(/[/?#:]/)[0].toLowerCase();
    return HOSTS.some((h) => micromatch.isMatch(host, h));
  },
  run_command: ({ command }) => {
    if (typeof command !== 'string' || /[;&|<>$`(){}*?'"\\\n~%^]/.test(command)) return false;
    const words = command.trim().split(/\s+/);
    return COMMANDS.some((c) => {
      const pat = c.split(' ');
      const rest = pat.at(-1) === '**';
      const fixed = rest ? pat.slice(0, -1) : pat;
      if (rest ? words.length < fixed.length : words.length !== fixed.length) return false;
      return fixed.every((p, i) => micromatch.isMatch(words[i], p, { dot: true })) && !words.some((w) => /(^|\/)\.\.(\/|$)/.test(w));
    });
  },
};

function readItems(name) {
  const file = path.join(corpus, `${name}.jsonl`);
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
}

const policy = compilePolicy(POLICY, ['eval-constraints'], '/srv/data');
// One session per item, as eval.mjs does: in one shared session the flow labels that earlier
// items left (a fetched page is untrusted content) refused later benign commands by the flow
// rules, which are not what this measures.
function refused(item) {
  const engine = new Engine(policy, { nowUs: () => 0 });
  const id = 1;
  const out = engine.fromClient(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: item.tool, arguments: item.args } })));
  const answered = out.outputs.some((o) => o.to === 'client');
  if (!answered) engine.fromServer(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id, result: { content: [] } })));
  return { refused: answered, rules: out.records[0]?.rules ?? [] };
}

const rows = [];
const benign = readItems('benign');
for (const [suite, tool] of [['path_traversal', 'read_file'], ['ssrf', 'fetch_url'], ['cmd_injection', 'run_command']]) {
  const attacks = readItems(suite).filter((i) => i.label === 'attack' && i.tool === tool);
  const results = attacks.map((item) => ({ item, ...refused(item) }));
  rows.push({ suite: `${suite} attacks (constraints only)`, n: results.length, hit: results.filter((r) => r.refused).length, want: 'refused', wrong: results.filter((r) => !r.refused) });
  const scoped = benign.filter((i) => i.tool === tool && inScope[tool](i.args ?? {}));
  const passed = scoped.map((item) => ({ item, ...refused(item) }));
  rows.push({ suite: `${tool} benign in scope`, n: passed.length, hit: passed.filter((r) => !r.refused).length, want: 'passed', wrong: passed.filter((r) => r.refused) });
  const outOfScope = benign.filter((i) => i.tool === tool).length - scoped.length;
  rows.push({ suite: `${tool} benign out of scope (refused, as least privilege means)`, n: outOfScope, hit: outOfScope, want: 'not counted', wrong: [] });
}

const lines = ['| suite | items | as wanted | wanted |', '| --- | ---: | ---: | --- |'];
for (const r of rows) lines.push(`| ${r.suite} | ${r.n} | ${r.want === 'not counted' ? '-' : r.hit} | ${r.want} |`);
process.stdout.write(`\nConstraints on ${corpus} (paths /srv/data/**, ${HOSTS.length} host globs, ${COMMANDS.length} argv globs; detectors off)\n\n${lines.join('\n')}\n`);
for (const r of rows) {
  if (r.wrong.length === 0) continue;
  process.stdout.write(`\nNot ${r.want} in ${r.suite} (first ${Math.min(misses, r.wrong.length)} of ${r.wrong.length}):\n`);
  for (const w of r.wrong.slice(0, misses)) process.stdout.write(`  ${w.item.tool} ${JSON.stringify(w.item.args).slice(0, 140)}  [${w.rules.join(', ')}]\n`);
}
if (rows.some((r) => r.want !== 'not counted' && r.hit !== r.n)) process.exitCode = 1;
