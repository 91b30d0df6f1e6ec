// Bundles the whole `vanguard start` path (dist/cli/start-entry.js and what it reaches, with
// yaml, pino, micromatch, cross-spawn and yargs-parser) into two CommonJS files, split at the
// server's spawn (dist/cli/start.bundle.cjs and after-spawn.bundle.cjs: AFTER_SPAWN below),
// which bin/vanguard.js runs through dist/cli/start-loader.js. Every
// client start of a wrapped server pays for loading the shim: as ~210 separate modules that is
// one resolve, read and compile each, about half of the shim's own startup; a file is read
// once, and being CommonJS it can be compiled by node:vm with the code V8 made at an earlier
// start (the loader's cache; Node 20 has no compile cache, and none for ES modules run this
// way). Run by `npm run build` after tsc, from tsc's output, so the bundle runs exactly the
// code the tests check.
//
// What the bundle keeps as it was:
// - Lazy loading: esbuild turns `await import('./x.js')` of a bundled module into a deferred
//   call of its initialiser, so nothing runs earlier than before (yaml, say, only on a policy
//   cache miss).
// - `import.meta.url`: each module's becomes the URL its own file has in dist, so paths
//   found from it (presets, prebuilt packs, the schema validator, the package root) do not
//   move; a package's becomes the bundle's own (they use it only for createRequire).
// - Packages are bundled too: an external import would be loaded on every start, even where
//   the source imports it only when needed. ajv stays in node_modules: it is required
//   (createRequire) only where a policy needs it. pino's transports (worker files found from
//   __dirname) are not used: the audit sink gives pino its own destination.
// - Errors: the bundle has its own copy of errors.js, and reports its errors itself
//   (cli/report-error.ts); nothing outside the bundle sees them.
// The bundle also knows which build it is (__VANGUARD_BUILD__, src/cli/build-id.ts): the
// version and a sha256 of everything in dist and of the policy schema, which keys the
// per-user policy cache, so a rebuilt or upgraded Vanguard never reads an older one's entries.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLE_WRAPPER_CLOSE, BUNDLE_WRAPPER_OPEN } from '../dist/cli/bundle-wrapper.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const entry = path.join(dist, 'cli', 'start-entry.js');
const outfile = path.join(dist, 'cli', 'start.bundle.cjs');
const outdir = path.dirname(outfile);
// The bundle of earlier builds (an ES module that bin/vanguard.js no longer loads).
rmSync(path.join(dist, 'cli', 'main.bundle.js'), { force: true });

/**
 * Imports the bundle loads on first use instead of with the module that holds them (the
 * build stops if one is no longer written this way). pino, with sonic-boom, thread-stream and
 * the builtins they bring (assert, worker_threads), about 5 ms of every start before the
 * server is spawned, writes only the audit lines that line.ts cannot write by hand (a value
 * that needs its serialisers), which most sessions never have; the stderr queue's worker
 * starts with the first line it writes.
 */
const LAZY_IMPORTS = {
  'audit/sink.js': [["import pino from 'pino';", "const pino = (...args) => require('pino')(...args);"]],
  'audit/stderr-queue.js': [["import { Worker } from 'node:worker_threads';", "function Worker(...args) { return new (require('node:worker_threads').Worker)(...args); }"]],
};
const lazyDone = new Set();

/** esbuild plugin: import.meta.url of a module of ours keeps that module's own place; LAZY_IMPORTS. */
const keepPlaces = {
  name: 'vanguard-keep-places',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, async (args) => {
      if (!args.path.startsWith(dist + path.sep)) return undefined;
      let contents = await readFile(args.path, 'utf8');
      const inDist = path.relative(dist, args.path).split(path.sep).join('/');
      for (const [from, to] of LAZY_IMPORTS[inDist] ?? []) {
        if (!contents.includes(from)) throw new Error(`bundle-start: ${inDist} no longer has "${from}" (LAZY_IMPORTS)`);
        contents = contents.replace(from, to);
        lazyDone.add(`${inDist} ${from}`);
      }
      if (contents.includes('import.meta.url')) {
        const own = path.relative(outdir, args.path).split(path.sep).join('/');
        contents = contents.replaceAll('import.meta.url', `new URL(${JSON.stringify(own)}, __vanguardBundleUrl).href`);
      }
      return { contents, loader: 'js' };
    });
  },
};

