// Repository facts: what the rules may know about the repository, gathered once per run
// (src/evidence/repo/gather.ts) and then read without I/O. Parsed views (pipelines,
// playbooks, audit samples, JSON Schemas, CODEOWNERS) are computed on first use and
// memoised, so a fleet of manifests sharing one playbook parses it once.
import { parseCodeowners, type Codeowners } from './codeowners';
import { parsePipeline, type Pipeline } from './pipeline';
import { sectionPlaybook, type PlaybookSection } from './playbook';
import { parseAuditSample, type AuditSample } from './audit-sample';
import { parseJsonSchema, type JsonSchemaDoc } from './json-schema';
import type { SecretMatch } from '../secrets/detector';
import { parseToolRegistry, type ToolRegistry } from './tool-registry';

export type FileKind = 'file' | 'dir' | 'missing' | 'outside' | 'unreadable' | 'unread';

export interface FileFact {
  /** Repo-relative POSIX path, as the manifest wrote it (normalised). */
  path: string;
  kind: FileKind;
  size?: number;
  /** UTF-8 content, for files up to the read cap. */
  text?: string;
  /** Larger than the read cap: exists, but its content was not read. */
  tooLarge?: boolean;
  /** Git tracks it (always false outside a git repository). */
  tracked: boolean;
  /** It has an uncommitted change (staged, unstaged, or untracked). */
  modified: boolean;
  /** For directories: the files below it (repo-relative), up to a cap. */
  entries?: string[];
  /** Why it could not be read, or why it is `outside` (a symlink leaving the repository). */
  error?: string;
}

export interface SecretFinding extends SecretMatch {
  /** Repo-relative path of the file. */
  path: string;
}

export interface SecretScanSummary {
  /** `git`: the files git tracks; `walk`: not a git repository, every file below the root. */
  mode: 'git' | 'walk';
  findings: SecretFinding[];
  filesScanned: number;
  bytesScanned: number;
  skipped: { path: string; reason: 'binary' | 'too-large' | 'unreadable' | 'symlink' }[];
}

export interface GitState {
  isRepo: boolean;
  /** Why git could not be asked (not installed, not a repository). */
  error?: string;
}

export interface RepoFactsData {
  root: string;
  git: GitState;
  files: Record<string, FileFact>;
  secretScan?: SecretScanSummary;
  /** Set when the secret scan was needed but failed. */
  secretScanError?: string;
}

/** Normalise a manifest path to the key used for facts: POSIX, no `./`, no trailing slash. */
/** Normalised paths, by path as written: a fleet asks for the same few paths thousands of times. */
const factKeys = new Map<string, string>();

/** What factKey would change: a backslash, an empty, `.` or `..` segment. Git's own paths have none. */
const notNormal = /\\|\/\/|^\/|\/$|(?:^|\/)\.\.?(?:\/|$)/;

export function factKey(path: string): string {
  if (!notNormal.test(path)) return path;
  let key = factKeys.get(path);
  if (key === undefined) {
    const parts: string[] = [];
    for (const part of path.replace(/\\/g, '/').split('/')) {
      if (part === '' || part === '.') continue;
      if (part === '..') parts.pop();
      else parts.push(part);
    }
    key = parts.join('/');
    if (factKeys.size < 100_000) factKeys.set(path, key);
  }
  return key;
}

/** Where GitHub looks for CODEOWNERS, in its order of precedence. */
export const codeownersLocations = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;

/**
 * Parsed files kept per repository, of each kind. A fleet of a thousand deployments, each with
 * its own audit sample, would otherwise keep every parsed event alive to the end of the run
 * (tens of MB the garbage collector copies again and again); what deployments share is used
 * again soon.
 */
const parsedKept = 64;

export class RepoFacts {
  readonly root: string;
  readonly git: GitState;
  readonly secretScan?: SecretScanSummary;
  readonly secretScanError?: string;
  private readonly files: Record<string, FileFact>;
  private readonly memo = new Map<string, Map<string, unknown>>();
  private secretsByPath?: Map<string, SecretFinding[]>;

  constructor(data: RepoFactsData) {
    this.root = data.root;
    this.git = data.git;
    this.files = data.files;
    this.secretScan = data.secretScan;
    this.secretScanError = data.secretScanError;
  }

  /** The fact for a path. A path nobody asked to gather is `unread` (a bug in a rule's needs). */
  file(path: string): FileFact {
    const key = factKey(path);
    return this.files[key] ?? { path: key, kind: 'unread', tracked: false, modified: false };
  }

  /** Every gathered path, sorted (for deterministic output). */
  paths(): string[] {
    return Object.keys(this.files).sort();
  }

  private parsed<T>(kind: string, path: string, parse: (text: string, key: string) => T): T | undefined {
    const fact = this.file(path);
    if (fact.kind !== 'file' || fact.text === undefined) return undefined;
    // By kind, then by the fact's own path string: no key string is built (and hashed) per call.
    let memo = this.memo.get(kind);
    if (!memo) this.memo.set(kind, (memo = new Map()));
    if (memo.has(fact.path)) {
      const value = memo.get(fact.path) as T;
      // Most recently used last: what the fleet shares stays, a deployment's own file goes.
      memo.delete(fact.path);
      memo.set(fact.path, value);
      return value;
    }
    const value = parse(fact.text, fact.path);
    memo.set(fact.path, value);
    if (memo.size > parsedKept) memo.delete(memo.keys().next().value!);
    return value;
  }

  pipeline(path: string): Pipeline | undefined {
    return this.parsed('pipeline', path, (text, key) => parsePipeline(key, text));
  }

  playbook(path: string): PlaybookSection[] | undefined {
    return this.parsed('playbook', path, (text) => sectionPlaybook(text));
  }

  auditSample(path: string): AuditSample | undefined {
    return this.parsed('audit-sample', path, (text) => parseAuditSample(text));
  }

  jsonSchema(path: string): JsonSchemaDoc | undefined {
    return this.parsed('json-schema', path, (text) => parseJsonSchema(text));
  }

  toolRegistry(path: string): ToolRegistry | undefined {
    return this.parsed('tool-registry', path, (text) => parseToolRegistry(text));
  }

  codeowners(path: string): Codeowners | undefined {
    return this.parsed('codeowners', path, (text) => parseCodeowners(text));
  }

  /** Secret-scan findings in one file (from the repository scan). */
  secretsIn(path: string): SecretFinding[] {
    if (!this.secretScan) return [];
    let byPath = this.secretsByPath;
    if (!byPath) {
      byPath = new Map();
      for (const f of this.secretScan.findings) {
        // Appended in place: a copy per finding was quadratic in a file's findings.
        const list = byPath.get(f.path);
        if (list) list.push(f);
        else byPath.set(f.path, [f]);
      }
      this.secretsByPath = byPath;
    }
    return byPath.get(factKey(path)) ?? [];
  }
}
