/**
 * Phase 1: text to a YAML document that remembers where every node came from,
 * so later phases can point at line:col.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import type { Document, Node } from 'yaml';
import { errorAt, warningAt, type IssueAt, type PolicyIssue } from './issues.js';

/** A path into the document: map keys and sequence indices. */
export type FieldPath = ReadonlyArray<string | number>;

/** One policy file, parsed, with what is needed to locate its nodes. */
export interface ParsedFile {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

// yaml's wording for a few common mistakes is written for library users, not policy authors.
const FRIENDLIER: Record<string, string> = {
  MULTIPLE_DOCS: 'a policy file holds a single YAML document (found a second "---")',
  DUPLICATE_KEY: 'duplicate key: each key may appear only once in a mapping',
};

/** Parse YAML (or JSON, which YAML 1.2 reads too). Syntax errors come back as issues; `parsed` only without errors. */
export function parsePolicyText(file: string, text: string): { parsed?: ParsedFile; issues: PolicyIssue[] } {
  const lines = new LineCounter();
  // logLevel silent: yaml would otherwise print its own warnings to the process's stderr.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, logLevel: 'silent' });
  const issues = doc.errors.map((e) => {
    const pos = lines.linePos(e.pos[0]);
    return errorAt({ file, line: pos.line, col: pos.col, field: '' }, FRIENDLIER[e.code] ?? e.message);
  });
  // A list or mapping used as a key (`? [a]`) would be stringified into a surprising glob.
  visit(doc, {
    Pair(_, pair) {
      if (pair.key !== null && !isScalar(pair.key)) {
        const pos = lines.linePos((pair.key as Node).range?.[0] ?? 0);
        issues.push(errorAt({ file, line: pos.line, col: pos.col, field: '' }, 'a key must be a plain name, not a list or mapping'));
      }
    },
  });
  const fatal = issues.length > 0;
  for (const w of doc.warnings) {
    const pos = lines.linePos(w.pos[0]);
    issues.push(warningAt({ file, line: pos.line, col: pos.col, field: '' }, w.message));
  }
  return fatal ? { issues } : { parsed: { file, doc, lines }, issues };
}

/** Render a path the way a user reads it: `tools.deny[2]`, `tools.actions["file.read"]`. */
export function fieldName(path: FieldPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[$A-Za-z_][\w$*?-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** The key node and value node at a path, as far as the path exists. */
function nodesAt(p: ParsedFile, path: FieldPath): { key?: Node; value?: Node; complete: boolean } {
  let value: unknown = p.doc.contents;
  let key: Node | undefined;
  for (const seg of path) {
    // An alias stands for the anchored node; positions are those of the anchor.
    if (isAlias(value)) value = value.resolve(p.doc);
    if (isMap(value)) {
      const pair = value.items.find((it) => String(isScalar(it.key) ? it.key.value : it.key) === String(seg));
      if (pair === undefined) return { key, value: value as Node, complete: false };
      key = isScalar(pair.key) ? pair.key : undefined;
      value = pair.value;
    } else if (isSeq(value)) {
      const item: unknown = value.items[Number(seg)];
      if (item === undefined) return { key, value: value as Node, complete: false };
      key = undefined;
      value = item;
    } else {
      return { key, value: value as Node | undefined, complete: false };
    }
  }
  return { key, value: (value ?? undefined) as Node | undefined, complete: true };
}

/** 1-based line and column of a node's first character, if it has source. */
function startOf(p: ParsedFile, node: Node | undefined): { line: number; col: number } | undefined {
  const range = node?.range;
  if (range === undefined || range === null) return undefined;
  return p.lines.linePos(range[0]);
}

/**
 * Where to point for a path. `key` points at the key (unknown keys); `value`
 * points at a scalar value, or at the key when the value is a block or empty,
 * because that is the line the user has to edit.
 */
export function locate(p: ParsedFile, path: FieldPath, target: 'key' | 'value' = 'value'): IssueAt {
  const { key, value } = nodesAt(p, path);
  const range = isScalar(value) ? value.range : undefined;
  const scalarWithSource = range !== undefined && range !== null && range[0] < range[1];
  const pos =
    (target === 'value' && scalarWithSource ? startOf(p, value) : undefined) ??
    startOf(p, key) ??
    startOf(p, value) ?? { line: 1, col: 1 };
  return { file: p.file, line: pos.line, col: pos.col, field: fieldName(path) };
}
