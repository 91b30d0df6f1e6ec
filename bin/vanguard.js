#!/usr/bin/env node
// The executable only imports; the CLI owns parsing, errors and the exit code.
import '../dist/cli/main.js';
