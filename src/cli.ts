// Command-line wiring only. Each command's modules are imported when it runs, so
// `--version` and `checks` never pay for the audit engine, and no cloud SDK loads offline.
import type { Command } from 'commander';
import { toolVersion } from './version';
import { scanWorkerFlag } from './evidence/secrets/worker-flag';


const collect = (value: string, previous: string[]) => [...previous, value];

function cloudOptions(command: Command): Command {
  return command
    .option('--aws-profile <name>', 'AWS: named profile from the shared config (default: the standard credential chain)')
    .option('--aws-region <region>', 'AWS: region for the IAM endpoint (default: AWS_REGION, else the role\'s partition: us-east-1, cn-north-1, us-gov-west-1)')
    .option('--aws-auth-details <file>', 'AWS: evidence from `aws iam get-account-authorization-details` output instead of live calls')
    .option('--aws-credential-report <file>', 'AWS: with --aws-auth-details, `aws iam get-credential-report` output for access keys')
    .option('--azure-tenant <id>', 'Azure: the Entra tenant to sign in to (default: identity.azure.tenantId, else the credential\'s home tenant)')
    .option('--gcp-project <id>', 'GCP: the project whose policy, labels and deny policies apply (default: identity.gcp.projectId, else the service account\'s project)')
    .option('--timeout <seconds>', 'per cloud call attempt (default 10)')
    .option('--concurrency <n>', 'cloud calls in flight at once (default 8)');
}

