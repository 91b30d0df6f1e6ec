/**
 * What inspectArguments keeps per inspector and set of active categories (the finding that
 * blocks, the normaliser's options) and per reading (each string's kinds, beside the strings
 * or in a Map past a few): an inspector used for many calls, in any order, must give each call
 * exactly what a fresh copy of it gives: the same verdict, findings and budget steps.
 */
import { describe, expect, it } from 'vitest';
import { corpusCalls, type CorpusCall as Call } from './corpus-strings.js';
import { shippedRules, INSPECTION_BUDGET_MS } from '../../src/inspect/build.js';
import { inspectArguments, type CategorySetting, type Inspector } from '../../src/inspect/inspect.js';
import { DETECTORS } from '../../src/inspect/registry.js';
import { CATEGORIES, type Category } from '../../src/inspect/types.js';
import { scaled } from '../test-scale.js';

const rules = shippedRules().rules;
const EXAMPLES = rules.flatMap((r) => r.examples.match).filter((e): e is string => typeof e === 'string' && e.length <= 2048);
const KEYS = ['text', 'path', 'url', 'command', 'query', 'host', 'note', 'sql', 'cmd', 'filePath', 'q', 'body', 'uri'];
const every = <T>(items: readonly T[], most: number): T[] => items.filter((_, i) => i % Math.max(1, Math.ceil(items.length / most)) === 0);

// Calls of one, three and twelve strings (past the few whose kinds are kept beside them), made
// of rule examples under argument names that give them kinds, and the corpora's calls.
function generatedCalls(): Call[] {
  const calls: Call[] = [];
  const texts = every(EXAMPLES, 600);
  texts.forEach((text, i) => {
    const size = [1, 3, 12][i % 3] as number;
    const args: Record<string, unknown> = {};
    for (let k = 0; k < size; k++) args[`${KEYS[(i + k) % KEYS.length]}${k > KEYS.length - 1 ? k : ''}`] = k === 0 ? text : (texts[(i * 7 + k) % texts.length] as string);
    if (i % 5 === 0) args.nested = { list: [text, 'hello', { [KEYS[i % KEYS.length] as string]: text }] };
    calls.push({ tool: `tool${i % 4}`, args });
  });
  return [...calls, ...every(corpusCalls(8192), scaled(1200)), { tool: 'echo', args: { text: 'hello vanguard' } }, { tool: 'echo', args: {} }];
}

const setting = (action: CategorySetting['action'], minSeverity: CategorySetting['minSeverity'] = 'low'): CategorySetting => ({ action, minSeverity });
const settingsWith = (of: (c: Category, i: number) => CategorySetting) => Object.fromEntries(CATEGORIES.map((c, i) => [c, of(c, i)])) as Inspector['settings'];
const SETTINGS: Array<Inspector['settings']> = [
  settingsWith(() => setting('block')),
  settingsWith((_, i) => setting(i % 3 === 0 ? 'off' : i % 3 === 1 ? 'warn' : 'block', i % 2 === 0 ? 'low' : 'high')),
  settingsWith((_, i) => setting(i % 2 === 0 ? 'warn' : 'block', 'medium')),
];
const EXEMPTIONS: Array<ReadonlySet<Category>> = [new Set(), new Set(CATEGORIES.filter((_, i) => i % 2 === 1)), new Set([CATEGORIES[0] as Category])];

describe('an inspector used for many calls against a fresh one per call', () => {
  const calls = generatedCalls();
  for (const [s, settings] of SETTINGS.entries()) {
    for (const exhaustive of [false, true]) {
      it(`gives the same verdict, findings and steps (settings ${s}, exhaustive ${exhaustive})`, () => {
        const base: Inspector = {
          rules,
          detectors: DETECTORS,
          settings,
          paths: { roots: ['/srv/data'], deny: ['~/.ssh/**'], cwd: '/srv/data', home: '/home/user', realpath: (p) => p },
          network: { allowHosts: [], denyHosts: [] },
          clock: { now: () => 0, budgetMs: INSPECTION_BUDGET_MS },
          exhaustive,
        };
        let steps = -1;
        const warm: Inspector = { ...base, onSteps: (used) => (steps = used) };
        const run = (inspector: Inspector, call: Call, c: number) => {
          steps = -1;
          const result = inspectArguments({ tool: call.tool, args: call.args, hints: {}, exempt: EXEMPTIONS[c % EXEMPTIONS.length] as ReadonlySet<Category> }, inspector);
          return { result, steps };
        };
        const fresh = calls.map((call, c) => run({ ...warm }, call, c));
        // The same inspector throughout, in the other order: whatever it kept from the calls before.
        for (let c = calls.length - 1; c >= 0; c--) expect(run(warm, calls[c] as Call, c), JSON.stringify(calls[c]).slice(0, 200)).toEqual(fresh[c]);
        expect(fresh.every((r) => r.steps >= 0)).toBe(true);
        expect(fresh.filter((r) => r.steps > 0).length).toBeGreaterThan(calls.length - 3);
        expect(fresh.filter((r) => r.result.verdict === 'block').length).toBeGreaterThan(100);
        expect(fresh.filter((r) => r.result.verdict === 'allow').length).toBeGreaterThan(0);
      }, 300_000);
    }
  }
});
