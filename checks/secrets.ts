// Decision 3, secrets: ephemeral by default. An agent should authenticate with short-lived
// tokens from its workload identity; the few static secrets that remain live in a vault,
// are referenced (never written) in the manifest, and rotate. No credential may sit in the
// manifest, in the files the agent loads, or anywhere in the repository. No rule here ever
// puts a secret in a message: only a family title and a 4-character preview.
import type { CheckModule, EvidenceRef, Rule, RuleContext } from '../src/engine/rule';
import type { SecretFinding } from '../src/evidence/repo/facts';
import { redact, scanText, scanValue, type SecretMatch } from '../src/evidence/secrets/detector';
import { isVaultReference } from '../src/evidence/secrets/placeholders';
import { formatSeconds, parseIsoDuration } from '../src/manifest/duration';

const references = {
  owaspSecrets: 'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html',
  owaspLlm02: 'https://genai.owasp.org/llmrisk/llm022025-sensitive-information-disclosure/',
  cwe798: 'https://cwe.mitre.org/data/definitions/798.html',
  nist80053: 'https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final',
  nist80057: 'https://csrc.nist.gov/pubs/sp/800/57/pt1/r5/final',
  githubSecretScanning: 'https://docs.github.com/en/code-security/secret-scanning/about-secret-scanning',
  gitignore: 'https://git-scm.com/docs/gitignore',
  awsSecretsManager: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/intro.html',
  awsRotation: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html',
  azureKeyVault: 'https://learn.microsoft.com/en-us/azure/key-vault/secrets/about-secrets',
  gcpSecretManager: 'https://cloud.google.com/secret-manager/docs/overview',
  vault: 'https://developer.hashicorp.com/vault/docs/secrets/kv',
  onePassword: 'https://developer.1password.com/docs/cli/secret-references/',
  externalSecrets: 'https://external-secrets.io/latest/',
  awsTempCredentials: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp.html',
  oauthBcp: 'https://www.rfc-editor.org/rfc/rfc9700',
  tokenExchange: 'https://www.rfc-editor.org/rfc/rfc8693',
};

/** How many findings a message spells out; the evidence lists them all. */
const listedInMessage = 10;

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function listFindings(items: string[]): string {
  const shown = items.slice(0, listedInMessage).join('; ');
  return items.length > listedInMessage ? `${shown}; and ${items.length - listedInMessage} more` : shown;
}

function repoEvidence(f: SecretFinding): EvidenceRef {
  return { source: 'repo', locator: f.path, line: f.line, column: f.column, detail: `${f.title} ${f.preview}` };
}

const describe = (f: SecretFinding): string => `${f.path}:${f.line} ${f.family} ${f.preview}`;

// ---------------------------------------------------------------------------------------
// AR-SE-001: the manifest itself.

type FieldPath = (string | number)[];

/** A field path for a message; a key that is itself a credential shows only its preview. */
function formatPath(path: FieldPath): string {
  let out = '';
  for (const part of path) {
    const shown = typeof part === 'string' && scanText(part).length > 0 ? redact(part) : part;
    out += typeof shown === 'number' ? `[${shown}]` : out ? `.${shown}` : shown;
  }
  return out || '(root)';
}

/**
 * Scan results per (key, value): a fleet's manifests repeat most of their strings (paths,
 * stores, owners), and the detector is pure, so each distinct string is scanned once per run.
 * Bounded, so a huge fleet cannot grow it without limit.
 */
const scanned = new Map<string, Map<string, readonly SecretMatch[]>>();
let scannedCount = 0;
const scannedLimit = 200_000;

function scanManifestString(value: string, key: string | undefined, isKey: boolean): readonly SecretMatch[] {
  const bucketKey = isKey ? '\u0001' : (key ?? '\u0000');
  let bucket = scanned.get(bucketKey);
  if (!bucket) scanned.set(bucketKey, (bucket = new Map()));
  let found = bucket.get(value);
  if (found === undefined) {
    found = isKey ? scanText(value) : scanValue(value, key);
    if (++scannedCount > scannedLimit) {
      scanned.clear();
      scannedCount = 0;
    }
    bucket.set(value, found);
  }
  return found;
}

