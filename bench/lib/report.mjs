// What a benchmark run prints: one table row per case (median, min-max, peak RSS,
// throughput, ratios), the accuracy of the scanners against the ground truth, and one
// PASS/FAIL line per budget.

export const mib = (kib) => (kib === null || kib === undefined ? '-' : `${(kib / 1024).toFixed(1)} MiB`);

export function seconds(ms) {
  if (ms === null || ms === undefined) return '-';
  if (ms < 1000) return `${ms.toFixed(ms < 100 ? 1 : 0)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export const ratio = (x) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : `${x.toFixed(2)}x`);
/** Rounded down, so 28933 of 28934 never reads as 100%. */
export const percent = (x) => (x === null || x === undefined ? '-' : x === 1 ? '100%' : `${(Math.floor(x * 10_000) / 100).toFixed(2)}%`);

/** A Markdown table, columns padded so it also reads as plain text. */
export function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** Rows: `{ id, title, runs, summary, throughput, ratios }` (summary from measure.summarise). */
export function caseTable(rows) {
  return table(
    ['case', 'runs', 'median', 'min-max', 'peak RSS', 'throughput', 'ratio'],
    rows.map((r) => [
      r.title,
      r.runs,
      r.summary ? seconds(r.summary.medianMs) : r.error ? 'error' : '-',
      r.summary ? `${seconds(r.summary.minMs)} - ${seconds(r.summary.maxMs)}` : '-',
      r.summary ? mib(r.summary.peakRssKiB) : '-',
      r.throughput ?? '-',
      r.ratios?.length ? r.ratios.join(', ') : '-',
    ]),
  );
}

export function accuracyTable(rows) {
  return table(
    ['scanner', 'planted found', 'recall', 'of them known gaps', 'findings', 'precision', 'decoys reported', 'other findings'],
    rows.map((r) => [
      r.scanner,
      `${r.plantedFound}/${r.planted}`,
      percent(r.recall),
      `${r.knownGapsFound}/${r.knownGaps}`,
      r.reported,
      percent(r.precision),
      `${r.decoysReported}/${r.decoys}`,
      r.other,
    ]),
  );
}

/** `PASS  title: measured (limit)`; N/A when a case did not run or could not be measured. */
export function budgetLines(budgets) {
  return budgets.map((b) => `${b.status.padEnd(4)}  ${b.title}: ${b.measured} (budget ${b.limit})${b.note ? ` - ${b.note}` : ''}`).join('\n');
}
