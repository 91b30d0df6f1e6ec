// An experiment, not a setting: preloaded into a proxy (`node --require bench/spin-preload.cjs …`,
// or PROXY_NODE_FLAGS for bench/seq-cpu.mjs), it keeps the event loop polling instead of sleeping
// for SPIN_US microseconds after each chunk read (SPIN_US=0: never spins; SPIN_US=forever: never
// sleeps). It measures what resuming from sleep costs a proxy's work: see bench/runtime-flags.md,
// stop 45. Vanguard does not spin: the latency it buys is paid in CPU on every call, and a server
// that answers slower than the spin gets none of it.
const { Readable } = require('node:stream');

const setting = process.env.SPIN_US ?? '400';
const spinMs = setting === 'forever' ? Infinity : Number(setting) / 1000;
let lastRead = 0;
let spinning = false;
const spin = () => {
  if (performance.now() - lastRead < spinMs) setImmediate(spin);
  else spinning = false;
};
const push = Readable.prototype.push;
Readable.prototype.push = function pushAndSpin(chunk, encoding) {
  lastRead = performance.now();
  if (!spinning && chunk !== null && spinMs > 0) {
    spinning = true;
    setImmediate(spin);
  }
  return push.call(this, chunk, encoding);
};
