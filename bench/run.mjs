#!/usr/bin/env node
// `npm run bench`: agent-ready against its peers and its own budgets, on generated inputs.
//
// Cases run interleaved (A B C, A B C, ...) so drift on a noisy machine hits all of them
// alike: one warm-up round, then --runs counted rounds. Each run is a fresh process, timed
// from the parent (process.hrtime around the spawn) and measured for peak RSS by GNU time.
// Prints a table (median, min-max, peak RSS, throughput, ratios), the scanners' accuracy
// against the generator's ground truth and one PASS/FAIL line per budget; writes
// bench/results.json with the machine, every sample and the budgets.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parse as parseYaml, parseAllDocuments, stringify as stringifyYaml } from 'yaml';
import { measure, median, summarise } from './lib/measure.mjs';
import { ensureGnuTime, ensureRipgrep, ensureSecretlint, secretlintVersion } from './lib/peers.mjs';
import { startFakeIam } from './lib/fake-iam.mjs';
import { azureTenant, gcpWorld, loadFakeServers, requestStats, writeCloudFleet } from './lib/cloud-fakes.mjs';
import { agentReadyFindings, ripgrepFindings, score, secretlintFindings } from './lib/accuracy.mjs';
import { accuracyTable, budgetLines, caseTable, mib, percent, ratio, seconds } from './lib/report.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const projectDir = resolve(benchDir, '..');
const cli = join(projectDir, 'dist', 'cli.js');
const workDir = join(benchDir, '.work');
const outDir = join(workDir, 'out');
const toolsDir = join(benchDir, '.tools');
const rgPatterns = join(benchDir, 'rg-secrets.txt');
const generateDir = join(benchDir, 'generate');

const usage = `usage: node bench/run.mjs [options]   (npm run bench builds first)

  --size-mb N          repository size for the scan cases (default 200)
  --small-mb N         the smaller repository the throughput budget compares with (default 10)
  --fleet N            deployments in the offline fleet audit (default 1000)
  --runs N             counted runs per case after one warm-up (default 5)
  --secretlint-runs N  counted runs of secretlint, spread over the rounds (default 5, as every case)
  --short-repeat N     runs per round of the sub-second start-up cases (node -e 0, --version, the
                       one-deployment audit), back to back with each other (default 3: 15 samples)
  --cases LIST         comma list of groups (scan, startup, fleet, gather) or case ids
  --gather-fleet N     deployments (distinct roles) in the live-gathering case (default 200)
  --latency-ms L       latency the fake IAM endpoint adds to every call (default 50)
  --concurrency C      agent-ready gather --concurrency (default 8)
  --seed N             generator seed (default 1)
  --keep               keep every run's output (reports, scanner output, bundles) in bench/.work/out

Generated inputs live in bench/.work (git-ignored) and are reused while their size, seed and
generator are unchanged. Exit status: 0 when every measured budget passes, 1 when one fails
or a case could not run, 2 for bad usage.`;

let flags;
try {
  ({ values: flags } = parseArgs({ options: optionSpec() }));
} catch (err) {
  process.stderr.write(`bench: ${err.message}\n${usage}\n`);
  process.exit(2);
}
function optionSpec() {
  return {
    'size-mb': { type: 'string', default: '200' },
    'small-mb': { type: 'string', default: '10' },
    fleet: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '5' },
    'secretlint-runs': { type: 'string', default: '5' },
    'short-repeat': { type: 'string', default: '3' },
    cases: { type: 'string' },
    'gather-fleet': { type: 'string', default: '200' },
    'latency-ms': { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '8' },
    seed: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  };
}
if (flags.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}

function positiveInt(name) {
  const n = Number(flags[name]);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`bench: --${name} must be a whole number of at least 1, not "${flags[name]}"\n${usage}\n`);
    process.exit(2);
  }
  return n;
}

const config = {
  sizeMB: positiveInt('size-mb'),
  smallMB: positiveInt('small-mb'),
  fleet: positiveInt('fleet'),
  runs: positiveInt('runs'),
  secretlintRuns: Math.min(positiveInt('secretlint-runs'), positiveInt('runs')),
  shortRepeat: positiveInt('short-repeat'),
  gatherFleet: positiveInt('gather-fleet'),
  latencyMs: positiveInt('latency-ms'),
  concurrency: positiveInt('concurrency'),
  seed: positiveInt('seed'),
};

/** What the reader of the results must know: cases not run, fewer runs, fallbacks. */
const notes = [];

const groups = {
  scan: ['ar-scan', 'ar-scan-small', 'secretlint', 'ripgrep', 'cat'],
  startup: ['node', 'ar-version', 'ar-audit-one'],
  fleet: ['ar-audit-one', 'ar-audit-fleet', 'ar-fleet-load'],
  gather: ['ar-gather', 'ar-gather-azure', 'ar-gather-gcp'],
};
const allCaseIds = [...new Set(Object.values(groups).flat())];
const selected = new Set();
for (const name of (flags.cases ?? Object.keys(groups).join(',')).split(',').map((s) => s.trim()).filter(Boolean)) {
  if (groups[name]) groups[name].forEach((id) => selected.add(id));
  else if (allCaseIds.includes(name)) selected.add(name);
  else {
    process.stderr.write(`bench: unknown case "${name}" (groups: ${Object.keys(groups).join(', ')}; cases: ${allCaseIds.join(', ')})\n`);
    process.exit(2);
  }
}
// Throughput is compared across sizes: the same size twice would say nothing.
if (config.smallMB >= config.sizeMB && selected.delete('ar-scan-small')) {
  notes.push(`the ${config.smallMB} MB scan was not run: --small-mb must be below --size-mb (${config.sizeMB}) for the throughput budget`);
}
// Ratios need their baselines: a budget against bare node needs node, one against the one-deployment audit needs it.
if (selected.has('ar-version') || selected.has('ar-audit-one')) selected.add('node');
if (selected.has('ar-audit-fleet')) selected.add('ar-audit-one');

