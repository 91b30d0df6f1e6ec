#!/usr/bin/env node
// A floor for proxies that read what they pass on: it spawns the server and passes the bytes
// both ways as they come, as the null relay does (one write per chunk read, paused while the
// other side's pipe is full), and on the way splits them into lines, decodes each line as
// latin1 (as the shim decodes an ASCII frame) and parses it with JSON.parse, keeping the
// client's request ids in a Map until their answers come. It checks nothing and refuses nothing:
// a line that does not parse passes as it came. With VANGUARD_FLOOR_AUDIT=1 it also writes one
// audit line per tools/call to stderr, made as a logger would make it (one JSON.stringify of the
// record, with the time in ISO form), in batches of 128 or every 20 ms. bench/floor.mjs runs it.
//   node bench/parse-relay.mjs <command> [args...]
import { spawn } from 'node:child_process';
import { write, writeSync } from 'node:fs';

const AUDIT = process.env.VANGUARD_FLOOR_AUDIT === '1';
const [command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
child.stdin.on('error', () => {}); // the server may go before we stop writing
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));

// Calls each complete line of the chunks it is given, as a Buffer without its newline. A line
// split across chunks is kept as its pieces and joined once, at its end.
function lineSplitter(onLine) {
  let pieces = [];
  return (chunk) => {
    let start = 0;
    let nl = chunk.indexOf(10);
    if (pieces.length > 0 && nl !== -1) {
      pieces.push(chunk.subarray(0, nl));
      onLine(Buffer.concat(pieces));
      pieces = [];
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    for (; nl !== -1; nl = chunk.indexOf(10, start)) {
      onLine(chunk.subarray(start, nl));
      start = nl + 1;
    }
    if (start < chunk.length) pieces.push(chunk.subarray(start));
  };
}

// The line's value, or undefined when it is not JSON.
function parsed(line) {
  try {
    return JSON.parse(line.toString('latin1'));
  } catch {
    return undefined;
  }
}

const inFlight = new Map();
let auditLines = [];
let auditTimer;
const flushAudit = () => {
  clearTimeout(auditTimer);
  auditTimer = undefined;
  if (auditLines.length === 0) return;
  const text = auditLines.join('');
  auditLines = [];
  write(2, text, () => {});
};
const SESSION = '00000000-0000-4000-8000-000000000000';
function audit(message) {
  const params = message.params ?? {};
  const record = { level: 30, time: new Date().toISOString(), server: 'tiny-server', session: SESSION, direction: 'client', method: message.method, id: message.id, tool: params.name, verdict: 'forward', rules: ['default'], decisionUs: 3, args: params.arguments, msg: `forwarded tools/call ${params.name}` };
  auditLines.push(`${JSON.stringify(record)}\n`);
  if (auditLines.length >= 128) flushAudit();
  else auditTimer ??= setTimeout(flushAudit, 20);
}

const fromClient = lineSplitter((line) => {
  const message = parsed(line);
  if (message === null || typeof message !== 'object') return;
  if (message.id !== undefined && typeof message.method === 'string') inFlight.set(message.id, message.method);
  if (AUDIT && message.method === 'tools/call') audit(message);
});
const fromServer = lineSplitter((line) => {
  const message = parsed(line);
  if (message !== null && typeof message === 'object' && message.id !== undefined && message.method === undefined) inFlight.delete(message.id);
});

// Bytes pass as they came, each chunk in one write once its lines are read.
function passOn(from, read, to) {
  from.on('data', (chunk) => {
    read(chunk);
    if (!to.write(chunk)) {
      from.pause();
      to.once('drain', () => from.resume());
    }
  });
}
passOn(process.stdin, fromClient, child.stdin);
passOn(child.stdout, fromServer, process.stdout);
process.stdin.on('end', () => child.stdin.end());
child.on('close', (code) => {
  // What the audit holds is written before the exit.
  clearTimeout(auditTimer);
  if (auditLines.length > 0) writeSync(2, auditLines.join(''));
  process.exit(code ?? 1);
});
