// Bundles the CLI's entry and the whole `vanguard start` path (dist/cli/main.js and what it
// reaches, with yaml, pino, micromatch, cross-spawn and yargs-parser) into one file,
// dist/cli/main.bundle.js, which bin/vanguard.js loads. Every client start of a wrapped server
// pays for loading the shim: as ~210 separate modules that is one resolve, read and compile
// each (no compile cache before Node 22.1), about half of the shim's own startup; one file is
// read and compiled once. Run by `npm run build` after tsc, from tsc's output, so the bundle
// runs exactly the code the tests check.
//
// What the bundle keeps as it was:
// - Lazy loading: without code splitting, esbuild turns `await import('./x.js')` of a bundled
//   module into a deferred call of its initialiser, so nothing runs earlier than before.
// - `import.meta.url`: each module's becomes the URL its own file has in dist, so paths
//   found from it (presets, prebuilt packs, the schema validator, the package root) do not move.
// - One copy of what other modules share: the yargs path (./run.js, every other command) stays
//   outside and loads from dist as before, and errors.js stays outside so that main.ts's
//   `instanceof VanguardError` holds for errors thrown on either side.
// - Packages are bundled too: an external import would be hoisted to the top of the bundle
//   and loaded on every start, even where the source imports it only when needed. ajv stays
//   in node_modules: it is required (createRequire) only where a policy needs it. pino's
//   transports (worker files found from __dirname) are not used: the audit sink gives pino
//   its own destination.
// The bundle also knows which build it is (__VANGUARD_BUILD__, src/cli/build-id.ts): the
// version and a sha256 of everything in dist and of the policy schema, which keys the
// per-user policy cache, so a rebuilt or upgraded Vanguard never reads an older one's entries.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const entry = path.join(dist, 'cli', 'main.js');
const outfile = path.join(dist, 'cli', 'main.bundle.js');
const outdir = path.dirname(outfile);
// Files loaded from dist at run time, never copied into the bundle.
const SHARED = new Set([path.join(dist, 'cli', 'run.js'), path.join(dist, 'errors.js')]);

/** esbuild plugin: SHARED modules stay external; import.meta.url keeps each module's own place. */
const keepPlaces = {
  name: 'vanguard-keep-places',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const target = path.resolve(args.resolveDir, args.path);
      if (!SHARED.has(target)) return undefined;
      return { path: `./${path.relative(outdir, target).split(path.sep).join('/')}`.replace(/^\.\/\.\.\//, '../'), external: true };
    });
    b.onLoad({ filter: /\.js$/ }, async (args) => {
      if (!args.path.startsWith(dist + path.sep)) return undefined;
      let contents = await readFile(args.path, 'utf8');
      if (contents.includes('import.meta.url')) {
        const own = path.relative(outdir, args.path).split(path.sep).join('/');
        contents = contents.replaceAll('import.meta.url', `new URL(${JSON.stringify(own)}, import.meta.url).href`);
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
    .filter((file) => file !== outfile)
    .sort();
  for (const file of [...files, path.join(root, 'policies', 'schema.json')]) hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  return `${version}+${hash.digest('hex').slice(0, 32)}`;
}

const result = await build({
  define: { __VANGUARD_BUILD__: JSON.stringify(buildId()) },
  entryPoints: [entry],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  external: ['ajv'],
  // Bundled CommonJS packages call require() for Node's built-ins.
  banner: { js: "import { createRequire as __vanguardCreateRequire } from 'node:module';\nconst require = __vanguardCreateRequire(import.meta.url);" },
  plugins: [keepPlaces],
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
});
const output = result.metafile.outputs[path.relative(process.cwd(), outfile).split(path.sep).join('/')] ?? Object.values(result.metafile.outputs)[0];
if (!output || Object.keys(output.inputs).length < 50) {
  process.stderr.write('bundle-start: the bundle holds fewer modules than the start path has; is dist built?\n');
  process.exit(1);
}
