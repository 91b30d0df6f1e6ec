/**
 * Environment variables in policy values: `${VAR}`, `${VAR:-default}`, `$$`.
 * Expansion happens on the YAML nodes, so an unset variable is reported at
 * the line and column of the value that names it.
 */
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import { errorAt, type PolicyIssue } from './issues.js';
import { locate, type FieldPath, type ParsedFile } from './parse.js';

type Env = Record<string, string | undefined>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Expand one string. `${VAR:-default}` uses the default when VAR is unset or
 * empty (as a POSIX shell does); the default is taken literally. A `$` not
 * followed by `{` or `$` is kept as written.
 */
export function expandString(text: string, env: Env): { value: string } | { error: string } {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar === -1 || dollar === text.length - 1) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
      continue;
    }
    if (next !== '{') {
      out += '$';
      i = dollar + 1;
      continue;
    }
    const close = text.indexOf('}', dollar + 2);
    if (close === -1) return { error: `unclosed "\${" in "${text}" (write "$$" for a literal "$")` };
    const body = text.slice(dollar + 2, close);
    const sep = body.indexOf(':-');
    const name = sep === -1 ? body : body.slice(0, sep);
    if (!NAME.test(name)) return { error: `invalid environment variable name "${name}" in "\${${body}}"` };
    const set = env[name];
    if (sep !== -1) out += set === undefined || set === '' ? body.slice(sep + 2) : set;
    else if (set === undefined) {
      return { error: `environment variable "${name}" is not set (write \${${name}:-default} to give a default)` };
    } else out += set;
    i = close + 1;
  }
  return { value: out };
}

// An unquoted `${N}` that expands to a number or boolean means that type, so
// `maxFrameBytes: ${MAX_FRAME}` works; quoting keeps the result a string.
function retype(expanded: string): string | number | boolean {
  if (expanded === 'true') return true;
  if (expanded === 'false') return false;
  if (/^-?[0-9]+$/.test(expanded) && Number.isSafeInteger(Number(expanded))) return Number(expanded);
  return expanded;
}

/**
 * Expand every string value (not keys) in place. Returns the issues and the
 * paths that failed, so schema errors about those values can be suppressed.
 */
export function expandDocument(p: ParsedFile, env: Env): { issues: PolicyIssue[]; failed: Set<string> } {
  const issues: PolicyIssue[] = [];
  const failed = new Set<string>();
  const walk = (node: unknown, path: FieldPath): void => {
    // Aliases share the anchored node, which is expanded where it is defined.
    if (isAlias(node)) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
        walk(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => walk(item, [...path, index]));
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('$')) {
      const result = expandString(node.value, env);
      if ('error' in result) {
        issues.push(errorAt(locate(p, path), result.error));
        failed.add(pointer(path));
        return;
      }
      const plain = node.type === 'PLAIN' && node.value.includes('${');
      node.value = plain ? retype(result.value) : result.value;
    }
  };
  walk(p.doc.contents, []);
  return { issues, failed };
}

/** JSON pointer of a path, the form ajv reports errors in. */
export function pointer(path: FieldPath): string {
  return path.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
