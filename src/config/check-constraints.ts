/**
 * Phase 3 for `arguments.<tool>.constrain` and `limits`: what the schema cannot say about a
 * constraint (globs that compile, absolute path globs, a pattern the linear engine runs, a
 * schema ajv compiles), each reported at its own line and column.
 */
import { compileLinear } from '../rules/linear-regex.js';
import { newAjv } from './lazy-ajv.js';
import { globProblem, KEY_GLOB_OPTIONS, TOOL_GLOB_OPTIONS } from './globs.js';
import { errorAt, warningAt, type PolicyIssue } from './issues.js';
import { locate, type ParsedFile } from './parse.js';
import type { PolicyDocument } from './policy-types.js';

const NO_NEGATION = 'list only what is allowed';

/** Every problem with the constraints and limits of one file. */
export function checkConstraints(p: ParsedFile, doc: PolicyDocument): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  const globList = (path: (string | number)[], list: string[] | undefined, options = TOOL_GLOB_OPTIONS, extra?: (g: string) => string | undefined) => {
    (list ?? []).forEach((glob, i) => {
      const problem = globProblem(glob, NO_NEGATION, options) ?? extra?.(glob);
      if (problem !== undefined) issues.push(errorAt(locate(p, [...path, i]), problem));
    });
  };
  for (const [tool, section] of Object.entries(doc.arguments ?? {})) {
    const toolProblem = globProblem(tool, NO_NEGATION);
    if (toolProblem !== undefined) issues.push(errorAt(locate(p, ['arguments', tool], 'key'), toolProblem));
    for (const [arg, spec] of Object.entries(section.constrain ?? {})) {
      const base = ['arguments', tool, 'constrain', arg];
      const argProblem = globProblem(arg, NO_NEGATION);
      if (argProblem !== undefined) issues.push(errorAt(locate(p, base, 'key'), argProblem));
      globList([...base, 'paths'], spec.paths, TOOL_GLOB_OPTIONS, (g) =>
        g.startsWith('/') || g === '~' || g.startsWith('~/') ? undefined : `path glob "${g}" must be absolute (start with / or ~/): relative paths depend on where the server runs`,
      );
      globList([...base, 'hosts'], spec.hosts, KEY_GLOB_OPTIONS, (g) => (/[/:@\\\s]/.test(g) ? `host glob "${g}" holds "/", ":", "@" or a space: name the host only (schemes go in "schemes")` : undefined));
      (spec.schemes ?? []).forEach((s, i) => {
        if (!/^[a-z][a-z0-9+.-]*:?$/i.test(s)) issues.push(errorAt(locate(p, [...base, 'schemes', i]), `"${s}" is not a URL scheme (write https, not https://)`));
      });
      (spec.commands ?? []).forEach((c, i) => {
        const words = c.trim().split(/\s+/);
        const bad = c.trim() === '' ? 'an empty command matches nothing' : words.map((w) => globProblem(w, NO_NEGATION, TOOL_GLOB_OPTIONS)).find((x) => x !== undefined);
        if (bad !== undefined) issues.push(errorAt(locate(p, [...base, 'commands', i]), bad));
      });
      if (spec.operators && !spec.commands) issues.push(warningAt(locate(p, [...base, 'operators']), '"operators" only applies with "commands"'));
      if (spec.pattern !== undefined) {
        const compiled = compileLinear(`^(?:${spec.pattern})$`);
        // Constraint patterns match the value as sent, so the rule-pack advice about lower case does not apply.
        if (!compiled.ok) issues.push(errorAt(locate(p, [...base, 'pattern']), compiled.message.replace(/; write the pattern in lower case[^)]*/, '')));
      }
      if (spec.schema !== undefined && (spec.schema === null || (typeof spec.schema !== 'object' && typeof spec.schema !== 'boolean') || Array.isArray(spec.schema))) {
        issues.push(errorAt(locate(p, [...base, 'schema']), '"schema" must be a JSON Schema: an object or a boolean'));
      } else if (spec.schema !== undefined) {
        try {
          newAjv({ strict: false }).compile(spec.schema);
        } catch (error) {
          issues.push(errorAt(locate(p, [...base, 'schema']), `schema cannot be compiled: ${(error as Error).message}`));
        }
      }
      if (spec.required && arg !== '*' && /[*?[\]{}]/.test(arg)) {
        issues.push(warningAt(locate(p, [...base, 'required']), `"required" on the glob "${arg}" means at least one matching argument`));
      }
    }
  }
  for (const glob of Object.keys(doc.limits?.rate?.tools ?? {})) {
    const problem = globProblem(glob, NO_NEGATION);
    if (problem !== undefined) issues.push(errorAt(locate(p, ['limits', 'rate', 'tools', glob], 'key'), problem));
  }
  return issues;
}
