// --format json: the report exactly as spec/report.md shapes it, indented by two spaces.
import type { AuditReport } from '../engine/result';

export function formatJson(report: AuditReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * The same text as formatJson, one deployment at a time: a fleet's report runs to tens of
 * megabytes, and building it whole (then its UTF-8 copy) costs memory and time. Each
 * deployment is stringified at its depth by slicing it out of a one-element wrapper.
 */
export function* jsonChunks(report: AuditReport): Generator<string> {
  const deployments = report.deployments;
  const head = JSON.stringify({ ...report, deployments: [] }, null, 2);
  const marker = '\n  "deployments": []';
  const at = head.indexOf(marker);
  if (deployments.length === 0 || at < 0) {
    yield formatJson(report);
    return;
  }
  yield `${head.slice(0, at)}\n  "deployments": [`;
  const open = '{\n  "x": [\n    '.length;
  const close = '\n  ]\n}'.length;
  for (let i = 0; i < deployments.length; i++) {
    const wrapped = JSON.stringify({ x: [deployments[i]] }, null, 2);
    // Separate pieces, not one concatenation: the slice is then never copied before it is written.
    yield i === 0 ? '\n    ' : ',\n    ';
    yield wrapped.slice(open, wrapped.length - close);
  }
  yield `\n  ]${head.slice(at + marker.length)}\n`;
}
