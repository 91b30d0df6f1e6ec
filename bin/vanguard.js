#!/usr/bin/env node
// The executable only imports; the CLI owns parsing, errors and the exit code.
// Node 22.1 and later keep the compiled code of our modules on disk between starts (every
// client start of a wrapped server pays for compiling them otherwise); Node 20 has no such
// cache and skips this. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
import module from 'node:module';

try {
  module.enableCompileCache?.();
} catch {
  // A cache directory that cannot be written only costs the compile.
}
// dist/cli/main.js and the whole `start` path in one file (scripts/bundle-start.mjs): one
// read and one compile instead of ~210 modules. Other commands load from dist as before.
await import('../dist/cli/main.bundle.js');