/** The version, and a hash of dist (but the bundle) and the schema, in a stable order. */
function buildId() {
  const hash = createHash('sha256');
  const files = readdirSync(dist, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath ?? e.path, e.name))
    .filter((file) => file !== outfile && file !== path.join(outdir, 'after-spawn.bundle.cjs'))
    .sort();
  for (const file of [...files, path.join(root, 'policies', 'schema.json')]) hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  return `${version}+${hash.digest('hex').slice(0, 32)}`;
}

/**
 * The start path in two files, compiled and cached apart, so that what is read and compiled
 * before the server is spawned is only what that needs:
 * - dist/cli/start.bundle.cjs: the entry and what a start runs up to the spawn (the policy,
 *   its cache, the audit sink, the child's spawn);
 * - dist/cli/after-spawn.bundle.cjs: what start.ts imports once the server is spawned
 *   (AFTER_SPAWN, loaded while the server boots on the other core).
 * Every module is in one of them, once: an import that crosses from one to the other goes
 * through the other's table (`module.exports = __vanguardAfterSpawn(id)` and
 * `__vanguardBeforeSpawn(id)`, which start-loader.ts binds), so both share one copy of each
 * module and of its state (an error class, the linear engine's switch). The build stops when
 * a module lands in both, or an AFTER_SPAWN module is reached before the spawn.
 */
const AFTER_SPAWN = [
  'inspect/build.js',
  'inspect/secret-redactor.js',
  'cli/session-inspection.js',
  'cli/warm-up.js',
  'cli/heap-settings.js',
  'proxy/proxy.js',
  'approval/state-dir.js',
  'approval/store-file.js',
  'config/clean-definitions.js',
  'rules/shipped.js',
  // The policy's loader and the YAML parser, needed only when the policy cache has no entry
  // for the policy (a first start, an edited policy): the second bundle is then read before
  // the spawn. Out of the first, they took 2-8 ms of every start to the spawn on Node 22 and 24.
  'config/load.js',
];
/**
 * Packages the first bundle requires only after the spawn, kept in the second: pino (with
 * sonic-boom, thread-stream and their kin), required when the audit first has a line that
 * only pino can write (LAZY_IMPORTS).
 */
const AFTER_SPAWN_PACKAGES = ['pino'];
const afterOutfile = path.join(outdir, 'after-spawn.bundle.cjs');
const BUILD = buildId();
/**
 * The first line of both bundles names their build: the loader compares the two before the
 * server is spawned, so an install that has replaced one file but not yet the other never
 * runs a start half old, half new (start-loader.ts, sameBuild).
 */
const BUILD_LINE = `// vanguard build ${BUILD}`;
const common = {
  define: { __VANGUARD_BUILD__: JSON.stringify(BUILD), 'import.meta.url': '__vanguardBundleUrl' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  external: ['ajv'],
  banner: { js: `${BUILD_LINE}\nconst __vanguardBundleUrl = require('node:url').pathToFileURL(__filename).href;` },
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  absWorkingDir: root,
  // Written only once both are built and checked (below): a build that stops leaves neither.
  write: false,
};
rmSync(outfile, { force: true });
rmSync(afterOutfile, { force: true });
const inDist = (file) => path.relative(dist, file).split(path.sep).join('/');
const inRoot = (file) => path.relative(root, file).split(path.sep).join('/');
/** The files a build bundled, relative to the package root (what the other bundle's table is keyed by). */
const bundledFiles = (metafile) => Object.keys(metafile.inputs).filter((input) => !/^[a-z-]+:/.test(input));

/** A bundle's table of modules for the other one: [id, what to require] pairs as object entries, each required when asked for. */
const tableOf = (pairs) => pairs.map(([id, from]) => `\n  ${JSON.stringify(id)}: () => require(${JSON.stringify(from)}),`).join('');

/** A virtual module: the entry of a bundle, made of `contents`, resolved from dist/cli. */
function entryPlugin(contents) {
  return {
    name: 'vanguard-entry',
    setup(b) {
      b.onResolve({ filter: /^vanguard-entry$/ }, () => ({ path: 'entry', namespace: 'vanguard-entry' }));
      b.onLoad({ filter: /.*/, namespace: 'vanguard-entry' }, () => ({ contents, resolveDir: outdir, loader: 'js' }));
    },
  };
}

/** A module that another bundle holds: its exports, from that bundle's table when first required. */
function linkPlugin(name, namespace, linkFunction, pick, contents = async (id) => `module.exports = ${linkFunction}(${JSON.stringify(id)});`) {
  return {
    name,
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData?.[name] || args.namespace === 'vanguard-entry' || args.kind === 'entry-point') return undefined;
        const resolved = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { [name]: true } });
        if (resolved.errors.length > 0 || resolved.external) return undefined;
        const id = pick(resolved.path, args);
        return id === undefined ? undefined : { path: id, namespace };
      });
      b.onLoad({ filter: /.*/, namespace }, async (args) => ({ contents: await contents(args.path), loader: 'js' }));
    },
  };
}

