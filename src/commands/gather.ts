// `agent-ready gather`: collect the cloud evidence for the manifests and save it as an
// evidence bundle, to audit later, elsewhere, offline (`audit --evidence FILE`).
import { resolve } from 'node:path';
import { loadRun } from '../engine/run';
import { auditNow } from '../engine/clock';
import { gatherCloudEvidence } from '../evidence/cloud/gather';
import type { EvidenceBundle } from '../evidence/model';
import { checkOutputTarget, writeFilesAtomic } from '../report/write';
import { plainText } from '../report/plain-text';
import { toolVersion } from '../version';
import { cloudGatherOptions, type CloudFlags } from './cloud-flags';
import { compareText } from '../text-order';

export interface GatherFlags extends CloudFlags {
  out?: string;
  repo?: string;
  config?: string;
}

export async function gatherCommand(paths: string[], flags: GatherFlags): Promise<number> {
  const cwd = process.cwd();
  if (flags.out !== undefined) checkOutputTarget(flags.out, `--out ${flags.out}`);
  const options = cloudGatherOptions(flags, cwd);
  const { deployments } = await loadRun({ paths, cwd, ...(flags.repo ? { repo: flags.repo } : {}), ...(flags.config ? { config: flags.config } : {}) });
  const now = auditNow();
  const evidence = await gatherCloudEvidence(
    deployments.map((d) => d.manifest),
    options,
  );
  const identities = [...evidence.identities].sort((a, b) => compareText(a.provider, b.provider) || compareText(a.ref, b.ref));
  const bundle: EvidenceBundle = { schemaVersion: 1, kind: 'agent-ready/evidence', gatheredAt: now.toISOString(), tool: { name: 'agent-ready', version: toolVersion }, identities };
  const text = `${JSON.stringify(bundle, null, 2)}\n`;
  if (flags.out !== undefined) writeFilesAtomic([{ path: resolve(cwd, flags.out), content: text, shown: `--out ${flags.out}` }]);
  else process.stdout.write(text);

  // What the consultant must know before leaving the client: what is missing, and which permission would give it.
  const say = (line: string) => process.stderr.write(`${plainText(line)}\n`);
  const where = flags.out ?? 'stdout';
  const calls = Object.entries(evidence.calls ?? {});
  const callNote = calls.length ? ` with ${calls.reduce((n, [, c]) => n + c, 0)} API calls (${calls.map(([k, c]) => `${k} ${c}`).join(', ')})` : '';
  say(`agent-ready: gathered ${identities.length} identit${identities.length === 1 ? 'y' : 'ies'} into ${where}${callNote}`);
  for (const [provider, reason] of Object.entries(evidence.unavailable ?? {})) say(`  ${provider}: not gathered: ${reason}`);
  const failed = identities.filter((i) => i.errors.length > 0);
  for (const i of failed) {
    for (const e of i.errors) say(`  ${i.provider} ${i.ref}: ${e.call} ${e.code}${e.message ? `: ${e.message}` : ''}`);
  }
  if (failed.length > 0) {
    const permissions = [...new Set(failed.flatMap((i) => i.errors.map((e) => e.permission ?? e.call)))].sort();
    say(`agent-ready: the bundle is incomplete; rules that need the missing evidence will be "error". Needed: ${permissions.join(', ')}`);
    return 1;
  }
  return 0;
}