async function buildProgram(): Promise<Command> {
  const { Command, Option } = await import('commander');
  const program = new Command('agent-ready')
    .description('Is this AI agent (a digital employee acting under its own identity) ready for production?')
    .version(toolVersion, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .exitOverride();

  const audit = program
    .command('audit')
    .description('audit deployment manifests (files, folders holding kind: DigitalEmployee YAML, or globs)')
    .argument('[path...]', 'manifests; default: agent-ready.yaml in the current folder')
    .addOption(new Option('-f, --format <format>', 'what goes to stdout: terminal, json, sarif, junit, markdown, html').default('terminal'))
    .option('-o, --output <file>', 'write that format to FILE instead of stdout (atomically)')
    .option('--report <format=file>', 'also write another format; repeatable', collect, [])
    .option('--repo <dir>', 'repository root for relative paths and repository checks')
    .option('--config <file>', 'repository policy file (default: .agent-ready.yaml at the repository root)')
    .option('--offline', 'no cloud API calls: cloud rules are skip with the reason "offline"')
    .option('--evidence <file>', 'use a saved evidence bundle instead of live cloud calls')
    .option('--fail-on <severity>', 'exit 1 on an unwaived fail/error at or above: none, low, medium, high, critical')
    .option('--min-score <n>', 'also exit 1 when the overall score is below N (0-100)')
    .option('--only <areas>', 'comma list of areas to audit (identity, scope, secrets, audit-schema, lifecycle, model-pinning, quota, incident-response)')
    .option('--skip <rules>', 'comma list of rule ids not to run')
    .option('--checks-dir <dir>', 'load external check modules from a local folder; repeatable', collect, [])
    .option('--baseline <file>', 'a previous JSON report: mark each finding new, unchanged or fixed')
    .option('--fail-on-new', 'with --baseline: fail the gate only on new failures (gradual adoption)')
    .option('--title <text>', 'HTML: the client or organisation the report is for')
    .option('-v, --verbose', 'list passing and skipped rules too')
    .option('--no-color', 'plain text (NO_COLOR and FORCE_COLOR are honoured too)');
  cloudOptions(audit).action(async (paths: string[], flags) => {
    const { auditCommand } = await import('./commands/audit');
    process.exitCode = await auditCommand(paths, flags);
  });

  const gather = program
    .command('gather')
    .description('collect the cloud evidence for the manifests and save it as an evidence bundle (audit it later with --evidence FILE); exit 1 when some evidence could not be gathered')
    .argument('[path...]', 'manifests; default: agent-ready.yaml in the current folder')
    .option('-o, --out <file>', 'write the bundle to FILE (atomically); default stdout')
    .option('--repo <dir>', 'repository root for relative paths')
    .option('--config <file>', 'repository policy file');
  cloudOptions(gather).action(async (paths: string[], flags) => {
    const { gatherCommand } = await import('./commands/gather');
    process.exitCode = await gatherCommand(paths, flags);
  });

  program
    .command('checks')
    .description('list every rule: id, area, severity, title and origin')
    .option('-f, --format <format>', 'terminal, json or markdown', 'terminal')
    .option('--checks-dir <dir>', 'include external check modules from a local folder; repeatable', collect, [])
    .option('--config <file>', 'policy file whose plugins to include')
    .option('--repo <dir>', 'repository root (for the policy file)')
    .option('--no-color', 'plain text')
    .action(async (flags) => {
      const { checksCommand } = await import('./commands/catalog');
      process.exitCode = await checksCommand(flags);
    });

  program
    .command('explain')
    .description("a rule's rationale, what passes, how to fix it, and references")
    .argument('<rule>', 'rule id, e.g. AR-ID-001')
    .option('--checks-dir <dir>', 'include external check modules from a local folder; repeatable', collect, [])
    .option('--config <file>', 'policy file whose plugins to include')
    .option('--repo <dir>', 'repository root (for the policy file)')
    .option('--no-color', 'plain text')
    .action(async (id: string, flags) => {
      const { explainCommand } = await import('./commands/catalog');
      process.exitCode = await explainCommand(id, flags);
    });

  program
    .command('schema')
    .description("print the manifest's JSON Schema (generated from the same definition the CLI validates with)")
    .option('--policy', 'print the schema of the repository policy file (.agent-ready.yaml) instead')
    .option('--evidence', 'print the schema of the evidence bundle (agent-ready gather) instead')
    .action(async (flags) => {
      const { schemaCommand } = await import('./commands/schema');
      process.exitCode = schemaCommand(flags);
    });

  program
    .command('init')
    .description('write a commented starter manifest (never overwrites)')
    .addOption(new Option('--provider <provider>', 'cloud of the identity').choices(['aws', 'azure', 'gcp']).default('aws'))
    .option('--name <name>', 'metadata.name of the deployment', 'agent-example-dev')
    .option('-o, --output <file>', 'where to write it', 'agent-ready.yaml')
    .action(async (flags) => {
      const { initCommand } = await import('./commands/init');
      process.exitCode = initCommand(flags);
    });

  return program;
}

async function main(argv: string[]): Promise<void> {
  // The cheapest path for the most frequent call in scripts.
  if (argv.length === 3 && (argv[2] === '--version' || argv[2] === '-V')) {
    process.stdout.write(`${toolVersion}\n`);
    return;
  }
  await (await buildProgram()).parseAsync(argv);
}

// In a scan worker thread (src/evidence/secrets/scan-repo.ts) this same file runs a scan, not the
// CLI. The worker says so in its argv: node:worker_threads is then loaded only in the worker.
if (process.argv.includes(scanWorkerFlag)) {
  void import('./evidence/secrets/scan-worker').then((m) => m.runScanWorker());
} else {
  runCli();
}

function runCli(): void {
// A reader that stops early (`| head`, `| jq -e` failing) closes the pipe: the rest of the
// report has nowhere to go, and the exit code the audit decided still stands.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
});
main(process.argv).catch(async (err: unknown) => {
  const { CommanderError } = await import('commander');
  if (err instanceof CommanderError) {
    // Help and version exit 0; every other commander complaint is bad usage.
    process.exitCode = err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
    return;
  }
  const { InputError } = await import('./manifest/input-error');
  // Messages may quote input (a key, a tag, a library's error text): never a credential.
  const { redactSecrets } = await import('./evidence/secrets/detector');
  if (err instanceof InputError) {
    // ...nor a control character that would drive the terminal (a key with an escape sequence).
    const { plainText } = await import('./report/plain-text');
    for (const line of err.message.split('\n')) process.stderr.write(`agent-ready: ${plainText(redactSecrets(line))}\n`);
    process.exitCode = 2;
    return;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`agent-ready: internal error: ${redactSecrets(message)}\n`);
  if (process.env.AGENT_READY_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  process.exitCode = 3;
});
}