const afterSpawnLink = linkPlugin('vanguard-after-spawn', 'vanguard-after-spawn', '__vanguardAfterSpawn', (file, args) =>
  args.kind === 'dynamic-import' && AFTER_SPAWN.includes(inDist(file))
    ? inDist(file)
    : args.kind === 'require-call' && AFTER_SPAWN_PACKAGES.includes(args.path)
      ? args.path
      : undefined,
);
// The bundle before the spawn, built twice: the first time to learn which modules it holds,
// the second with their table (a require each, run only when the other bundle asks for it).
const beforeOptions = (table) => ({
  ...common,
  entryPoints: ['vanguard-entry'],
  outfile,
  plugins: [entryPlugin(`export { runStart } from './start-entry.js';\nexport const build = __VANGUARD_BUILD__;\nexport const beforeSpawnModules = {${table}};\n`), afterSpawnLink, keepPlaces],
});
const firstPass = await build(beforeOptions(''));
const beforeFiles = bundledFiles(firstPass.metafile);
const table = tableOf(beforeFiles.map((file) => [file, path.join(root, file)]));
const result = await build(beforeOptions(table));
const output = result.metafile.outputs[inRoot(outfile)] ?? Object.values(result.metafile.outputs)[0];
const beforeSet = new Set(bundledFiles(result.metafile));
const formatOf = (file) => result.metafile.inputs[file]?.format;
if (beforeSet.size !== beforeFiles.length || beforeFiles.some((file) => !beforeSet.has(file))) {
  process.stderr.write('bundle-start: the start bundle holds other modules once it has its table\n');
  process.exit(1);
}
const reachedEarly = [...AFTER_SPAWN.filter((file) => beforeSet.has(`dist/${file}`)), ...AFTER_SPAWN_PACKAGES.filter((name) => [...beforeSet].some((file) => file.startsWith(`node_modules/${name}/`)))];
if (reachedEarly.length > 0) {
  process.stderr.write(`bundle-start: reached before the spawn, not only imported after it: ${reachedEarly.join(', ')}\n`);
  process.exit(1);
}

/**
 * One of our modules from the first bundle, as the second sees it: its exports copied once, as
 * constants of the second bundle, which esbuild then reads directly. The proxy's hot path calls
 * the detectors of the first bundle for every string; through a CommonJS object each call went
 * through two getters (esbuild's ES module wrappers), 5 % more CPU per pipelined call. Our
 * modules export no binding they assign again (a `let` exported), which a copy would freeze.
 * A package's module (CommonJS) stays as it is.
 */