const started = process.hrtime.bigint();
const elapsedS = () => Number(process.hrtime.bigint() - started) / 1e9;
const log = (message) => process.stderr.write(`bench [${elapsedS().toFixed(0).padStart(3)} s] ${message}\n`);

if (!existsSync(cli)) {
  process.stderr.write(`bench: ${relative(process.cwd(), cli)} is missing: run \`npm run build\` first (npm run bench does)\n`);
  process.exit(2);
}
ensureGnuTime(log);
mkdirSync(outDir, { recursive: true });

// ---------------------------------------------------------------------------------------
// Inputs: generated once, reused while the parameters and the generator are unchanged.

/** The generator's code: its entry and the modules beside it (a change to any regenerates). */
function generatorHash() {
  const hash = createHash('sha256');
  for (const f of readdirSync(generateDir).filter((n) => n.endsWith('.mjs')).sort()) hash.update(f).update(readFileSync(join(generateDir, f)));
  return hash.digest('hex');
}

async function cachedInput(name, generator, params, make) {
  const dir = join(workDir, name);
  const stampFile = join(workDir, `${name}.json`);
  const generatorFile = join(generateDir, generator);
  if (!existsSync(generatorFile)) throw new Error(`${relative(projectDir, generatorFile)} is missing: the input generators have not landed`);
  const stamp = { params, generator: generatorHash() };
  if (existsSync(stampFile) && existsSync(dir)) {
    const previous = JSON.parse(readFileSync(stampFile, 'utf8'));
    if (JSON.stringify({ params: previous.params, generator: previous.generator }) === JSON.stringify(stamp)) {
      log(`reusing ${relative(projectDir, dir)}`);
      return previous.result;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  rmSync(stampFile, { force: true });
  const t = process.hrtime.bigint();
  log(`generating ${relative(projectDir, dir)} ...`);
  const result = await make(dir, (await import(pathToFileURL(generatorFile).href)));
  log(`generated ${relative(projectDir, dir)} in ${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(1)} s`);
  writeFileSync(stampFile, `${JSON.stringify({ ...stamp, result })}\n`);
  return result;
}

/** Bytes of the files git tracks: what every scanner reads. */
function trackedBytes(dir) {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: dir, maxBuffer: 1 << 30 }).toString('utf8').split('\0').filter(Boolean);
  let bytes = 0;
  for (const f of files) {
    try {
      bytes += statSync(join(dir, f)).size;
    } catch {
      // A tracked file deleted from the work tree reads as nothing.
    }
  }
  return { files: files.length, bytes };
}

async function generatedRepo(sizeMB) {
  const name = `repo-${sizeMB}mb`;
  const result = await cachedInput(name, 'repo.mjs', { sizeMB, seed: config.seed }, async (dir, { generateRepo }) => {
    const r = await generateRepo({ dir, sizeMB, seed: config.seed, commit: true });
    const tracked = trackedBytes(r.dir ?? dir);
    return { dir: relative(workDir, resolve(r.dir ?? dir)), trackedFiles: tracked.files, bytes: tracked.bytes, generatorBytes: r.bytes, truth: { planted: r.truth.planted, decoys: r.truth.decoys } };
  });
  const dir = realpathSync(join(workDir, result.dir));
  return { ...result, dir, ...repoManifest(dir, name) };
}

/**
 * The manifest the repository scan audits: the generator's agent-ready.yaml when it wrote one,
 * else the ready-aws fixture's, stripped of the files it names (the generated repository has
 * none of them) and kept outside the repository, which `--repo` then names.
 */
function repoManifest(dir, name) {
  if (existsSync(join(dir, 'agent-ready.yaml'))) return { manifest: 'agent-ready.yaml', repoFlag: [] };
  const manifest = parseYaml(readFileSync(join(projectDir, 'fixtures', 'ready-aws', 'agent-ready.yaml'), 'utf8'));
  delete manifest.runtime?.configFiles;
  if (manifest.lifecycle) {
    delete manifest.lifecycle.prompt;
    delete manifest.lifecycle.toolRegistry;
  }
  const file = join(workDir, `${name}-manifest`, 'agent-ready.yaml');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, stringifyYaml(manifest));
  return { manifest: file, repoFlag: ['--repo', dir] };
}

async function generatedFleet(name, count) {
  const result = await cachedInput(name, 'fleet.mjs', { count, seed: config.seed }, async (dir, { generateFleet }) => {
    const r = await generateFleet({ dir, count, seed: config.seed });
    const root = resolve(r.dir ?? dir);
    return { dir: relative(workDir, root), manifests: r.manifests.map((m) => relative(root, resolve(root, m))) };
  });
  const dir = realpathSync(join(workDir, result.dir));
  return { dir, manifests: result.manifests.map((m) => join(dir, m)) };
}

// ---------------------------------------------------------------------------------------
// Peers.

