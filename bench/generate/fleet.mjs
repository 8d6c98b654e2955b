// A fleet for the scaling benchmark: N `kind: DigitalEmployee` manifests in one repository,
// committed with git.
//
//   generateFleet({ dir, count = 1000, seed = 1 }) => { dir, manifests, commit }
//
// Each manifest is the ready-aws fixture's (fixtures/ready-aws/agent-ready.yaml) with its
// own name (`agent-fleet-0001-prod`), environment, role ARN, account, owner, cost centre and
// quotas, written to `deploy/agent-NNNN.yaml`, with its own audit sample
// (`audit/samples/agent-NNNN.jsonl`: the events name their deployment). The files the manifests name (policies,
// prompt, tool registry, audit schema and sample, playbook, workflow, CODEOWNERS, config)
// are copied once from the fixture to the repository root, where the manifests' relative
// paths resolve. Deterministic: the same seed gives the same files and commit id.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Rng, digits } from './rng.mjs';
import { commitAll, readyFixture, walkFiles } from './repo.mjs';

export const generatorVersion = 'agent-ready-bench-fleet/1';

const purposes = ['customer-onboarding', 'claims-triage', 'invoice-matching', 'kyc-review', 'support-routing', 'fraud-screening', 'contract-review', 'it-helpdesk'];
const units = ['Retail Banking', 'Insurance', 'Wealth', 'Operations', 'Shared Services', 'Corporate Banking'];
const people = ['jane.doe', 'sam.lee', 'ana.silva', 'raj.patel', 'mia.chen', 'omar.haddad', 'eva.novak', 'tom.berg'];

/** Replaces `re` in `text`, or throws: a fixture that changed shape should fail loudly, not drift. */
function replace(text, re, by, what) {
  if (!re.test(text)) throw new Error(`generateFleet: the ready-aws manifest has no ${what} to replace`);
  return text.replace(re, by);
}

/** The fixture manifest made into fleet member `n`, with its audit sample (events name their deployment). */
export function fleetManifest(template, sample, n, width, rng) {
  const id = String(n).padStart(width, '0');
  const env = rng.weighted([['prod', 6], ['staging', 2.5], ['dev', 1.5]]);
  const name = `agent-fleet-${id}-${env}`;
  const account = rng.string(12, digits).replace(/^0/, '7');
  const costCentre = `CC-${rng.int(1000, 9999)}`;
  const owner = `${rng.pick(people)}@example.com`;
  let text = template.replace(/^# yaml-language-server:.*\n/, '');
  text = replace(text, /^# .*\n/, `# Fleet member ${id} of the scaling benchmark (generated from fixtures/ready-aws).\n`, 'leading comment');
  text = replace(text, /^(  name: ).*$/m, `$1${name}`, 'metadata.name');
  text = replace(text, /^(  purpose: ).*$/m, `$1${rng.pick(purposes)}`, 'metadata.purpose');
  text = replace(text, /^(  environment: ).*$/m, `$1${env}`, 'metadata.environment');
  text = replace(text, /^(  businessUnit: ).*$/m, `$1${rng.pick(units)}`, 'metadata.businessUnit');
  text = replace(text, /^(  owner: ).*$/m, `$1${owner}`, 'metadata.owner');
  text = replace(text, /^(  costCentre: ).*$/m, `$1${costCentre}`, 'metadata.costCentre');
  text = replace(text, /^(    contractId: ).*$/m, `$1PO-2026-${id}`, 'procurement.contractId');
  text = replace(text, /(roleArn: arn:aws:iam::)\d{12}(:role\/).*$/m, `$1${account}$2${name}`, 'identity.aws.roleArn');
  text = replace(text, /(secretsmanager:[a-z0-9-]+:)\d{12}(:secret:)/, `$1${account}$2`, 'secrets.residual ref account');
  text = replace(text, /^(  sample: ).*$/m, `$1audit/samples/agent-${id}.jsonl`, 'audit.sample');
  // callsPerDay stays reachable at callsPerMinute (AR-QT-006): 60 a minute is 86,400 a day.
  text = replace(text, /^(  callsPerMinute: ).*$/m, `$1${rng.pick([60, 90, 120])}`, 'quota.callsPerMinute');
  text = replace(text, /^(  callsPerDay: ).*$/m, `$1${rng.pick([5000, 20000, 50000])}`, 'quota.callsPerDay');
  text = replace(text, /^(    costCentre: ).*$/m, `$1${costCentre}`, 'quota.chargeback.costCentre');
  const fixtureName = /^ {2}name: (.*)$/m.exec(template)[1];
  const fixtureAccount = /roleArn: arn:aws:iam::(\d{12})/.exec(template)[1];
  const events = sample.split(fixtureName).join(name).split(fixtureAccount).join(account);
  return { name, text, sample: events, samplePath: `audit/samples/agent-${id}.jsonl` };
}

export async function generateFleet({ dir, count = 1000, seed = 1 } = {}) {
  if (!dir) throw new Error('generateFleet: dir is required');
  if (!(Number.isInteger(count) && count >= 1)) throw new Error('generateFleet: count must be a positive integer');
  if (existsSync(dir) && (await readdir(dir)).length > 0) throw new Error(`generateFleet: ${dir} exists and is not empty`);
  const rng = new Rng(`fleet:${seed}`);
  const put = async (rel, content) => {
    const full = join(dir, rel);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, content);
  };
  // The shared files, once: everything the fixture holds but its manifest and evidence bundle.
  for (const rel of walkFiles(readyFixture, (p) => p === 'agent-ready.yaml' || p === 'evidence.json')) {
    await put(rel, readFileSync(join(readyFixture, rel)));
  }
  const template = readFileSync(join(readyFixture, 'agent-ready.yaml'), 'utf8');
  const sample = readFileSync(join(readyFixture, /^ {2}sample: (.*)$/m.exec(template)[1]), 'utf8');
  const width = Math.max(4, String(count).length);
  const manifests = [];
  for (let n = 1; n <= count; n++) {
    const path = `deploy/agent-${String(n).padStart(width, '0')}.yaml`;
    const member = fleetManifest(template, sample, n, width, rng.fork(`member-${n}`));
    await put(path, member.text);
    await put(member.samplePath, member.sample);
    manifests.push(path);
  }
  await put('README.md', `# Agent fleet\n\n${count} digital employees generated from fixtures/ready-aws (seed ${seed}, ${generatorVersion}).\nAudit them all with \`agent-ready audit . --offline\`.\n`);
  const commit = commitAll(dir, `Synthetic fleet of ${count} deployments (seed ${seed})`);
  return { dir, manifests, commit };
}
