#!/usr/bin/env node
// The executable only loads; the CLI owns parsing, errors and the exit code.
// CommonJS (bin/package.json): Node runs a CommonJS entry without first starting its ES module
// loader, 3-10 ms before a start can spawn its server (Node 24 to 20).
// A plain `vanguard start` runs from the start bundle (one CommonJS file whose compiled code
// is kept between starts, on every Node version: dist/cli/start-loader.js, required as the
// one CommonJS file the build makes of it, start-loader.cjs). What the bundle hands back
// (help, an option it is not sure of) and every other command go to dist/cli/main.js.
'use strict';
const module_ = require('node:module');

// As an ES module's top-level await would: a run whose event loop empties before it is
// settled exits with 13, never 0.
let settled = false;
process.once('exit', (code) => {
  if (!settled && !code) process.exitCode = 13;
});

run().then(
  () => {
    settled = true;
  },
  (error) => {
    settled = true;
    throw error;
  },
);

async function run() {
  const code = process.argv[2] === 'start' ? await startLoader().runBundledStart(process.argv.slice(2)) : undefined;
  if (code !== undefined) {
    // Let stdout and stderr drain before leaving: a piped stdout may still hold the last frames.
    process.stdout.write('', () => process.exit(code)); // stdout-ok: empty write, waits for the last frames to drain
    return;
  }
  // Node 22.1 and later keep the compiled code of these modules on disk between runs (Node 20
  // has no such cache and skips this). NODE_DISABLE_COMPILE_CACHE=1 turns it off.
  try {
    module_.enableCompileCache?.();
  } catch {
    // A cache directory that cannot be written only costs the compile.
  }
  await import('../dist/cli/main.js');
}

// The loader, required (its builtins are then loaded as CommonJS, lazy parts left unloaded,
// where importing them as ES modules reads each whole); the ES module tsc wrote when the
// build made no CommonJS copy.
function startLoader() {
  try {
    return require('../dist/cli/start-loader.cjs');
  } catch (error) {
    if (error?.code !== 'MODULE_NOT_FOUND') throw error;
    return { runBundledStart: async (argv) => (await import('../dist/cli/start-loader.js')).runBundledStart(argv) };
  }
}
