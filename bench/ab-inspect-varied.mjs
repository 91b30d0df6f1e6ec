#!/usr/bin/env node
// bench/ab-inspect.mjs with every string varied per call (VARIED=1): see its header.
//   node bench/ab-inspect-varied.mjs old=/tmp/base21/dist new=dist
process.env.VARIED = '1';
await import('./ab-inspect.mjs');