let secretlint;
let ripgrep;
if (selected.has('secretlint')) {
  secretlint = ensureSecretlint(toolsDir, log);
  if (secretlint.unavailable) {
    notes.push(`secretlint ${secretlintVersion} not measured: ${secretlint.unavailable}`);
    log(notes.at(-1));
    selected.delete('secretlint');
  }
}
if (selected.has('ripgrep')) {
  ripgrep = ensureRipgrep(log);
  if (ripgrep.unavailable) {
    notes.push(`ripgrep not measured: ${ripgrep.unavailable}`);
    log(notes.at(-1));
    selected.delete('ripgrep');
  }
}

// ---------------------------------------------------------------------------------------
// Cases: each is one command, run once per round.

const onRepo = ['ar-scan', 'secretlint', 'ripgrep', 'cat'];
const repo = onRepo.some((id) => selected.has(id)) ? await generatedRepo(config.sizeMB) : undefined;
const smallRepo = selected.has('ar-scan-small') ? await generatedRepo(config.smallMB) : undefined;
const fleetOne = selected.has('ar-audit-one') ? await generatedFleet('fleet-1', 1) : undefined;
const fleet = selected.has('ar-audit-fleet') || selected.has('ar-fleet-load') ? await generatedFleet(`fleet-${config.fleet}`, config.fleet) : undefined;
const gatherFleet = selected.has('ar-gather') ? await generatedFleet(`gather-fleet-${config.gatherFleet}`, config.gatherFleet) : undefined;

const node = process.execPath;
const timingsEnv = { ...process.env, AGENT_READY_TIMINGS: '1' };
const output = (id) => join(outDir, `${id}.out`);
const auditFleetArgs = (dir) => [cli, 'audit', dir, '--offline', '--repo', dir, '-f', 'json'];

/** `agent-ready timings: {json}` on stderr (AGENT_READY_TIMINGS=1), when this build prints it. */
function timingsFrom(stderr) {
  const line = stderr.split('\n').find((l) => l.startsWith('agent-ready timings: '));
  if (!line) return undefined;
  try {
    return JSON.parse(line.slice('agent-ready timings: '.length));
  } catch {
    return undefined;
  }
}

// A build that prints phase timings gives the load budget its `load` phase; without them,
// ar-fleet-load (in the fleet group) runs to bound it from above.
if (fleetOne) {
  const probe = await measure({ command: node, args: auditFleetArgs(fleetOne.dir), cwd: fleetOne.dir, env: timingsEnv });
  if (timingsFrom(probe.stderr)?.load !== undefined) selected.delete('ar-fleet-load');
}

const fakeIam = selected.has('ar-gather') ? await startGatherServer() : undefined;

async function startGatherServer() {
  const deployments = gatherFleet.manifests.flatMap((m) => parseAllDocuments(readFileSync(m, 'utf8')).map((d) => d.toJS()).filter((d) => d?.kind === 'DigitalEmployee'));
  const arns = deployments
    .map((d) => ({ deployment: d.metadata?.name, m: /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(d.identity?.aws?.roleArn ?? '') }))
    .filter((a) => a.m)
    .map(({ deployment, m }) => ({ deployment, arn: m[0], account: m[1], name: m[2] }));
  const roles = [...new Map(arns.map((a) => [a.arn.toLowerCase(), a])).values()];
  if (roles.length === 0) throw new Error(`the gather fleet (${relative(projectDir, gatherFleet.dir)}) names no AWS role`);
  // Users live in the first role's account: one tagged for a deployment there, one belonging
  // to none; both need ListUserTags, the tagged one ListAccessKeys.
  const account = roles[0].account;
  const users = [
    { name: 'svc-legacy-sync', tags: { 'agent-ready:deployment': roles[0].deployment ?? 'none' } },
    { name: 'someone-else', tags: { team: 'data' } },
  ];
  const accounts = new Map(roles.map((r) => [r.name.toLowerCase(), r.account]));
  const server = await startFakeIam({ delayMs: config.latencyMs, account, accountOf: (name) => accounts.get(name.toLowerCase()), sharedPolicies: 6, policiesPerRole: 2, users });
  const policies = new Set(roles.flatMap((r) => server.policiesOf(r.name)));
  server.expected = {
    'iam:GetRole': roles.length,
    'iam:ListAttachedRolePolicies': roles.length,
    'iam:ListRolePolicies': roles.length,
    'iam:GetPolicy': policies.size,
    'iam:GetPolicyVersion': policies.size,
    'iam:ListUsers': 1,
    'iam:ListUserTags': users.length,
    'iam:ListAccessKeys': 1,
  };
  return server;
}

// Entra and GCP: the tests' loopback servers with the same latency, N identities each.
const cloudGather = {};
for (const provider of ['azure', 'gcp']) {
  if (!selected.has(`ar-gather-${provider}`)) continue;
  cloudGather.fakes ??= await loadFakeServers(projectDir, workDir);
  const fleetOf = provider === 'azure' ? azureTenant(config.gatherFleet) : gcpWorld(config.gatherFleet);
  const server =
    provider === 'azure'
      ? await cloudGather.fakes.startGraphServer(fleetOf.tenant, { token: 'bench-token', latencyMs: config.latencyMs })
      : await cloudGather.fakes.startGcpServer(fleetOf.world, { token: 'bench-token', latencyMs: config.latencyMs });
  const dir = writeCloudFleet(join(workDir, `gather-${provider}-${config.gatherFleet}`), cli, provider, fleetOf.refs);
  const env = { ...process.env, METADATA_SERVER_DETECTION: 'none' };
  if (provider === 'azure') Object.assign(env, { AGENT_READY_GRAPH_URL: server.url, AGENT_READY_AZURE_TOKEN: 'bench-token' });
  else Object.assign(env, { AGENT_READY_GCP_IAM_URL: server.url, AGENT_READY_GCP_CRM_URL: server.url, AGENT_READY_GCP_TOKEN: 'bench-token' });
  cloudGather[provider] = { server, dir, env, expected: fleetOf.expected };
}

