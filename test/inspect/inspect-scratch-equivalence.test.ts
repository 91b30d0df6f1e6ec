/**
 * What inspectArguments keeps per inspector from call to call (a scratch: the budget, the
 * normaliser's lists, the kinds memo, the detectors' contexts; the active categories read once),
 * the shared answers it gives, and the detectors it does not call (Detector.readsOnly), against
 * inspection as it was before them (reference/inspect-arguments.ts): every call, in any order,
 * must get the same verdict, findings, failure and budget steps.
 */
import { describe, expect, it } from 'vitest';
import { corpusCalls, type CorpusCall as Call } from './corpus-strings.js';
import { referenceInspectArguments } from './reference/inspect-arguments.js';
import { shippedRules, INSPECTION_BUDGET_MS } from '../../src/inspect/build.js';
import { inspectArguments, type CategorySetting, type Inspector } from '../../src/inspect/inspect.js';
import type { KindHints } from '../../src/inspect/kinds.js';
import { DETECTORS } from '../../src/inspect/registry.js';
import { CATEGORIES, type ArgumentKind, type Category } from '../../src/inspect/types.js';
import { scaled } from '../test-scale.js';

const rules = shippedRules().rules;
const EXAMPLES = rules.flatMap((r) => [...r.examples.match, ...r.examples.nomatch]).filter((e): e is string => typeof e === 'string' && e.length <= 2048);
const KEYS = ['text', 'path', 'url', 'command', 'query', 'host', 'note', 'sql', 'cmd', 'filePath', 'q', 'body', 'uri', 'file'];
const every = <T>(items: readonly T[], most: number): T[] => items.filter((_, i) => i % Math.max(1, Math.ceil(items.length / most)) === 0);

// Calls of one to twelve strings (past the few whose kinds are kept beside them) of rule
// examples, matching and not, under names that give them kinds; nested, in arrays, as numbers
// and JSON in strings; the corpora's calls; and a few of plain text and nothing.
function calls(): Call[] {
  const out: Call[] = [];
  const texts = every(EXAMPLES, 500);
  texts.forEach((text, i) => {
    const size = [1, 2, 3, 12][i % 4] as number;
    const args: Record<string, unknown> = {};
    for (let k = 0; k < size; k++) args[`${KEYS[(i + k) % KEYS.length]}${k >= KEYS.length ? k : ''}`] = k === 0 ? text : (texts[(i * 7 + k) % texts.length] as string);
    if (i % 5 === 0) args.nested = { list: [text, 'hello', { [KEYS[i % KEYS.length] as string]: text }], n: 2130706433, s: '2130706433.0' };
    if (i % 7 === 0) args.config = JSON.stringify({ url: text });
    out.push({ tool: `tool${i % 4}`, args });
  });
  return [...out, ...every(corpusCalls(8192), scaled(1000)), { tool: 'echo', args: { text: 'hello vanguard' } }, { tool: 'echo', args: {} }, { tool: 'write_file', args: { path: '~/.bashrc', content: 'x' } }];
}

const setting = (action: CategorySetting['action'], minSeverity: CategorySetting['minSeverity'] = 'low'): CategorySetting => ({ action, minSeverity });
const settingsWith = (of: (c: Category, i: number) => CategorySetting) => Object.fromEntries(CATEGORIES.map((c, i) => [c, of(c, i)])) as Inspector['settings'];
const SETTINGS: Array<Inspector['settings']> = [
  settingsWith(() => setting('block')),
  settingsWith((_, i) => setting(i % 3 === 0 ? 'off' : i % 3 === 1 ? 'warn' : 'block', i % 2 === 0 ? 'low' : 'high')),
];
const EXEMPTIONS: Array<ReadonlySet<Category>> = [new Set(), new Set(CATEGORIES.filter((_, i) => i % 2 === 1)), new Set(['command-injection', 'sql-injection'])];
const kinds = (...list: ArgumentKind[]): ReadonlySet<ArgumentKind> => new Set(list);
const HINTS: KindHints[] = [
  {},
  // The policy's word and the schema's: sets of kinds built per string, not the shared ones.
  { byPolicy: new Map([['note', kinds('command')], ['body', kinds('sql', 'path')]]), bySchema: new Map([['text', kinds('url')], ['q', kinds('sql')]]) },
];

describe('inspection with its scratch against inspection as it was', () => {
  const all = calls();
  for (const [s, settings] of SETTINGS.entries()) {
    for (const exhaustive of [false, true]) {
      it(`gives every call the same verdict, findings and steps (settings ${s}, exhaustive ${exhaustive})`, () => {
        let steps = -1;
        const inspector: Inspector = {
          rules,
          detectors: DETECTORS,
          settings,
          paths: { roots: ['/srv/data'], deny: ['~/.ssh/**'], cwd: '/srv/data', home: '/home/user', realpath: (p) => p },
          network: { allowHosts: [], denyHosts: ['evil.example'] },
          clock: { now: () => 0, budgetMs: INSPECTION_BUDGET_MS },
          exhaustive,
          onSteps: (used) => (steps = used),
        };
        const run = (inspect: typeof inspectArguments, call: Call, c: number) => {
          steps = -1;
          const result = inspect({ tool: call.tool, args: call.args, hints: HINTS[c % HINTS.length] as KindHints, exempt: EXEMPTIONS[c % EXEMPTIONS.length] as ReadonlySet<Category> }, inspector);
          return { result, steps };
        };
        // The reference first; the product after, with one inspector for every call (and its scratch
        // left over from the call before), each call twice.
        const expected = all.map((call, c) => run(referenceInspectArguments, call, c));
        for (let c = 0; c < all.length; c++) {
          const call = all[c] as Call;
          expect(run(inspectArguments, call, c), JSON.stringify(call).slice(0, 200)).toEqual(expected[c]);
          expect(run(inspectArguments, call, c), JSON.stringify(call).slice(0, 200)).toEqual(expected[c]);
        }
        // The calls exercise what they are for: blocks and allows, findings of several detectors.
        expect(expected.filter((r) => r.result.verdict === 'block').length).toBeGreaterThan(scaled(100));
        expect(expected.filter((r) => r.result.verdict === 'allow').length).toBeGreaterThan(scaled(50));
        const detectorRules = new Set(expected.flatMap((r) => r.result.findings.map((f) => f.ruleId.split('.')[0])));
        const prefixes: Array<[Category, string]> = [['path-traversal', 'path'], ['command-injection', 'cmd'], ['sql-injection', 'sql'], ['ssrf', 'ssrf']];
        for (const [category, prefix] of prefixes) if (settings[category].action !== 'off') expect(detectorRules, prefix).toContain(prefix);
      }, 600_000);
    }
  }
});
