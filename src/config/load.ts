/**
 * loadPolicy: read a policy and everything it extends, validate each file
 * (syntax, schema, meaning), merge, and compile. Never throws for bad input.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import type { CompiledPolicy, PolicyDocument } from './policy-types.js';
import { compilePolicy } from './compile.js';
import { expandDocument } from './env.js';
import type { PolicyIO } from './io.js';
import { errorAt, IssueList, warningAt, type IssueAt, type PolicyIssue } from './issues.js';
import { mergePolicies, withDefaults } from './merge.js';
import { locate, parsePolicyText, type ParsedFile } from './parse.js';
import { extendsTarget, isPresetName, readFailure, resolveAuditFile } from './paths.js';
import { checkDeadActions, checkFile } from './rules.js';
import { validateSchema } from './schema.js';
import { didYouMean } from './suggest.js';

/** The outcome of loading: a policy only when there are no errors. */
export interface LoadResult {
  compiled?: CompiledPolicy;
  /** Merged, expanded, with defaults filled in: what `vanguard check` prints. */
  effective?: PolicyDocument;
  errors: PolicyIssue[];
  warnings: PolicyIssue[];
}

/** One validated file, in merge order. */
interface LoadedFile {
  parsed: ParsedFile;
  doc: PolicyDocument;
}

/** State of one load: what was read, in which order, and what went wrong. */
interface Walk {
  io: PolicyIO;
  issues: IssueList;
  /** Files in merge order: every file after the files it extends. */
  order: LoadedFile[];
  done: Set<string>;
}

/**
 * Load a policy file, or the shipped default preset when `file` is undefined.
 * Issues name files as they were reached: `file` as given, extended files
 * joined onto the extending file's folder.
 */
export function loadPolicy(file: string | undefined, io: PolicyIO): LoadResult {
  const walk: Walk = { io, issues: new IssueList(), order: [], done: new Set() };
  const top = topPolicyFile(file, io);
  if (typeof top !== 'string') return { errors: [top], warnings: [] };
  visit(walk, top, [], undefined);
  const { errors, warnings } = walk.issues;
  if (errors.length > 0) return { errors, warnings };

  const merged = walk.order.reduce<PolicyDocument>((acc, f) => mergePolicies(acc, f.doc), {});
  // The file whose entry won for each action glob: later files override earlier ones.
  const owner = new Map<string, ParsedFile>();
  for (const f of walk.order) for (const glob of Object.keys(f.doc.tools?.actions ?? {})) owner.set(glob, f.parsed);
  warnings.push(...checkDeadActions(merged, owner));

  const effective = withDefaults(merged);
  const sources = walk.order.map((f) => f.parsed.file);
  return { compiled: compilePolicy(effective, sources), effective, errors, warnings };
}

/**
 * The file a `--policy` value names: an existing file first, so a file called `strict` in the
 * working folder still wins; otherwise a bare name (as `extends` takes it) is a shipped preset.
 */
function topPolicyFile(file: string | undefined, io: PolicyIO): string | PolicyIssue {
  if (file === undefined) return extendsTarget('default', '', io);
  if (!isPresetName(file) || readable(io, file)) return file;
  const preset = extendsTarget(file, '', io);
  if (readable(io, preset)) return preset;
  return errorAt({ file, line: 1, col: 1, field: '' }, `no policy file or shipped preset is named "${file}"${presetHint(io, file)}`);
}

function readable(io: PolicyIO, file: string): boolean {
  try {
    io.readFile(file);
    return true;
  } catch {
    return false;
  }
}

/** Where a file was named: the `extends` entry and its text. */
interface Reference {
  at: IssueAt;
  ref: string;
}