const gatherEnv = () => {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('AWS_')) delete env[k];
  return {
    ...env,
    AGENT_READY_AWS_ENDPOINT: fakeIam.endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
};

/** `with N API calls (iam:GetRole 200, iam:GetPolicy 6, ...)` from gather's stderr. */
function reportedCalls(stderr) {
  const m = /with (\d+) API calls \(([^)]*)\)/.exec(stderr);
  if (!m) return undefined;
  return Object.fromEntries(m[2].split(', ').map((p) => p.split(' ')).map(([k, v]) => [k, Number(v)]));
}

const definitions = [
  repo && {
    id: 'ar-scan',
    title: `agent-ready scan ${config.sizeMB} MB`,
    bytes: repo.bytes,
    run: () => measure({ command: node, args: [cli, 'audit', repo.manifest, ...repo.repoFlag, '--offline', '--only', 'secrets', '-f', 'json'], cwd: repo.dir, stdoutFile: output('ar-scan') }),
    ok: [0, 1],
  },
  smallRepo && {
    id: 'ar-scan-small',
    title: `agent-ready scan ${config.smallMB} MB`,
    bytes: smallRepo.bytes,
    run: () => measure({ command: node, args: [cli, 'audit', smallRepo.manifest, ...smallRepo.repoFlag, '--offline', '--only', 'secrets', '-f', 'json'], cwd: smallRepo.dir, stdoutFile: output('ar-scan-small') }),
    ok: [0, 1],
  },
  repo && secretlint?.bin && {
    id: 'secretlint',
    title: `secretlint ${config.sizeMB} MB`,
    bytes: repo.bytes,
    // --format unix lists findings only; json would also print every scanned file's whole text.
    run: () =>
      measure({
        command: node,
        args: [secretlint.bin, '--format', 'unix', '--no-color', '--no-terminalLink', '--secretlintrcJSON', JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }), '**/*'],
        cwd: repo.dir,
        stdoutFile: output('secretlint'),
      }),
    ok: [0, 1],
    // The slow one: a warm-up and --secretlint-runs counted runs spread evenly over the rounds.
    rounds: spreadRounds(config.runs, config.secretlintRuns),
  },
  repo && ripgrep?.bin && {
    id: 'ripgrep',
    title: `ripgrep ${config.sizeMB} MB`,
    bytes: repo.bytes,
    // --hidden so tracked dotfiles are searched as the others search them; .gitignore is honoured.
    // rg-secrets.txt holds one regex per family (rg -f takes no comments): ASCII-only `(?-u)`
    // and open-ended repetitions, since Unicode classes and large counted repetitions made the
    // combined automaton ~15x slower, which would flatter every other case.
    run: () => measure({ command: ripgrep.bin, args: ['--no-messages', '-n', '--column', '-o', '--hidden', '-g', '!.git', '-f', rgPatterns, '.'], cwd: repo.dir, stdoutFile: output('ripgrep') }),
    ok: [0, 1],
  },
  repo && {
    id: 'cat',
    title: `cat tracked files ${config.sizeMB} MB`,
    bytes: repo.bytes,
    run: () => measure({ command: 'sh', args: ['-c', 'git ls-files -z | xargs -0 cat > /dev/null'], cwd: repo.dir }),
    ok: [0],
  },
  { id: 'node', title: 'node -e 0', short: true, run: () => measure({ command: node, args: ['-e', '0'], cwd: projectDir }), ok: [0] },
  { id: 'ar-version', title: 'agent-ready --version', short: true, run: () => measure({ command: node, args: [cli, '--version'], cwd: projectDir }), ok: [0] },
  fleetOne && {
    id: 'ar-audit-one',
    short: true,
    title: 'agent-ready audit --offline, 1 deployment',
    run: () => measure({ command: node, args: auditFleetArgs(fleetOne.dir), cwd: fleetOne.dir, env: timingsEnv, stdoutFile: output('ar-audit-one') }),
    ok: [0, 1],
  },
  fleet && {
    id: 'ar-audit-fleet',
    title: `agent-ready audit --offline, ${config.fleet} deployments`,
    run: () => measure({ command: node, args: auditFleetArgs(fleet.dir), cwd: fleet.dir, env: timingsEnv, stdoutFile: output('ar-audit-fleet') }),
    ok: [0, 1],
  },
  fleet && {
    id: 'ar-fleet-load',
    title: `agent-ready audit --offline --only identity, ${config.fleet} deployments`,
    // Loads and validates every manifest, runs only manifest rules, gathers nothing from the repository.
    run: () => measure({ command: node, args: [...auditFleetArgs(fleet.dir), '--only', 'identity'], cwd: fleet.dir, stdoutFile: output('ar-fleet-load') }),
    ok: [0, 1],
  },
  gatherFleet && {
    id: 'ar-gather',
    title: `agent-ready gather, ${config.gatherFleet} roles, ${config.latencyMs} ms/call, concurrency ${config.concurrency}`,
    run: async () => {
      fakeIam.reset();
      const sample = await measure({
        command: node,
        args: [cli, 'gather', gatherFleet.dir, '--repo', gatherFleet.dir, '--out', join(outDir, 'ar-gather.bundle.json'), '--concurrency', String(config.concurrency)],
        cwd: gatherFleet.dir,
        env: gatherEnv(),
      });
      return { ...sample, server: fakeIam.stats(), reportedCalls: reportedCalls(sample.stderr) };
    },
    ok: [0],
  },
  ...['azure', 'gcp'].map((provider) => {
    const g = cloudGather[provider];
    return (
      g && {
        id: `ar-gather-${provider}`,
        title: `agent-ready gather, ${config.gatherFleet} ${provider === 'azure' ? 'Entra apps' : 'GCP service accounts'}, ${config.latencyMs} ms/call, concurrency ${config.concurrency}`,
        run: async () => {
          g.server.requests.length = 0;
          const sample = await measure({
            command: node,
            args: [cli, 'gather', g.dir, '--repo', g.dir, '--out', join(outDir, `ar-gather-${provider}.bundle.json`), '--concurrency', String(config.concurrency)],
            cwd: g.dir,
            env: g.env,
          });
          return { ...sample, server: requestStats(provider, g.server.requests), reportedCalls: reportedCalls(sample.stderr) };
        },
        ok: [0],
      }
    );
  }),
]
  .filter(Boolean)
  .filter((c) => selected.has(c.id));

