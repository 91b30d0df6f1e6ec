#!/usr/bin/env node
// The benchmark's `relay` arm: a null proxy that spawns the server and moves bytes both ways,
// parsing nothing. It is the floor for any separate-process stdio proxy written in Node:
// one more process boot and two more pipe hops per call, with no work of its own.
//   node bench/null-relay.mjs <command> [args...]
import { spawn } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
process.stdin.pipe(child.stdin);
child.stdout.pipe(process.stdout);
child.stdin.on('error', () => {}); // the server may go before we stop writing
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
// 'close' comes after the server's stdout is drained; writes to a piped stdout are synchronous on Linux.
child.on('close', (code) => process.exit(code ?? 1));
