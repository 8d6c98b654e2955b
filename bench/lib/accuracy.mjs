// Recall, precision and decoys of a scanner against the generator's ground truth. A finding
// is matched to a planted value or decoy on the same (repository-relative) file and line,
// and, since a minified bundle holds several on one line, to the one its column falls in or
// nearest to (within `columnSlack`: scanners start a match at the value, a prefix or the
// variable name). Families are not compared: each scanner names them its own way.
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';

const posix = (p) => p.split(sep).join('/').replace(/^\.\//, '');
const lineKey = (file, line) => `${posix(file)}:${line}`;

/** How far (characters) a finding's column may sit from the value's span and still be that value. */
export const columnSlack = 64;

/** agent-ready's JSON report: AR-SE-003's evidence lists every repository finding (locator = file, line). */
export function agentReadyFindings(reportFile) {
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  const out = [];
  for (const d of report.deployments ?? []) {
    for (const f of d.findings ?? []) {
      if (f.ruleId !== 'AR-SE-003') continue;
      for (const e of f.evidence ?? []) if (e.source === 'repo' && e.locator && e.line) out.push({ file: posix(e.locator), line: e.line, column: e.column, detail: e.detail });
    }
  }
  return out;
}

/** secretlint `--format unix`: `/abs/path:line:column: [MESSAGE_ID] message [...]` (columns from 0). */
export function secretlintFindings(outputFile, repoDir) {
  const out = [];
  for (const text of readFileSync(outputFile, 'utf8').split('\n')) {
    const m = /^(.+?):(\d+):(\d+): \[([^\]]*)\]/.exec(text);
    if (!m) continue;
    const file = isAbsolute(m[1]) ? relative(repoDir, m[1]) : m[1];
    out.push({ file: posix(file), line: Number(m[2]), column: Number(m[3]) + 1, detail: m[4] });
  }
  return out;
}

/** ripgrep `-n --column -o`: `path:line:column:match`, one line per match (columns from 1, in bytes). */
export function ripgrepFindings(outputFile) {
  const out = [];
  for (const text of readFileSync(outputFile, 'utf8').split('\n')) {
    const m = /^(.+?):(\d+):(\d+):/.exec(text);
    if (m) out.push({ file: posix(m[1]), line: Number(m[2]), column: Number(m[3]) });
  }
  return out;
}

/** Distance from a column to an entry's span [column, column + length); 0 inside it. */
function distance(column, entry) {
  const from = entry.column ?? column;
  const to = from + Math.max(1, entry.length ?? 1);
  return column < from ? from - column : column >= to ? column - to + 1 : 0;
}

/**
 * Scores findings against `truth: { planted: [{file,line,column,length,family,expectMissed?}], decoys: [{file,line,column,length,kind}] }`.
 * Planted values marked `expectMissed` are the generator's known gaps (shapes agent-ready's
 * detector is known to miss): counted in recall, and apart, so the budget can exclude them.
 * A finding without a column stands for every entry on its line.
 */
export function score(scanner, findings, truth) {
  const entries = new Map();
  const entry = (e, planted) => {
    const k = lineKey(e.file, e.line);
    if (!entries.has(k)) entries.set(k, []);
    entries.get(k).push({ ...e, planted, hit: false });
  };
  truth.planted.forEach((p) => entry(p, true));
  truth.decoys.forEach((d) => entry(d, false));

  const distinct = new Map(findings.map((f) => [`${lineKey(f.file, f.line)}:${f.column ?? ''}`, f]));
  let truePositives = 0;
  let decoyFindings = 0;
  const other = [];
  for (const f of distinct.values()) {
    const onLine = entries.get(lineKey(f.file, f.line)) ?? [];
    let matched;
    if (f.column === undefined || f.column === null || Number.isNaN(f.column)) matched = onLine;
    else {
      let best;
      for (const e of onLine) {
        const d = distance(f.column, e);
        if (d <= columnSlack && (!best || d < best.d || (d === best.d && e.planted && !best.e.planted))) best = { e, d };
      }
      matched = best ? [best.e] : [];
    }
    for (const e of matched) e.hit = true;
    if (matched.some((e) => e.planted)) truePositives++;
    else if (matched.length) decoyFindings++;
    else other.push(`${lineKey(f.file, f.line)}:${f.column ?? ''}`);
  }

  const all = [...entries.values()].flat();
  const planted = all.filter((e) => e.planted);
  const decoys = all.filter((e) => !e.planted);
  const expected = planted.filter((p) => !p.expectMissed);
  const gaps = planted.filter((p) => p.expectMissed);
  const missed = expected.filter((p) => !p.hit);
  const missedByFamily = {};
  for (const p of missed) missedByFamily[p.family] = (missedByFamily[p.family] ?? 0) + 1;
  const decoyHits = decoys.filter((d) => d.hit);
  const at = (e) => `${lineKey(e.file, e.line)}:${e.column ?? ''}`;
  return {
    scanner,
    planted: planted.length,
    plantedFound: planted.filter((p) => p.hit).length,
    recall: planted.length ? planted.filter((p) => p.hit).length / planted.length : null,
    expected: expected.length,
    expectedFound: expected.length - missed.length,
    knownGaps: gaps.length,
    knownGapsFound: gaps.filter((p) => p.hit).length,
    decoys: decoys.length,
    decoysReported: decoyHits.length,
    reported: distinct.size,
    truePositives,
    precision: distinct.size ? truePositives / distinct.size : null,
    decoyFindings,
    other: other.length,
    missedByFamily,
    examples: {
      missed: missed.slice(0, 10).map((p) => ({ at: at(p), family: p.family })),
      decoys: decoyHits.slice(0, 10).map((d) => ({ at: at(d), kind: d.kind })),
      other: other.slice(0, 10),
    },
  };
}
