// `agent-ready audit`: run the audit, print one format, write the others, set the exit code.
import { fstatSync } from 'node:fs';
import { resolve } from 'node:path';
import { auditWithCatalogue } from '../engine/run';
import { auditNow } from '../engine/clock';
import { failOnLevels, type FailOn } from '../manifest/schema';
import { InputError } from '../manifest/input-error';
import { formatReport, parseFormat, type ReportFormat } from '../report/formats';
import { checkOutputTarget, writeFilesAtomic, writePieces, type OutputFile } from '../report/write';
import { jsonChunks } from '../report/json';
import { toolVersion } from '../version';
import { useColor } from './color';
import { addPhase, printTimings, timingsEnabled } from '../engine/timings';
import { cloudGatherOptions, type CloudFlags } from './cloud-flags';

export interface AuditFlags extends CloudFlags {
  format: string;
  output?: string;
  report: string[];
  repo?: string;
  config?: string;
  offline?: boolean;
  evidence?: string;
  failOn?: string;
  minScore?: string;
  only?: string;
  skip?: string;
  color?: boolean;
  checksDir: string[];
  verbose?: boolean;
  baseline?: string;
  failOnNew?: boolean;
  title?: string;
}

function commaList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

function parseReports(entries: string[]): { format: ReportFormat; file: string }[] {
  return entries.map((entry) => {
    const eq = entry.indexOf('=');
    if (eq <= 0 || eq === entry.length - 1) throw new InputError({ file: '--report', message: `"${entry}" should be FORMAT=FILE, e.g. json=agent-ready.json` });
    return { format: parseFormat(entry.slice(0, eq), '--report'), file: entry.slice(eq + 1) };
  });
}

function parseFailOn(value: string | undefined): FailOn | undefined {
  if (value === undefined) return undefined;
  if (!(failOnLevels as readonly string[]).includes(value)) throw new InputError({ file: '--fail-on', message: `"${value}" is not one of ${failOnLevels.join(', ')}` });
  return value as FailOn;
}

function parseMinScore(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new InputError({ file: '--min-score', message: `"${value}" is not a score from 0 to 100` });
  return n;
}

export async function auditCommand(paths: string[], flags: AuditFlags): Promise<number> {
  const format = parseFormat(flags.format, '--format');
  const reports = parseReports(flags.report);
  if (flags.offline && flags.evidence) throw new InputError({ file: '--evidence', message: '--offline and --evidence exclude each other' });
  if (flags.awsAuthDetails && (flags.offline || flags.evidence)) {
    throw new InputError({ file: '--aws-auth-details', message: `--aws-auth-details and ${flags.offline ? '--offline' : '--evidence'} exclude each other` });
  }
  const cloud = cloudGatherOptions(flags, process.cwd());
  // Unwritable targets are bad usage, found before the audit runs rather than after.
  if (flags.output !== undefined) checkOutputTarget(flags.output, `-o ${flags.output}`);
  for (const r of reports) checkOutputTarget(r.file, `--report ${r.format}=${r.file}`);
  const { report, rules } = await auditWithCatalogue({
    paths,
    cwd: process.cwd(),
    ...(flags.repo ? { repo: flags.repo } : {}),
    ...(flags.config ? { config: flags.config } : {}),
    mode: flags.offline ? 'offline' : flags.evidence || flags.awsAuthDetails ? 'evidence' : 'live',
    cloud,
    ...(flags.evidence ? { evidencePath: flags.evidence } : {}),
    ...(flags.failOn !== undefined ? { failOn: parseFailOn(flags.failOn)! } : {}),
    ...(flags.minScore !== undefined ? { minScore: parseMinScore(flags.minScore)! } : {}),
    ...(flags.only ? { only: commaList(flags.only)! } : {}),
    ...(flags.skip ? { skip: commaList(flags.skip)! } : {}),
    checksDirs: flags.checksDir,
    ...(flags.baseline ? { baselinePath: flags.baseline } : {}),
    ...(flags.failOnNew ? { failOnNew: true } : {}),
    now: auditNow(),
    version: toolVersion,
  });

  const toFile = flags.output !== undefined;
  const formatStarted = timingsEnabled ? performance.now() : 0;
  // JSON is written as it is made (a fleet's report runs to tens of megabytes); the other formats whole.
  const main =
    format === 'json'
      ? jsonChunks(report)
      : formatReport(format, report, {
          color: toFile ? useColor(flags.color, {}) && process.env.FORCE_COLOR !== undefined : useColor(flags.color, process.stdout),
          verbose: flags.verbose ?? false,
          ...(flags.title !== undefined ? { title: flags.title } : {}),
          rules,
        });
  const files: OutputFile[] = [
    ...(toFile ? [{ path: resolve(flags.output!), content: main, shown: `-o ${flags.output}` }] : []),
    ...reports.map((r) => ({
      path: resolve(r.file),
      content: r.format === 'json' ? jsonChunks(report) : formatReport(r.format, report, { color: false, ...(flags.title !== undefined ? { title: flags.title } : {}), rules }),
      shown: `--report ${r.format}=${r.file}`,
    })),
  ];
  const writeStarted = timingsEnabled ? performance.now() : 0;
  addPhase('format', writeStarted - formatStarted);
  writeFilesAtomic(files);
  if (!toFile) {
    if (typeof main === 'string') process.stdout.write(main);
    else if (stdoutIsFile()) writePieces(1, main);
    else for (const piece of main) process.stdout.write(piece);
  }
  addPhase('write', timingsEnabled ? performance.now() - writeStarted : 0);
  printTimings();
  return report.summary.gate.passed ? 0 : 1;
}

/** `> report.json`: stdout is a file, written synchronously whatever the stream would do. */
function stdoutIsFile(): boolean {
  try {
    return fstatSync(1).isFile();
  } catch {
    return false;
  }
}
