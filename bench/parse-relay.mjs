#!/usr/bin/env node
// A floor for proxies that read what they pass on: it spawns the server and, both ways, splits
// the bytes into lines, decodes each line and parses it with JSON.parse, keeps the client's
// request ids in a Map until their answers come, and passes every line on as it came. It checks
// nothing and refuses nothing. With VANGUARD_FLOOR_AUDIT=1 it also writes one audit line per
// tools/call to stderr, made as a logger would make it (one JSON.stringify of the record, with
// the time in ISO form), in batches of 128 or every 20 ms. bench/floor.mjs runs it.
//   node bench/parse-relay.mjs <command> [args...]
import { spawn } from 'node:child_process';
import { write } from 'node:fs';

const AUDIT = process.env.VANGUARD_FLOOR_AUDIT === '1';
const [command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
child.stdin.on('error', () => {}); // the server may go before we stop writing
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('close', (code) => process.exit(code ?? 1));

// Calls each line of the chunks it is given, as a Buffer without its newline.
function lineSplitter(onLine) {
  let rest;
  return (chunk) => {
    let start = 0;
    let nl = chunk.indexOf(10);
    if (rest !== undefined && nl !== -1) {
      onLine(Buffer.concat([rest, chunk.subarray(0, nl)]));
      rest = undefined;
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    for (; nl !== -1; nl = chunk.indexOf(10, start)) {
      onLine(chunk.subarray(start, nl));
      start = nl + 1;
    }
    if (start < chunk.length) rest = rest === undefined ? chunk.subarray(start) : Buffer.concat([rest, chunk.subarray(start)]);
  };
}

const inFlight = new Map();
let auditLines = [];
let auditTimer;
const flushAudit = () => {
  clearTimeout(auditTimer);
  auditTimer = undefined;
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
  const message = JSON.parse(line.toString('latin1'));
  if (message.id !== undefined && typeof message.method === 'string') inFlight.set(message.id, message.method);
  if (AUDIT && message.method === 'tools/call') audit(message);
  child.stdin.write(line);
  child.stdin.write('\n');
});
const fromServer = lineSplitter((line) => {
  const message = JSON.parse(line.toString('latin1'));
  if (message.id !== undefined && message.method === undefined) inFlight.delete(message.id);
  process.stdout.write(line);
  process.stdout.write('\n');
});
// Each chunk's lines go out in one write.
process.stdin.on('data', (chunk) => {
  child.stdin.cork();
  fromClient(chunk);
  process.nextTick(() => child.stdin.uncork());
});
child.stdout.on('data', (chunk) => {
  process.stdout.cork();
  fromServer(chunk);
  process.nextTick(() => process.stdout.uncork());
});