/** Rounds 1..runs in which a case with fewer counted runs runs, spread evenly. */
function spreadRounds(runs, count) {
  if (count >= runs) return undefined;
  if (count === 1) return new Set([Math.ceil(runs / 2)]);
  return new Set(Array.from({ length: count }, (_, i) => Math.round(1 + (i * (runs - 1)) / (count - 1))));
}

const cases = definitions.map((d) => ({ ...d, warmup: [], samples: [], errors: [] }));

// ---------------------------------------------------------------------------------------
// The rounds: round 0 warms up (page cache, V8 code cache), rounds 1..runs are counted.

log(`cases: ${cases.map((c) => c.id).join(', ')}; 1 warm-up + ${config.runs} counted rounds${cases.some((c) => c.rounds) ? ` (secretlint: ${config.secretlintRuns} counted)` : ''}${config.shortRepeat > 1 ? ` (start-up cases ${config.shortRepeat} times a round)` : ''}`);
// The sub-second start-up cases run --short-repeat times a round, one after another as a group
// (node, --version, one audit; node, --version, one audit; ...): a single slow moment of a shared
// machine then moves one of fifteen samples, not one of five. The rest run once a round.
const roundOrder = [];
for (let i = 0; i < cases.length; i++) {
  const c = cases[i];
  if (!c.short) {
    roundOrder.push(c);
    continue;
  }
  if (i > 0 && cases[i - 1].short) continue;
  const group = [];
  for (let j = i; j < cases.length && cases[j].short; j++) group.push(cases[j]);
  for (let k = 0; k < config.shortRepeat; k++) roundOrder.push(...group);
}
for (let round = 0; round <= config.runs; round++) {
  const done = [];
  for (const c of roundOrder) {
    if (round > 0 && c.rounds && !c.rounds.has(round)) continue;
    const sample = await c.run();
    const { stderr, ...kept } = sample;
    if (!c.ok.includes(sample.exitCode)) {
      c.errors.push({ round, exitCode: sample.exitCode, signal: sample.signal, stderr: stderr.slice(0, 2000) });
      done.push(`${c.id} FAILED (exit ${sample.exitCode ?? sample.signal})`);
      continue;
    }
    const timings = timingsFrom(stderr);
    (round === 0 ? c.warmup : c.samples).push({ ...kept, wallMs: Math.round(sample.wallMs * 10) / 10, ...(timings ? { timings } : {}) });
    done.push(`${c.id} ${seconds(sample.wallMs)}`);
  }
  log(`${round === 0 ? 'warm-up' : `round ${round}/${config.runs}`}: ${done.join(', ')}`);
}
await fakeIam?.close();
for (const provider of ['azure', 'gcp']) await cloudGather[provider]?.server.close();

// ---------------------------------------------------------------------------------------
// Results.

const byId = Object.fromEntries(cases.map((c) => [c.id, c]));
for (const c of cases) c.summary = summarise(c.samples);
const med = (id) => byId[id]?.summary?.medianMs ?? null;
const over = (a, b) => (med(a) !== null && med(b) !== null ? med(a) / med(b) : null);
const throughput = (id) => (byId[id]?.bytes && med(id) ? byId[id].bytes / 2 ** 20 / (med(id) / 1000) : null);