/** Read, check and queue one file after its bases. `chain` holds the files extending it, for cycle reports. */
function visit(walk: Walk, file: string, chain: string[], from: Reference | undefined): void {
  const key = resolve(file);
  // Only an extended file (with a `from`) can close a cycle.
  if (from !== undefined && chain.some((c) => resolve(c) === key)) {
    walk.issues.add(errorAt(from.at, `extends cycle: ${[...chain, file].join(' -> ')}`));
    return;
  }
  // A base reached twice (two presets extending "default") is merged once, at its first place.
  if (walk.done.has(key)) return;
  const loaded = readAndCheck(walk, file, from);
  if (loaded === undefined) return;
  const refs = loaded.doc.extends === undefined ? [] : [loaded.doc.extends].flat();
  refs.forEach((ref, index) => {
    const at = locate(loaded.parsed, Array.isArray(loaded.doc.extends) ? ['extends', index] : ['extends']);
    visit(walk, extendsTarget(ref, file, walk.io), [...chain, file], { at, ref });
  });
  walk.done.add(key);
  walk.order.push(loaded);
}

/** Phases 1 to 3 for one file. Undefined when it has errors (they are recorded). */
function readAndCheck(walk: Walk, file: string, from: Reference | undefined): LoadedFile | undefined {
  const { io, issues } = walk;
  let text: string;
  try {
    text = io.readFile(file);
  } catch (err) {
    issues.add(readIssue(io, file, from, err));
    return undefined;
  }
  const { parsed, issues: syntax } = parsePolicyText(file, text);
  syntax.forEach((i) => issues.add(i));
  if (parsed === undefined) return undefined;

  const expanded = expandDocument(parsed, io.env);
  expanded.issues.forEach((i) => issues.add(i));
  let data: unknown;
  try {
    data = parsed.doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (err) {
    issues.add(errorAt({ file, line: 1, col: 1, field: '' }, (err as Error).message));
    return undefined;
  }
  if (parsed.doc.contents === null) issues.add(warningAt({ file, line: 1, col: 1, field: '' }, 'the policy file is empty: defaults apply'));
  const schemaIssues = validateSchema(parsed, data, expanded.failed);
  schemaIssues.forEach((i) => issues.add(i));
  if (expanded.issues.length > 0 || schemaIssues.length > 0) return undefined;

  const doc = data as PolicyDocument;
  checkFile(parsed, doc).forEach((i) => issues.add(i));
  if (doc.audit?.file !== undefined) {
    const r = resolveAuditFile(doc.audit.file, file, io.env);
    if ('error' in r) issues.add(errorAt(locate(parsed, ['audit', 'file']), r.error));
    else doc.audit.file = r.path;
  }
  // Rule packs are named relative to the policy that names them.
  if (doc.rulePacks !== undefined) doc.rulePacks = doc.rulePacks.map((pack) => resolve(dirname(file), pack));
  if (doc.pinning?.lock !== undefined) doc.pinning.lock = resolve(dirname(file), doc.pinning.lock);
  // Every relative path in a policy is relative to the file that says it, wherever the client
  // starts the shim: roots and cwd too (a leading ~ is the home folder, kept for the inspector).
  const fromFile = (p: string): string => (p === '~' || p.startsWith('~/') || p.startsWith('~\\') || isAbsolute(p) ? p : resolve(dirname(file), p));
  if (doc.paths?.roots !== undefined) doc.paths.roots = doc.paths.roots.map(fromFile);
  if (doc.paths?.cwd !== undefined) doc.paths.cwd = fromFile(doc.paths.cwd);
  return { parsed, doc };
}

/** A file that cannot be read: reported where it was named, or at 1:1 of itself for the top file. */
function readIssue(io: PolicyIO, file: string, from: Reference | undefined, err: unknown): PolicyIssue {
  if (from === undefined) return errorAt({ file, line: 1, col: 1, field: '' }, `cannot read policy file: ${readFailure(err)}`);
  if (isPresetName(from.ref)) {
    return errorAt(from.at, `extends "${from.ref}": no shipped preset has that name${presetHint(io, from.ref)}`);
  }
  return errorAt(from.at, `extends "${from.ref}": cannot read ${file}: ${readFailure(err)}`);
}

// "did you mean", and the list of presets, when the folder can be listed.
function presetHint(io: PolicyIO, ref: string): string {
  let names: string[] = [];
  try {
    names = (io.listDir?.(io.presetsDir) ?? []).filter((n) => n.endsWith('.yaml')).map((n) => n.slice(0, -5)).sort();
  } catch {
    // Without a listing the message is still correct, only less helpful.
  }
  if (names.length === 0) return '';
  return `${didYouMean(ref, names)}; shipped presets: ${names.join(', ')}`;
}