/** Every string (and key) of the manifest, with the path copied only for a hit. */
function scanManifest(value: unknown, path: (string | number)[], key: string | undefined, hits: { path: FieldPath; match: SecretMatch; isKey?: boolean }[]): void {
  if (typeof value === 'string') {
    for (const match of scanManifestString(value, key, false)) hits.push({ path: [...path], match });
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      scanManifest(value[i], path, key, hits);
      path.pop();
    }
    return;
  }
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    // for..in over a parsed manifest (plain objects): no entry arrays for every object of every deployment.
    for (const k in record) {
      if (!Object.hasOwn(record, k)) continue;
      const v = record[k];
      // Keys are scanned too (vendor formats only: a key has no key above it to call it a secret).
      for (const match of scanManifestString(k, undefined, true)) hits.push({ path: [...path], match, isKey: true });
      path.push(k);
      scanManifest(v, path, k, hits);
      path.pop();
    }
  }
}

const se001: Rule = {
  meta: {
    id: 'AR-SE-001',
    area: 'secrets',
    severity: 'critical',
    title: 'No credential in the manifest',
    rationale:
      'A manifest is committed, reviewed, copied into tickets and shipped in bundles: a credential written into it is disclosed to everyone who can read the repository, and stays in git history after it is removed. Secrets belong in a vault, referenced by name.',
    passes: 'No string value anywhere in the manifest matches a credential format or is a high-entropy value under a secret-like key.',
    remediation: [
      'Revoke and rotate the exposed credential first (it is in git history), then replace the value with a vault reference:',
      '  secrets:',
      '    residual:',
      '      - { name: CRM_API_KEY, ref: "aws-sm://arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:crm-key", reason: ..., rotationDays: 30 }',
      '  runtime:',
      '    env: { CRM_API_KEY: "${secret:CRM_API_KEY}" }',
      'A value that only looks like a credential (a test fixture) can be marked with a trailing comment `# agent-ready:allow`.',
    ].join('\n'),
    references: [references.owaspSecrets, references.cwe798, references.owaspLlm02, references.githubSecretScanning],
  },
  evaluate(ctx) {
    const hits: { path: FieldPath; match: SecretMatch; isKey?: boolean }[] = [];
    scanManifest(ctx.manifest, [], undefined, hits);
    if (hits.length === 0) {
      return { status: 'pass', message: 'No credential in any string value or key of the manifest.' };
    }
    const items = hits.map((h) => `${h.isKey ? `a key under ${formatPath(h.path)}` : formatPath(h.path)}: ${h.match.title} ${h.match.preview}`);
    return {
      status: 'fail',
      message: `${plural(hits.length, 'credential')} in the manifest: ${listFindings(items)}.`,
      evidence: hits.map((h) => ctx.at(h.path, `${h.match.title} ${h.match.preview}`)),
    };
  },
};

// ---------------------------------------------------------------------------------------
// AR-SE-002: the files the agent loads at run time.

interface LoadedFile {
  path: string;
  field: FieldPath;
}

function loadedFiles(ctx: RuleContext): LoadedFile[] {
  const files: LoadedFile[] = (ctx.manifest.runtime?.configFiles ?? []).map((path, i) => ({ path, field: ['runtime', 'configFiles', i] }));
  const prompt = ctx.manifest.lifecycle?.prompt?.path;
  if (prompt) files.push({ path: prompt, field: ['lifecycle', 'prompt', 'path'] });
  const registry = ctx.manifest.lifecycle?.toolRegistry?.path;
  if (registry) files.push({ path: registry, field: ['lifecycle', 'toolRegistry', 'path'] });
  return files;
}

/** The repository scan read this file (so its findings are the file's findings). */
function scanCovers(ctx: RuleContext, path: string): boolean {
  const scan = ctx.repo.secretScan;
  const fact = ctx.repo.file(path);
  if (!scan || fact.kind !== 'file') return false;
  if (scan.mode === 'git' && !fact.tracked) return false;
  return !scan.skipped.some((s) => s.path === fact.path);
}

type FileVerdict = { findings: SecretFinding[] } | { missing: string } | { unreadable: string } | { unscanned: string; findings: SecretFinding[] };

/**
 * A listed directory: its files' findings from the repository scan. A file in it the scan
 * skipped as too large or unreadable is unchecked, so the directory cannot pass (binaries
 * and symlinks are skipped as in AR-SE-003). Directory entries carry no per-file tracked
 * flag, so an untracked file in a git-mode scan cannot be told apart here (see the report).
 */