const ratioLabels = {
  'ar-scan': [['secretlint', 'secretlint'], ['ripgrep', 'ripgrep'], ['cat', 'cat']],
  secretlint: [['cat', 'cat']],
  ripgrep: [['cat', 'cat']],
  'ar-version': [['node', 'node']],
  'ar-audit-one': [['node', 'node']],
  'ar-audit-fleet': [['ar-audit-one', '1 deployment']],
  'ar-fleet-load': [['ar-audit-one', '1 deployment']],
};
const rows = cases.map((c) => {
  const ratios = (ratioLabels[c.id] ?? []).filter(([to]) => med(to) !== null).map(([to, label]) => `${ratio(over(c.id, to))} ${label}`);
  if (c.id === 'ar-scan-small' && throughput('ar-scan')) ratios.push(`${ratio(throughput('ar-scan') / throughput('ar-scan-small'))} throughput at ${config.sizeMB} MB`);
  if (c.id.startsWith('ar-gather') && c.samples.length) {
    const g = gatherSummary(c.id);
    ratios.push(`calls ${seconds(g.spanMs)} for ${g.calls} calls = ${ratio(g.spanMs / g.boundMs)} of bound`);
  }
  const tp = throughput(c.id);
  return { title: c.title, runs: c.samples.length, summary: c.summary, error: c.errors.length > 0, throughput: tp ? `${tp.toFixed(0)} MiB/s` : undefined, ratios };
});

function gatherSummary(id) {
  const c = byId[id];
  const spans = c.samples.map((s) => s.server.spanMs).filter((v) => v !== null);
  const calls = c.samples.at(-1).server.total;
  const idealMs = Math.ceil(calls / config.concurrency) * config.latencyMs;
  return {
    spanMs: median(spans),
    calls,
    idealMs,
    boundMs: 1.2 * idealMs,
    maxInFlight: Math.max(...c.samples.map((s) => s.server.maxInFlight)),
    meanInFlight: median(c.samples.map((s) => s.server.meanInFlight).filter((v) => v !== null)),
  };
}

// Accuracy: the last counted run's output (every run scans the same files).
const accuracy = [];
if (repo?.truth) {
  const tryScore = (scanner, id, read) => {
    if (!byId[id]?.samples.length) return;
    try {
      accuracy.push(score(scanner, read(), repo.truth));
    } catch (err) {
      notes.push(`${scanner}: could not read its findings: ${err.message}`);
    }
  };
  tryScore('agent-ready', 'ar-scan', () => agentReadyFindings(output('ar-scan')));
  tryScore(`secretlint ${secretlintVersion} (preset-recommend)`, 'secretlint', () => secretlintFindings(output('secretlint'), repo.dir));
  tryScore('ripgrep (rg-secrets.txt, no validation)', 'ripgrep', () => ripgrepFindings(output('ripgrep')));
}

// Budgets.
const budgets = [];
const budget = (id, title, measured, limit, pass, note) =>
  budgets.push({ id, title, measured, limit, status: pass === null || pass === undefined ? 'N/A' : pass ? 'PASS' : 'FAIL', ...(note ? { note } : {}) });
const atSize = config.sizeMB === 200 ? '' : ` (at ${config.sizeMB} MB; the budget is stated at 200 MB)`;
const missing = (...ids) => {
  const absent = ids.filter((id) => med(id) === null);
  return absent.length ? `not measured: ${absent.join(', ')}` : undefined;
};

