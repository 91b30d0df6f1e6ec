/**
 * Loading a test file: YAML (or JSON) text to a validated TestFile, or every problem as a
 * `file:line:col` issue. Reading the file is the caller's; this only decides.
 */
import path from 'node:path';
import { isScalar, LineCounter, parseDocument, visit, type Node } from 'yaml';
import { errorAt, type PolicyIssue } from '../config/issues.js';
import type { ParsedFile } from '../config/parse.js';
import { checkCase, checkUniqueNames, serverOf, type RawTestFile } from './case-rules.js';
import { checkTestSchema } from './schema-check.js';
import type { TestCase, TestFile } from './types.js';

/** The outcome of loading: a TestFile only when there is no issue. */
export interface LoadedTestFile {
  testFile?: TestFile;
  issues: PolicyIssue[];
}

/** What loading may ask of the file system. */
export interface LoadOptions {
  /** True when a file exists; used to tell a policy path from a shipped preset name. */
  exists(file: string): boolean;
}

// YAML syntax errors, and keys that are lists or mappings, as issues.
function parseText(file: string, text: string): { parsed?: ParsedFile; issues: PolicyIssue[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, logLevel: 'silent' });
  const at = (offset: number) => {
    const pos = lines.linePos(offset);
    return { file, line: pos.line, col: pos.col, field: '' };
  };
  const issues = doc.errors.map((e) =>
    errorAt(at(e.pos[0]), e.code === 'MULTIPLE_DOCS' ? 'a test file holds a single YAML document (found a second "---")' : e.code === 'DUPLICATE_KEY' ? 'duplicate key: each key may appear only once in a mapping' : e.message),
  );
  visit(doc, {
    Pair(_, pair) {
      if (pair.key !== null && !isScalar(pair.key)) issues.push(errorAt(at((pair.key as Node).range?.[0] ?? 0), 'a key must be a plain name, not a list or mapping'));
    },
  });
  return issues.length > 0 ? { issues } : { parsed: { file, doc, lines }, issues };
}

// A bare word with no folder and no extension, when no such file exists, is a shipped preset's name.
function policyOf(raw: string | undefined, folder: string, options: LoadOptions): string | undefined {
  if (raw === undefined) return undefined;
  const resolved = path.resolve(folder, raw);
  const bare = !/[\\/]/.test(raw) && path.extname(raw) === '';
  return bare && !options.exists(resolved) ? raw : resolved;
}

/** Parse and check a test file named `file` (as given; resolved against the process's cwd). */
export function parseTestFile(file: string, text: string, options: LoadOptions): LoadedTestFile {
  const { parsed, issues } = parseText(file, text);
  if (!parsed) return { issues };
  const data: unknown = parsed.doc.toJS({ maxAliasCount: 100 });
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { issues: [errorAt({ file, line: 1, col: 1, field: '' }, 'a test file is a mapping with "server" (or "command") and "cases"')] };
  }
  const schemaIssues = checkTestSchema(parsed, data);
  if (schemaIssues.length > 0) return { issues: schemaIssues };

  const raw = data as RawTestFile;
  const found: PolicyIssue[] = [];
  const argv = serverOf(parsed, raw, found);
  checkUniqueNames(parsed, raw.cases, found);
  const cases = raw.cases.map((c, index) => checkCase(parsed, c, index, found)).filter((c): c is TestCase => c !== undefined);
  if (found.length > 0 || argv === undefined) return { issues: found.sort((a, b) => a.line - b.line || a.col - b.col) };

  const folder = path.dirname(path.resolve(file));
  return {
    testFile: {
      file,
      name: raw.name ?? file,
      argv,
      policy: policyOf(raw.policy, folder, options),
      cwd: path.resolve(folder, raw.cwd ?? '.'),
      env: raw.env ?? {},
      cases,
    },
    issues: [],
  };
}
