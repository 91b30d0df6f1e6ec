// Per-source figures for npm run eval (issue 12): every suite row carries the outcome of each
// item with the source it came from; this splits them by source, marks which sources were
// looked at while the detector class was developed (scripts/eval-sources.json), and gives the
// rate on the others as the held-out (honest) figure. Benign rows are checked against the
// wrongly-blocked limits, per source and in total.
import { existsSync, readFileSync } from 'node:fs';

/**
 * The looked-at sources per suite, from the checked-in file, joined with the dev sources of
 * scripts/eval-sources-args.json (the argument and result detectors' split): a source read
 * while developing a class under either file is looked at. A gitleaks-examples half is named
 * 'gitleaks-examples#even'; the bare name covers both halves.
 */
export function readLookedAt(file, argsFile) {
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  const map = new Map(Object.entries(doc.suites ?? {}).map(([suite, entry]) => [suite, new Set(entry.lookedAt ?? [])]));
  const add = (suite, names) => {
    const set = map.get(suite) ?? new Set();
    for (const name of names ?? []) set.add(name);
    map.set(suite, set);
  };
  if (argsFile && existsSync(argsFile)) {
    for (const [suite, entry] of Object.entries(JSON.parse(readFileSync(argsFile, 'utf8')).suites ?? {})) {
      add(suite, entry.dev);
      // Benign sources read for an argument class are benign calls; for results, benign results.
      add(suite === 'response_injection' ? suite : 'benign', entry.benignDev);
    }
  }
  return map;
}

// A source 'name/part' (a sub-category of a SOURCES.md row) belongs to 'name'.
const baseSource = (source) => String(source ?? '(no source)').split('/')[0];

/** Whether a source counts as looked at for a suite. */
export function wasLookedAt(lookedAt, suiteKey, source) {
  const set = lookedAt.get(suiteKey);
  const base = baseSource(source);
  return (set?.has(base) || set?.has(base.split('#')[0])) ?? false;
}

/** The wrongly-blocked limit of a benign row: calls 0.5 %, definitions and results 1 %. */
export function limitFor(row) {
  if (row.kind !== 'benign' || !row.limitKind) return undefined;
  return row.limitKind === 'calls' ? 0.005 : 0.01;
}

/** Split a row's outcomes by source: items, hits and whether the source was looked at. */
export function bySource(row, lookedAt) {
  const groups = new Map();
  for (const o of row.outcomes ?? []) {
    const key = String(o.source ?? '(no source)');
    const g = groups.get(key) ?? { source: key, n: 0, hit: 0, looked: wasLookedAt(lookedAt, row.suiteKey, key) };
    g.n++;
    if (o.hit) g.hit++;
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => Number(b.looked) - Number(a.looked) || a.source.localeCompare(b.source));
}

/** Looked-at and held-out totals of a row. */
export function splitTotals(groups) {
  const sum = (gs) => ({ n: gs.reduce((s, g) => s + g.n, 0), hit: gs.reduce((s, g) => s + g.hit, 0) });
  return { looked: sum(groups.filter((g) => g.looked)), heldOut: sum(groups.filter((g) => !g.looked)) };
}

const pct = (hit, n) => (n === 0 ? '-' : `${((hit / n) * 100).toFixed(1)} %`);

/** The per-source tables (markdown) and the limit verdicts, for rows that carry outcomes. */
export function formatSources(rows, lookedAt) {
  const out = [];
  const verdicts = [];
  for (const row of rows) {
    if (!row.outcomes || !row.suiteKey) continue;
    const groups = bySource(row, lookedAt);
    const { looked, heldOut } = splitTotals(groups);
    const limit = limitFor(row);
    const what = row.kind === 'attack' ? 'caught' : 'wrongly blocked';
    out.push(`\n#### ${row.suite} (${what}; looked-at sources from scripts/eval-sources.json "${row.suiteKey}")\n`);
    out.push(`| source | looked at | items | ${what} | rate | held-out rate |${limit !== undefined ? ' limit |' : ''}`);
    out.push(`| --- | --- | ---: | ---: | ---: | ---: |${limit !== undefined ? ' --- |' : ''}`);
    for (const g of groups) {
      const verdict = limit === undefined ? '' : ` ${g.hit / g.n <= limit ? 'PASS' : 'FAIL'} |`;
      if (limit !== undefined) verdicts.push({ suite: row.suite, source: g.source, hit: g.hit, n: g.n, limit, pass: g.hit / g.n <= limit });
      out.push(`| ${g.source} | ${g.looked ? 'yes' : 'no'} | ${g.n} | ${g.hit} | ${pct(g.hit, g.n)} | ${g.looked ? 'n/a (looked at)' : pct(g.hit, g.n)} |${verdict}`);
    }
    const total = { n: looked.n + heldOut.n, hit: looked.hit + heldOut.hit };
    if (limit !== undefined) verdicts.push({ suite: row.suite, source: '(all)', hit: total.hit, n: total.n, limit, pass: total.hit / total.n <= limit });
    out.push(`| **looked-at sources** | | ${looked.n} | ${looked.hit} | ${pct(looked.hit, looked.n)} | |${limit !== undefined ? ' |' : ''}`);
    out.push(`| **held-out sources (honest)** | | ${heldOut.n} | ${heldOut.hit} | ${pct(heldOut.hit, heldOut.n)} | ${pct(heldOut.hit, heldOut.n)} |${limit !== undefined ? ` ${heldOut.n === 0 || heldOut.hit / heldOut.n <= limit ? 'PASS' : 'FAIL'} |` : ''}`);
  }
  if (verdicts.length > 0) {
    out.push('\n#### Benign limits (calls <= 0.5 %, definitions and results <= 1 %)\n');
    for (const v of verdicts) out.push(`${v.pass ? 'PASS' : 'FAIL'}  ${v.suite} / ${v.source}: ${v.hit}/${v.n} = ${pct(v.hit, v.n)} (limit ${(v.limit * 100).toFixed(1)} %)`);
  }
  return { text: out.join('\n'), verdicts };
}

/** The leave-one-source-out summary: per suite, the looked-at and the held-out rate side by side. */
export function formatSummary(rows, lookedAt) {
  const lines = ['| suite | looked-at rate | held-out rate (honest) | held-out sources |', '| --- | ---: | ---: | --- |'];
  for (const row of rows) {
    if (!row.outcomes || !row.suiteKey) continue;
    const groups = bySource(row, lookedAt);
    const { looked, heldOut } = splitTotals(groups);
    const names = [...new Set(groups.filter((g) => !g.looked).map((g) => baseSource(g.source)))];
    lines.push(`| ${row.suite} | ${looked.hit}/${looked.n} = ${pct(looked.hit, looked.n)} | ${heldOut.hit}/${heldOut.n} = ${pct(heldOut.hit, heldOut.n)} | ${names.join(', ') || '-'} |`);
  }
  return lines.join('\n');
}