{
  const r = over('ar-scan', 'secretlint');
  budget('scan-vs-secretlint', `repository scan wall <= 0.5x secretlint${atSize}`, r === null ? '-' : `${ratio(r)} (${seconds(med('ar-scan'))} vs ${seconds(med('secretlint'))})`, '0.5x', r === null ? null : r <= 0.5, missing('ar-scan', 'secretlint'));
}
{
  const r = over('ar-scan', 'ripgrep');
  budget('scan-vs-ripgrep', `repository scan wall <= 3x ripgrep${atSize}`, r === null ? '-' : `${ratio(r)} (${seconds(med('ar-scan'))} vs ${seconds(med('ripgrep'))})`, '3x', r === null ? null : r <= 3, missing('ar-scan', 'ripgrep'));
}
{
  const kib = byId['ar-scan']?.summary?.peakRssKiB ?? null;
  budget('scan-rss', `repository scan peak RSS <= 150 MiB${atSize}`, mib(kib), '150 MiB', kib === null ? null : kib <= 150 * 1024, missing('ar-scan'));
}
{
  const big = throughput('ar-scan');
  const small = throughput('ar-scan-small');
  const r = big && small ? big / small : null;
  budget(
    'scan-throughput',
    `scan throughput at ${config.sizeMB} MB >= 0.8x throughput at ${config.smallMB} MB`,
    r === null ? '-' : `${ratio(r)} (${big.toFixed(0)} vs ${small.toFixed(0)} MiB/s)`,
    '0.8x',
    r === null ? null : r >= 0.8,
    missing('ar-scan', 'ar-scan-small'),
  );
}
{
  const a = accuracy.find((x) => x.scanner === 'agent-ready');
  const none = a ? undefined : 'not measured: ar-scan';
  budget(
    'recall',
    `every planted credential found${atSize}`,
    a ? `${a.expectedFound}/${a.expected} (${percent(a.expected ? a.expectedFound / a.expected : null)}); known gaps (expectMissed, not counted): ${a.knownGapsFound}/${a.knownGaps} found` : '-',
    '100%',
    a ? a.expectedFound === a.expected : null,
    a && a.expectedFound < a.expected ? `missed: ${Object.entries(a.missedByFamily).map(([f, n]) => `${f} ${n}`).join(', ')}` : none,
  );
  budget('decoys', 'no decoy reported', a ? `${a.decoysReported}/${a.decoys}` : '-', '0', a ? a.decoysReported === 0 : null, none);
  budget('precision', 'precision >= 0.95', a ? `${percent(a.precision)} (${a.truePositives} of ${a.reported} findings)` : '-', '95%', a ? (a.reported === 0 ? a.planted === 0 : a.precision >= 0.95) : null, none);
}
{
  const r = over('ar-version', 'node');
  budget('version', '`agent-ready --version` <= 1.3x bare node', r === null ? '-' : `${ratio(r)} (${seconds(med('ar-version'))} vs ${seconds(med('node'))})`, '1.3x', r === null ? null : r <= 1.3, missing('ar-version', 'node'));
}
{
  const r = over('ar-audit-one', 'node');
  budget('audit-one', '`--offline` audit of one deployment <= 2.5x bare node', r === null ? '-' : `${ratio(r)} (${seconds(med('ar-audit-one'))} vs ${seconds(med('node'))})`, '2.5x', r === null ? null : r <= 2.5, missing('ar-audit-one', 'node'));
}
{
  const loads = (byId['ar-audit-fleet']?.samples ?? []).map((s) => s.timings?.load).filter((v) => typeof v === 'number');
  if (loads.length) {
    const ms = median(loads);
    budget('fleet-load', `${config.fleet} manifests loaded and validated in one process <= 1.0 s`, `${seconds(ms)} (the \`load\` phase of AGENT_READY_TIMINGS, median)`, '1.0 s', ms <= 1000);
  } else if (med('ar-fleet-load') !== null) {
    const ms = med('ar-fleet-load');
    // The whole process (start-up, load, manifest-only rules, JSON report) bounds the load phase from above.
    budget(
      'fleet-load',
      `${config.fleet} manifests loaded and validated in one process <= 1.0 s`,
      `<= ${seconds(ms)} (upper bound: wall time of \`audit --offline --only identity\`; this build prints no timings)`,
      '1.0 s',
      ms <= 1000 ? true : null,
      ms <= 1000 ? undefined : 'the upper bound is over the budget, so this run cannot tell',
    );
  } else budget('fleet-load', `${config.fleet} manifests loaded and validated in one process <= 1.0 s`, '-', '1.0 s', null, missing('ar-audit-fleet'));
}
{
  const r = over('ar-audit-fleet', 'ar-audit-one');
  budget('fleet-audit', `offline audit of ${config.fleet} deployments <= 10x one deployment`, r === null ? '-' : `${ratio(r)} (${seconds(med('ar-audit-fleet'))} vs ${seconds(med('ar-audit-one'))})`, '10x', r === null ? null : r <= 10, missing('ar-audit-fleet', 'ar-audit-one'));
}
/** The three providers' live gathering: the latency bound, and each distinct object fetched once. */
const gatherCases = [
  { id: 'ar-gather', label: 'AWS', objects: 'role and policy', expected: () => fakeIam?.expected, countOf: (counts, call) => counts[call.slice(4)] ?? 0 },
  { id: 'ar-gather-azure', label: 'Entra', objects: 'application and service principal', expected: () => cloudGather.azure?.expected, countOf: (counts, call) => counts[call] ?? 0 },
  { id: 'ar-gather-gcp', label: 'GCP', objects: 'service account, project and pool', expected: () => cloudGather.gcp?.expected, countOf: (counts, call) => counts[call] ?? 0 },
];
const gather = {};
for (const g of gatherCases) {
  const suffix = g.id === 'ar-gather' ? '' : `-${g.id.slice('ar-gather-'.length)}`;
  if (!byId[g.id]?.samples.length) {
    if (!selected.has(g.id) && g.id !== 'ar-gather') continue;
    budget(`gather-time${suffix}`, `live gathering (${g.label}): N calls within 1.2 x ceil(N/C) x L`, '-', '1.2 x ceil(N/C) x L', null, missing(g.id));
    budget(`gather-once${suffix}`, `each distinct ${g.objects} fetched once per run (${g.label})`, '-', 'once each', null, missing(g.id));
    continue;
  }
  const summary = gatherSummary(g.id);
  budget(
    `gather-time${suffix}`,
    `live gathering (${g.label}): N calls within 1.2 x ceil(N/C) x L (N=${summary.calls}, C=${config.concurrency}, L=${config.latencyMs} ms)`,
    `${seconds(summary.spanMs)} first call to last answer, median (process wall ${seconds(med(g.id))}; in flight: at most ${summary.maxInFlight}, ${summary.meanInFlight?.toFixed(1) ?? '-'} on average)`,
    seconds(summary.boundMs),
    summary.spanMs !== null && summary.spanMs <= summary.boundMs,
  );
  const counted = byId[g.id].samples.map((s) => s.server.counts);
  const expected = g.expected();
  const wrong = [];
  for (const [call, n] of Object.entries(expected)) {
    const seen = [...new Set(counted.map((c) => g.countOf(c, call)))];
    if (seen.length !== 1 || seen[0] !== n) wrong.push(`${call} ${seen.join('/')} (expected ${n})`);
  }
  const unexpected = Object.keys(counted.at(-1)).filter((k) => g.id !== 'ar-gather' && !(k in expected));
  for (const k of unexpected) wrong.push(`${k} ${counted.at(-1)[k]} (not expected at all)`);
  const reported = byId[g.id].samples.at(-1).reportedCalls;
  const disagree = reported
    ? Object.entries(reported).filter(([call, n]) => g.countOf(counted.at(-1), call) !== n).map(([call, n]) => `${call}: CLI says ${n}, server saw ${g.countOf(counted.at(-1), call)}`)
    : ['the CLI printed no `API calls (...)` line'];
  gather[g.id] = { ...summary, expected, counts: counted.at(-1), reportedCalls: reported };
  budget(
    `gather-once${suffix}`,
    `each distinct ${g.objects} fetched once per run (${g.label})`,
    wrong.length ? wrong.join('; ') : Object.entries(expected).map(([call, n]) => `${call} ${n}`).join(', '),
    'once each',
    wrong.length === 0,
    disagree.length ? disagree.join('; ') : undefined,
  );
}