function scanLoadedDir(ctx: RuleContext, dir: string, entries: string[]): FileVerdict {
  const scan = ctx.repo.secretScan!;
  const findings: SecretFinding[] = [];
  const unchecked: string[] = [];
  for (const entry of entries) {
    findings.push(...ctx.repo.secretsIn(entry));
    const key = ctx.repo.file(entry).path;
    if (scan.skipped.some((sk) => sk.path === key && (sk.reason === 'too-large' || sk.reason === 'unreadable'))) unchecked.push(key);
  }
  if (unchecked.length === 0) return { findings };
  const shown = unchecked.slice(0, listedInMessage).join(', ') + (unchecked.length > listedInMessage ? ', ...' : '');
  return { findings, unscanned: `${plural(unchecked.length, 'file')} in ${dir} went unscanned (too large or unreadable): ${shown}` };
}

function scanLoadedFile(ctx: RuleContext, path: string): FileVerdict {
  const fact = ctx.repo.file(path);
  if (scanCovers(ctx, path)) return { findings: ctx.repo.secretsIn(path) };
  if (fact.kind === 'dir' && ctx.repo.secretScan) return scanLoadedDir(ctx, fact.path, fact.entries ?? []);
  if (fact.kind === 'file' && fact.text !== undefined) {
    return { findings: scanText(fact.text).map((m) => ({ ...m, path: fact.path })) };
  }
  switch (fact.kind) {
    case 'missing':
      return { missing: `${fact.path} does not exist` };
    case 'dir':
      return { unreadable: `${fact.path} is a directory and the repository scan did not run` };
    case 'outside':
      return { unreadable: `${fact.path} is outside the repository${fact.error ? ` (${fact.error})` : ''}` };
    case 'unread':
      return { unreadable: `${fact.path} was not gathered` };
    default:
      return {
        unreadable: fact.tooLarge
          ? `${fact.path} is too large to read and the repository scan did not cover it`
          : `${fact.path} could not be read${fact.error ? ` (${fact.error})` : ''}`,
      };
  }
}

const se002: Rule = {
  meta: {
    id: 'AR-SE-002',
    area: 'secrets',
    severity: 'critical',
    title: 'No credential in the config files, prompt or tool registry',
    rationale:
      'The files an agent loads at run time are read by the model as well as by code: a key in a prompt or a tool registry can be echoed in an answer, written to a log or extracted by prompt injection, besides being in git for anyone with read access.',
    passes: 'No file in runtime.configFiles, nor the lifecycle.prompt.path or lifecycle.toolRegistry.path file, contains a credential.',
    remediation: [
      'Revoke and rotate the credential, remove it from the file, and have the runtime inject it from a vault instead:',
      '  runtime:',
      '    env: { CRM_API_KEY: "${secret:CRM_API_KEY}" }',
      'Tools should fetch their own credentials at call time (workload identity or a vault), never carry them in the registry or the prompt.',
    ].join('\n'),
    references: [references.owaspLlm02, references.owaspSecrets, references.cwe798],
    needs: ['repo-files'],
  },
  evaluate(ctx) {
    const files = loadedFiles(ctx);
    if (files.length === 0) {
      return { status: 'pass', message: 'The manifest names no config file, prompt or tool registry: nothing the agent loads to scan.' };
    }
    const findings: SecretFinding[] = [];
    const missing: { file: LoadedFile; why: string }[] = [];
    const unreadable: { file: LoadedFile; why: string }[] = [];
    const unscanned: { file: LoadedFile; why: string }[] = [];
    const seen = new Set<string>();
    for (const file of files) {
      const key = ctx.repo.file(file.path).path;
      if (seen.has(key)) continue;
      seen.add(key);
      const verdict = scanLoadedFile(ctx, file.path);
      if ('findings' in verdict) findings.push(...verdict.findings);
      if ('unscanned' in verdict) unscanned.push({ file, why: verdict.unscanned });
      else if ('missing' in verdict) missing.push({ file, why: verdict.missing });
      else if ('unreadable' in verdict) unreadable.push({ file, why: verdict.unreadable });
    }
    const scanned = seen.size - missing.length - unreadable.length;
    const notes = [...unreadable, ...unscanned, ...missing].map((u) => `${formatPath(u.file.field)}: ${u.why}`);
    const noteEvidence = [...unreadable, ...unscanned, ...missing].map((u) => ctx.at(u.file.field, u.why));
    if (findings.length > 0) {
      const tail = notes.length ? ` Not scanned: ${notes.join('; ')}.` : '';
      return {
        status: 'fail',
        message: `${plural(findings.length, 'credential')} in files the agent loads: ${listFindings(findings.map(describe))}.${tail}`,
        evidence: [...findings.map(repoEvidence), ...noteEvidence],
      };
    }
    // A file that exists but could not be read is an input the rule needed and did not get: error.
    if (unreadable.length > 0) {
      return { status: 'error', message: `Could not scan ${notes.join('; ')}.`, evidence: noteEvidence };
    }
    // A named file that does not exist cannot leak from this repository, yet whatever the
    // deployment loads in its place was not checked: warn rather than pass. Not fail or error:
    // the missing file is the lifecycle rules' failure (AR-LC-*), and nothing failed to run.
    if (missing.length > 0 || unscanned.length > 0) {
      return {
        status: 'warn',
        message: `No credential in the ${plural(scanned, 'file')} scanned, but ${notes.join('; ')}: what the agent loads there is unchecked.`,
        evidence: noteEvidence,
      };
    }
    return {
      status: 'pass',
      message: `No credential in ${[...seen].join(', ')} (${plural(scanned, 'file')} the agent loads).`,
    };
  },
};