async function linkedExports(id) {
  const link = `__vanguardBeforeSpawn(${JSON.stringify(id)})`;
  if (!id.startsWith('dist/')) {
    // Required, an ES module's default export would come back as its whole namespace (esbuild
    // reads dist's importers as Node's ES modules); the packages linked are CommonJS.
    if (formatOf(id) === 'esm') throw new Error(`bundle-start: ${id} is an ES module package, which the link does not carry`);
    return `module.exports = ${link};`;
  }
  const source = readFileSync(path.join(root, id), 'utf8');
  if (/^export \*/m.test(source)) throw new Error(`bundle-start: ${id} re-exports with export *, whose names the link cannot list`);
  const shape = await build({ entryPoints: [path.join(root, id)], bundle: false, format: 'esm', write: false, metafile: true, logLevel: 'silent' });
  const names = Object.values(shape.metafile.outputs).flatMap((o) => o.exports);
  if (names.includes('default')) throw new Error(`bundle-start: ${id} has a default export, which the link does not carry`);
  // tsc writes a module's own declarations at the start of a line: one it may assign again
  // (let, var) must not be exported, under its name or another.
  const assignable = new Set([...source.matchAll(/^(?:export )?(?:let|var) (?:(\w+)|[[{])/gm)].map((m) => m[1] ?? '(a destructuring)'));
  const aliased = [...source.matchAll(/^export \{([^}]*)\}/gm)].flatMap((m) => m[1].split(',').map((part) => part.trim().split(/\s+as\s+/)[0]));
  const frozen = [...assignable].filter((name) => names.includes(name) || aliased.includes(name) || name === '(a destructuring)');
  if (frozen.length > 0) throw new Error(`bundle-start: ${id} exports ${frozen.join(', ')} declared with let or var, which the link would freeze`);
  return names.length === 0 ? `${link};\nexport {};` : `export const { ${names.join(', ')} } = ${link};`;
}
const beforeSpawnLink = linkPlugin('vanguard-before-spawn', 'vanguard-before-spawn', '__vanguardBeforeSpawn', (file) => (beforeSet.has(inRoot(file)) ? inRoot(file) : undefined), linkedExports);
const afterResult = await build({
  ...common,
  entryPoints: ['vanguard-entry'],
  outfile: afterOutfile,
  plugins: [
    entryPlugin(
      `export const build = __VANGUARD_BUILD__;\nexport const afterSpawnModules = {${tableOf([...AFTER_SPAWN.map((file) => [file, `../${file}`]), ...AFTER_SPAWN_PACKAGES.map((name) => [name, name])])}};\n`,
    ),
    beforeSpawnLink,
    keepPlaces,
  ],
});
const afterOutput = afterResult.metafile.outputs[inRoot(afterOutfile)] ?? Object.values(afterResult.metafile.outputs)[0];
const inBoth = bundledFiles(afterResult.metafile).filter((file) => beforeSet.has(file));
if (inBoth.length > 0) {
  process.stderr.write(`bundle-start: in both bundles: ${inBoth.join(', ')}\n`);
  process.exit(1);
}
// The start loader (start-loader.js, with the cache files and the linear engine's flags) as
// one CommonJS file too, which bin/vanguard.js requires for a plain start. Imported as ES
// modules, node:fs and node:crypto are each read whole into a module namespace, which loads
// their lazy parts (fs/promises with readline and file watching, WebCrypto): about 20
// builtins a start never uses, and three modules to resolve. Required, 6-10 ms less CPU
// before the server is spawned on Node 22 and 24.
await build({
  define: { 'import.meta.url': '__vanguardBundleUrl' },
  entryPoints: [path.join(dist, 'cli', 'start-loader.js')],
  outfile: path.join(outdir, 'start-loader.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  packages: 'external',
  banner: { js: "const __vanguardBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [keepPlaces],
  legalComments: 'none',
  logLevel: 'warning',
});

const lazyWanted = Object.entries(LAZY_IMPORTS).flatMap(([file, pairs]) => pairs.map(([from]) => `${file} ${from}`));
if (lazyWanted.some((key) => !lazyDone.has(key))) {
  process.stderr.write(`bundle-start: not bundled as lazy: ${lazyWanted.filter((key) => !lazyDone.has(key)).join('; ')}\n`);
  process.exit(1);
}
if (!output || !afterOutput || Object.keys(output.inputs).length < 40 || Object.keys(afterOutput.inputs).length < 40) {
  process.stderr.write('bundle-start: a bundle holds fewer modules than its part of the start path has; is dist built?\n');
  process.exit(1);
}

// Plain ASCII, so the loader reads it as a one-byte string at memcpy speed (decoding UTF-8 and
// holding a two-byte string of ~1.2 M characters cost 8-13 ms a start). esbuild escapes strings
// and names; what it leaves is in comments and regular expression literals, where \uXXXX
// (UTF-16 code units: an astral character as its surrogate pair) reads the same, with or
// without the u flag. An escaped non-ASCII character (`\…`) would not: the build stops.
const ascii = [result, afterResult].map(({ outputFiles }) => {
  const [{ path: file, text }] = outputFiles;
  if (/\\[^\x00-\x7f]/.test(text)) {
    process.stderr.write(`bundle-start: a non-ASCII character follows a backslash in ${path.basename(file)}; escape it in the source\n`);
    process.exit(1);
  }
  if (!text.startsWith(`${BUILD_LINE}\n`)) {
    process.stderr.write(`bundle-start: ${path.basename(file)} does not begin with its build line\n`);
    process.exit(1);
  }
  const escaped = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  // Inside the function the loader runs it in, after the build line (which stays the first line,
  // and every other line where it was): the loader compiles the text as read (bundle-wrapper.ts).
  return { file, text: `${BUILD_LINE}\n${BUNDLE_WRAPPER_OPEN}${escaped.slice(BUILD_LINE.length + 1)}${BUNDLE_WRAPPER_CLOSE}` };
});
// The second first: a start finds the first, which it reads before the second, only once both are there.
for (const { file, text } of ascii.reverse()) writeFileSync(file, text);