for (const c of cases) if (c.errors.length) notes.push(`${c.id}: ${c.errors.length} run(s) failed, first: exit ${c.errors[0].exitCode ?? c.errors[0].signal}: ${c.errors[0].stderr.trim().split('\n').slice(0, 3).join(' / ')}`);
if (byId.secretlint) notes.push(`secretlint: ${byId.secretlint.samples.length} counted run(s) (--secretlint-runs), the other cases ${config.runs}`);
if (byId['ar-fleet-load']) notes.push('this build prints no AGENT_READY_TIMINGS line: the fleet load budget uses an upper bound');

// ---------------------------------------------------------------------------------------
// Print and write.

const totalS = elapsedS();
const lines = [
  `## agent-ready benchmark (${os.cpus()[0]?.model?.trim() ?? 'unknown cpu'}, ${os.availableParallelism?.() ?? os.cpus().length} cores, Node ${process.version})`,
  '',
  `Inputs (seed ${config.seed}): ${[
    repo && `repository ${config.sizeMB} MB (${repo.trackedFiles} tracked files, ${(repo.bytes / 2 ** 20).toFixed(1)} MiB, ${repo.truth?.planted?.length ?? '?'} planted credentials, ${repo.truth?.decoys?.length ?? '?'} decoys)`,
    smallRepo && `repository ${config.smallMB} MB (${smallRepo.trackedFiles} files, ${(smallRepo.bytes / 2 ** 20).toFixed(1)} MiB)`,
    fleet && `fleet of ${fleet.manifests.length} manifests`,
    gatherFleet && `gather fleet of ${gatherFleet.manifests.length} manifests`,
    ...['azure', 'gcp'].map((p) => cloudGather[p] && `${p} gather fleet of ${config.gatherFleet} identities`),
  ]
    .filter(Boolean)
    .join('; ')}. 1 warm-up + ${config.runs} counted rounds, interleaved (A B C, A B C, ...)${cases.some((c) => c.short) && config.shortRepeat > 1 ? `; the sub-second start-up cases ${config.shortRepeat} times a round (${config.runs * config.shortRepeat} runs)` : ''}.`,
  '',
  caseTable(rows),
  '',
];
if (accuracy.length) lines.push(accuracyTable(accuracy), '');
lines.push('### Budgets', '', budgetLines(budgets), '');
if (notes.length) lines.push('### Notes', '', ...notes.map((n) => `- ${n}`), '');
lines.push(`Total elapsed: ${totalS.toFixed(1)} s${totalS > 600 ? ' (over the 10-minute target)' : ''}. Results: ${relative(process.cwd(), join(benchDir, 'results.json')) || 'bench/results.json'}`);
process.stdout.write(`${lines.join('\n')}\n`);

const cpus = os.cpus();
/** The distribution's name (/etc/os-release), when the machine says. */
function distribution() {
  try {
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}
const results = {
  schemaVersion: 1,
  generatedAt: new Date().toISOString(),
  machine: {
    os: [distribution(), `${os.type()} ${os.release()}`].filter(Boolean).join(', '),
    platform: process.platform,
    arch: process.arch,
    cpuModel: cpus[0]?.model?.trim() ?? null,
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
  },
  tool: { version: JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')).version, cli: relative(projectDir, cli) },
  peers: { secretlint: secretlint ? (secretlint.version ?? { unavailable: secretlint.unavailable }) : null, ripgrep: ripgrep ? (ripgrep.version ?? { unavailable: ripgrep.unavailable }) : null },
  config,
  inputs: {
    ...(repo ? { repo: { sizeMB: config.sizeMB, trackedFiles: repo.trackedFiles, bytes: repo.bytes, planted: repo.truth?.planted?.length, decoys: repo.truth?.decoys?.length } } : {}),
    ...(smallRepo ? { smallRepo: { sizeMB: config.smallMB, trackedFiles: smallRepo.trackedFiles, bytes: smallRepo.bytes } } : {}),
    ...(fleet ? { fleet: { deployments: fleet.manifests.length } } : {}),
    ...(gatherFleet ? { gatherFleet: { deployments: gatherFleet.manifests.length, latencyMs: config.latencyMs, concurrency: config.concurrency } } : {}),
  },
  cases: cases.map((c) => ({
    id: c.id,
    title: c.title,
    ...(c.bytes ? { bytes: c.bytes, throughputMiBps: throughput(c.id) } : {}),
    summary: c.summary,
    warmup: c.warmup,
    samples: c.samples,
    ...(c.errors.length ? { errors: c.errors } : {}),
  })),
  accuracy,
  ...(Object.keys(gather).length ? { gather } : {}),
  budgets,
  notes,
  totalElapsedS: Math.round(totalS * 10) / 10,
};
writeFileSync(join(benchDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
if (!flags.keep) rmSync(outDir, { recursive: true, force: true });
process.exitCode = budgets.some((b) => b.status === 'FAIL') || cases.some((c) => c.errors.length > 0) ? 1 : 0;