// ---------------------------------------------------------------------------------------
// AR-SE-003: every tracked file.

const se003: Rule = {
  meta: {
    id: 'AR-SE-003',
    area: 'secrets',
    severity: 'high',
    title: 'No credential anywhere in the repository',
    rationale:
      'Credentials committed anywhere in the repository (a test, a script, a notebook) are as exposed as those in the manifest, and an agent with repository access can read and use them. Found early, they can be rotated before they are exploited.',
    passes: 'No file git tracks contains a credential (.gitignore is honoured and binaries are skipped). Outside a git repository, every file below the root is scanned.',
    remediation: [
      'For each finding: revoke and rotate the credential, remove it, and move it to a vault or the CI secret store.',
      'Purge it from history if the repository is shared (git filter-repo --replace-text), since the old commits still hold it.',
      'A deliberate test fixture can be kept by ending its line with `agent-ready:allow`.',
    ].join('\n'),
    references: [references.githubSecretScanning, references.cwe798, references.owaspSecrets, references.gitignore],
    needs: ['secret-scan'],
  },
  evaluate(ctx) {
    const scan = ctx.repo.secretScan;
    if (!scan) {
      return { status: 'error', message: `The repository secret scan did not run: ${ctx.repo.secretScanError ?? 'no reason was recorded'}.` };
    }
    const what =
      scan.mode === 'walk'
        ? `${plural(scan.filesScanned, 'file')} (mode walk: not a git repository, so every file below the root was scanned)`
        : `${plural(scan.filesScanned, 'git-tracked file')}`;
    // Too large or unreadable: text the scan did not read, so the rule cannot say it is clean.
    const tooLarge = scan.skipped.filter((s) => s.reason === 'too-large' || s.reason === 'unreadable');
    const skippedNote = scan.skipped.length
      ? ` Skipped ${plural(scan.skipped.length, 'file')}: ${(['binary', 'too-large', 'symlink', 'unreadable'] as const)
          .map((r) => [r, scan.skipped.filter((s) => s.reason === r).length] as const)
          .filter(([, n]) => n > 0)
          .map(([r, n]) => `${n} ${r}`)
          .join(', ')}.`
      : '';
    if (scan.findings.length > 0) {
      const files = new Set(scan.findings.map((f) => f.path)).size;
      return {
        status: 'fail',
        message: `${plural(scan.findings.length, 'credential')} in ${plural(files, 'file')} of ${what}: ${listFindings(scan.findings.map(describe))}.${skippedNote}`,
        evidence: scan.findings.map(repoEvidence),
      };
    }
    // A text file over the size cap was not read: the rule cannot say it holds no credential.
    if (tooLarge.length > 0) {
      return {
        status: 'warn',
        message: `No credential in ${what}, but ${plural(tooLarge.length, 'file')} over the size cap or unreadable went unscanned: ${tooLarge
          .slice(0, listedInMessage)
          .map((s) => s.path)
          .join(', ')}${tooLarge.length > listedInMessage ? ', ...' : ''}.`,
        evidence: tooLarge.map((s) => ({ source: 'repo', locator: s.path, detail: s.reason === 'too-large' ? 'too large to scan' : 'could not be read' })),
      };
    }
    return { status: 'pass', message: `No credential in ${what}.${skippedNote}` };
  },
};

