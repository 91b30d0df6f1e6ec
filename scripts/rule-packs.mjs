// Reads the shipped rule packs (policies/rules/*.yaml) with the same loader the CLI uses,
// fails the build on any problem, and writes them as JSON (dist/rules/packs.json), so a
// start does not parse YAML with positions (~150 ms), with what each pattern needs worked out
// (the rule index's pre-test: on a cold start it was most of the first scan of a server's
// instructions). Run by `npm run build` after tsc.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { loadRuleSet } = await import(path.join(root, 'dist', 'rules', 'load-packs.js'));
const { RULE_REGISTRY } = await import(path.join(root, 'dist', 'inspect', 'registry.js'));
const { SHIPPED_RULES_DIR, DEFINITION_RULES_DIR, toPrebuilt } = await import(path.join(root, 'dist', 'rules', 'shipped.js'));

// The argument rules (policies/rules) and the tool-definition steering rules (policies/definitions).
for (const [dir, out, from] of [[SHIPPED_RULES_DIR, 'packs.json', 'policies/rules/*.yaml'], [DEFINITION_RULES_DIR, 'definition-packs.json', 'policies/definitions/*.yaml']]) {
  const set = loadRuleSet(dir, { list: (d) => readdirSync(d), read: (file) => readFileSync(file, 'utf8') }, RULE_REGISTRY);
  if (set.issues.length > 0) {
    for (const i of set.issues) process.stderr.write(`${i.file}:${i.line}:${i.col}: ${i.message}\n`);
    process.exit(1);
  }
  const specs = set.rules.map((rule) => toPrebuilt(rule, root));
  writeFileSync(path.join(root, 'dist', 'rules', out), JSON.stringify({ generatedFrom: from, rules: specs }));
}