// ---------------------------------------------------------------------------------------
// AR-SE-004..006: the residual secrets and the token lifetime.

const secretPlaceholder = /\$\{secret:([^}]*)\}/g;

const se004: Rule = {
  meta: {
    id: 'AR-SE-004',
    area: 'secrets',
    severity: 'high',
    title: 'Residual secrets are vault references',
    rationale:
      'A secret the agent cannot avoid must come from a vault at run time, so it can be rotated and revoked in one place and every read is logged. A reference that names no vault, or an environment placeholder that names no declared secret, leaves the value to be pasted in somewhere.',
    passes:
      'Every secrets.residual[].ref is a recognised vault reference (vault://, aws-sm://, Secrets Manager or SSM ARNs, azure-kv:// or a Key Vault URL, gcp-sm:// or projects/P/secrets/S, op://, k8s-secret://) and every ${secret:NAME} in runtime.env names a residual entry.',
    remediation: [
      'Point each residual secret at its vault and reference it by name from the environment:',
      '  secrets:',
      '    residual:',
      '      - name: CRM_API_KEY',
      '        ref: aws-sm://arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:crm-key',
      '  runtime:',
      '    env: { CRM_API_KEY: "${secret:CRM_API_KEY}" }',
    ].join('\n'),
    references: [references.owaspSecrets, references.awsSecretsManager, references.azureKeyVault, references.gcpSecretManager, references.vault, references.onePassword, references.externalSecrets],
  },
  evaluate(ctx) {
    const residual = ctx.manifest.secrets?.residual ?? [];
    const problems: string[] = [];
    const evidence: EvidenceRef[] = [];
    residual.forEach((r, i) => {
      if (r.ref === undefined || r.ref.trim() === '') {
        problems.push(`secrets.residual[${i}] (${r.name}) has no ref`);
        evidence.push(ctx.at(['secrets', 'residual', i], 'no ref'));
      } else if (!isVaultReference(r.ref)) {
        // Never echo the ref itself: a value that is not a reference may be the secret.
        problems.push(`secrets.residual[${i}].ref (${r.name}) is not a recognised vault reference`);
        evidence.push(ctx.at(['secrets', 'residual', i, 'ref'], 'not a vault reference'));
      }
    });
    const names = new Set(residual.map((r) => r.name));
    const used: string[] = [];
    for (const [key, value] of Object.entries(ctx.manifest.runtime?.env ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (typeof value !== 'string') continue;
      for (const m of value.matchAll(secretPlaceholder)) {
        const name = m[1]!.trim();
        used.push(name);
        if (!names.has(name)) {
          problems.push(`runtime.env.${key} uses \${secret:${name}} but secrets.residual has no entry named ${name || '(empty)'}`);
          evidence.push(ctx.at(['runtime', 'env', key], `\${secret:${name}} undeclared`));
        }
      }
    }
    if (problems.length > 0) {
      return { status: 'fail', message: `${problems.join('; ')}.`, evidence };
    }
    if (residual.length === 0 && used.length === 0) {
      return { status: 'pass', message: 'No residual secrets and no ${secret:...} references in runtime.env.' };
    }
    return {
      status: 'pass',
      message: `All ${plural(residual.length, 'residual secret')} resolve to a vault${used.length ? `, and the ${plural(used.length, 'runtime.env reference')} name declared entries` : ''}.`,
    };
  },
};

const maxRotationDays = 90;

const se005: Rule = {
  meta: {
    id: 'AR-SE-005',
    area: 'secrets',
    severity: 'medium',
    title: 'Residual secrets are justified and rotate within 90 days',
    rationale:
      'Every static secret is an exception to ephemeral credentials: recording why it exists lets a reviewer retire it when the system behind it gains federation, and rotating it at least quarterly bounds how long a leaked copy stays useful.',
    passes: `Every secrets.residual entry has a non-empty reason and rotationDays of at most ${maxRotationDays}. No residual entries passes.`,
    remediation: [
      'Give each residual secret a reason and a rotation period, and configure the vault to rotate it:',
      '  - { name: CRM_API_KEY, ref: ..., reason: "CRM does not support OIDC yet", rotationDays: 30 }',
      '  aws secretsmanager rotate-secret --secret-id crm-key --rotation-rules AutomaticallyAfterDays=30',
    ].join('\n'),
    references: [references.nist80057, references.awsRotation, references.owaspSecrets],
  },
  evaluate(ctx) {
    const residual = ctx.manifest.secrets?.residual ?? [];
    if (residual.length === 0) return { status: 'pass', message: 'secrets.residual is empty: no static secret to justify or rotate.' };
    const problems: string[] = [];
    const evidence: EvidenceRef[] = [];
    residual.forEach((r, i) => {
      if (!r.reason?.trim()) {
        problems.push(`secrets.residual[${i}] (${r.name}) has no reason`);
        evidence.push(ctx.at(['secrets', 'residual', i], 'no reason'));
      }
      if (r.rotationDays === undefined) {
        problems.push(`secrets.residual[${i}] (${r.name}) has no rotationDays`);
        evidence.push(ctx.at(['secrets', 'residual', i], 'no rotationDays'));
      } else if (r.rotationDays > maxRotationDays) {
        problems.push(`secrets.residual[${i}].rotationDays (${r.name}) is ${r.rotationDays}; at most ${maxRotationDays} allowed`);
        evidence.push(ctx.at(['secrets', 'residual', i, 'rotationDays'], `${r.rotationDays} days`));
      }
    });
    if (problems.length > 0) return { status: 'fail', message: `${problems.join('; ')}.`, evidence };
    const longest = Math.max(...residual.map((r) => r.rotationDays ?? 0));
    return {
      status: 'pass',
      message: `All ${plural(residual.length, 'residual secret')} have a reason and rotate within ${longest} days (at most ${maxRotationDays}).`,
    };
  },
};

const maxTokenSeconds = 3600;

const se006: Rule = {
  meta: {
    id: 'AR-SE-006',
    area: 'secrets',
    severity: 'high',
    title: 'Access tokens live at most one hour',
    rationale:
      "An agent's tokens are its working credentials; a stolen token is usable until it expires. One hour bounds the damage of a leak through a log, a prompt injection or a compromised tool, while workload identity renews tokens without anyone handling them.",
    passes: 'secrets.tokenLifetime is set and is at most PT1H.',
    remediation: [
      'Issue short-lived tokens from the workload identity and declare their lifetime:',
      '  secrets:',
      '    tokenLifetime: PT1H',
      'e.g. aws iam update-role --role-name <role> --max-session-duration 3600, or an Entra ID token lifetime policy.',
    ].join('\n'),
    references: [references.awsTempCredentials, references.oauthBcp, references.tokenExchange, references.nist80053],
  },
  evaluate(ctx) {
    const lifetime = ctx.manifest.secrets?.tokenLifetime;
    const field = ['secrets', 'tokenLifetime'];
    if (lifetime === undefined) {
      return {
        status: 'fail',
        message: 'secrets.tokenLifetime is not set: the manifest does not bound how long the agent tokens live.',
        evidence: [ctx.at(ctx.manifest.secrets ? ['secrets'] : [])],
      };
    }
    const seconds = parseIsoDuration(lifetime);
    if (seconds === undefined) {
      return { status: 'fail', message: `secrets.tokenLifetime ${lifetime} is not an ISO 8601 duration.`, evidence: [ctx.at(field)] };
    }
    if (seconds > maxTokenSeconds) {
      return {
        status: 'fail',
        message: `secrets.tokenLifetime ${lifetime} is ${formatSeconds(seconds)}; at most PT1H (1 h) allowed.`,
        evidence: [ctx.at(field)],
      };
    }
    return { status: 'pass', message: `secrets.tokenLifetime ${lifetime} (${formatSeconds(seconds)}) is within PT1H.`, evidence: [ctx.at(field)] };
  },
};

export default { name: 'secrets', rules: [se001, se002, se003, se004, se005, se006] } satisfies CheckModule;
