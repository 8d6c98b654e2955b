// Scaling, guarded without timing: the work a run does (bytes and files scanned, detector
// regex runs, files read, git processes, cloud API calls) is counted on a small and a 4x
// larger generated input, and must grow linearly, or not at all where it should be shared.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runAudit } from '../../src/engine/run';
import { resetWorkCounters, workCounters, type WorkCounters } from '../../src/engine/work-counters';
import { gatherAws } from '../../src/evidence/aws/provider';
import { CallCounter } from '../../src/evidence/cloud/call-counter';
import { projectRoot } from '../helpers/cli';
import { el, members, paging, startIamQueryServer, type IamQueryServer } from '../helpers/iam-query-server';
import { gatherAzure } from '../../src/evidence/azure/provider';
import { gatherGcp } from '../../src/evidence/gcp/provider';
import { startGraphServer, type GraphTenant } from '../helpers/graph-server';
import { startGcpServer, type GcpWorld } from '../helpers/gcp-server';

const made: string[] = [];
const fresh = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), `agent-ready-scaling-${name}-`));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) {
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}/repo.truth.json`, { force: true });
  }
});

const generators = async () => ({
  repo: (await import(pathToFileURL(join(projectRoot, 'bench/generate/repo.mjs')).href)) as { generateRepo(o: { dir: string; sizeMB: number; seed: number }): Promise<{ dir: string; bytes: number; trackedFiles: string[] }> },
  fleet: (await import(pathToFileURL(join(projectRoot, 'bench/generate/fleet.mjs')).href)) as { generateFleet(o: { dir: string; count: number; seed: number }): Promise<{ dir: string; manifests: string[] }> },
});

async function countAudit(opts: { paths: string[]; cwd: string; only?: string[] }): Promise<WorkCounters & { findings: number }> {
  resetWorkCounters();
  const report = await runAudit({ ...opts, mode: 'offline', now: new Date('2026-11-25T00:00:00Z'), version: 'test' });
  return { ...workCounters, findings: report.deployments.reduce((n, d) => n + d.findings.length, 0) };
}

const ratio = (big: number, small: number) => big / small;

describe('the repository scan grows linearly with the repository', () => {
  let small: WorkCounters & { findings: number; bytes: number };
  let large: WorkCounters & { findings: number; bytes: number };
  beforeAll(async () => {
    const { repo } = await generators();
    const a = await repo.generateRepo({ dir: join(fresh('repo-1'), 'repo'), sizeMB: 1, seed: 7 });
    const b = await repo.generateRepo({ dir: join(fresh('repo-4'), 'repo'), sizeMB: 4, seed: 7 });
    small = { ...(await countAudit({ paths: ['agent-ready.yaml'], cwd: a.dir, only: ['secrets'] })), bytes: a.bytes };
    large = { ...(await countAudit({ paths: ['agent-ready.yaml'], cwd: b.dir, only: ['secrets'] })), bytes: b.bytes };
  }, 120_000);

  it('scans every byte of the text files once: bytes scanned ~4x, files ~4x', () => {
    expect(small.bytesScanned).toBeGreaterThan(0.5 * small.bytes);
    expect(small.bytesScanned).toBeLessThanOrEqual(small.bytes);
    expect(ratio(large.bytesScanned, small.bytesScanned)).toBeGreaterThan(3.2);
    expect(ratio(large.bytesScanned, small.bytesScanned)).toBeLessThan(4.8);
    expect(ratio(large.filesScanned, small.filesScanned)).toBeGreaterThan(3);
    expect(ratio(large.filesScanned, small.filesScanned)).toBeLessThan(5);
  });

  it('runs the detector regexes in proportion to the text (no quadratic re-scan)', () => {
    expect(ratio(large.regexRuns, small.regexRuns)).toBeGreaterThan(2.5);
    expect(ratio(large.regexRuns, small.regexRuns)).toBeLessThan(5.5);
    // Regexes run near candidates only: far fewer runs than bytes.
    expect(large.regexRuns).toBeLessThan(large.bytesScanned / 100);
  });

  it('spawns the same few git processes whatever the size', () => {
    expect(small.gitProcesses).toBeGreaterThan(0);
    expect(large.gitProcesses).toBe(small.gitProcesses);
  });
});

describe('a fleet shares its repository work', () => {
  let small: WorkCounters & { findings: number };
  let large: WorkCounters & { findings: number };
  beforeAll(async () => {
    const { fleet } = await generators();
    const a = await fleet.generateFleet({ dir: join(fresh('fleet-10'), 'fleet'), count: 10, seed: 3 });
    const b = await fleet.generateFleet({ dir: join(fresh('fleet-40'), 'fleet'), count: 40, seed: 3 });
    small = await countAudit({ paths: ['.'], cwd: a.dir });
    large = await countAudit({ paths: ['.'], cwd: b.dir });
  }, 120_000);

  it('judges every deployment: findings 4x', () => {
    expect(ratio(large.findings, small.findings)).toBeCloseTo(4, 5);
  });

  it('reads shared files once, not once per deployment; scans the repository once; git processes constant', () => {
    // Each deployment may bring its own files (its audit sample); shared ones are read once.
    expect(large.filesRead).toBeLessThan(4 * small.filesRead);
    expect(large.gitProcesses).toBe(small.gitProcesses);
    expect(ratio(large.bytesScanned, small.bytesScanned)).toBeLessThan(4.5);
  });
});

describe('live gathering fetches each distinct role and policy once', () => {
  let server: IamQueryServer;
  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = 'testing';
    process.env.AWS_SECRET_ACCESS_KEY = 'testing';
    server = await startIamQueryServer();
    const policy = (n: number) => `arn:aws:iam::123456789012:policy/shared-${n}`;
    server.on('GetRole', (p) => ({
      result: `<Role>${el('RoleName', p.get('RoleName') ?? '')}${el('Arn', `arn:aws:iam::123456789012:role/${p.get('RoleName')}`)}${el('RoleId', 'AROAEXAMPLE')}${el('Path', '/')}${el('CreateDate', '2026-01-01T00:00:00Z')}${el('AssumeRolePolicyDocument', encodeURIComponent('{"Statement":[]}'))}${el('MaxSessionDuration', 3600)}</Role>`,
    }));
    server.on('ListAttachedRolePolicies', { result: members('AttachedPolicies', [0, 1, 2].map((n) => el('PolicyArn', policy(n)) + el('PolicyName', `shared-${n}`))) + paging(undefined) });
    server.on('ListRolePolicies', { result: members('PolicyNames', []) + paging(undefined) });
    server.on('GetPolicy', (p) => ({ result: `<Policy>${el('Arn', p.get('PolicyArn') ?? '')}${el('DefaultVersionId', 'v1')}</Policy>` }));
    server.on('GetPolicyVersion', { result: `<PolicyVersion>${el('Document', encodeURIComponent('{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}'))}${el('VersionId', 'v1')}${el('IsDefaultVersion', 'true')}</PolicyVersion>` });
    server.on('ListUsers', { result: members('Users', []) + paging(undefined) });
  });
  afterAll(async () => {
    await server.close();
  });

  async function gather(n: number) {
    const counter = new CallCounter();
    resetWorkCounters();
    const targets = Array.from({ length: n }, (_, i) => ({ roleArn: `arn:aws:iam::123456789012:role/agent-${n}-${i}-prod`, deployment: `agent-${n}-${i}-prod` }));
    const result = await gatherAws(targets, { endpoint: server.endpoint, region: 'us-east-1', counter });
    expect(result.identities.every((i) => i.errors.length === 0)).toBe(true);
    return { calls: counter.snapshot(), total: workCounters.apiCalls };
  }

  it('roles 4x: GetRole 4x, shared policies still once each, users listed once', async () => {
    const a = await gather(5);
    const b = await gather(20);
    expect(a.calls['iam:GetRole']).toBe(5);
    expect(b.calls['iam:GetRole']).toBe(20);
    for (const c of [a.calls, b.calls]) {
      expect(c['iam:GetPolicy']).toBe(3);
      expect(c['iam:GetPolicyVersion']).toBe(3);
      expect(c['iam:ListUsers']).toBe(1);
    }
    // Total calls: 3 per role plus a constant.
    expect(b.total - a.total).toBe(15 * 3);
  });
});

describe('live gathering fetches each distinct application, service account and project once', () => {
  type Fleet<W> = { refs: string[]; expected: Record<string, number> } & W;
  const cloudFakes = async () =>
    (await import(pathToFileURL(join(projectRoot, 'bench/lib/cloud-fakes.mjs')).href)) as {
      azureTenant(n: number): Fleet<{ tenant: GraphTenant }>;
      gcpWorld(n: number): Fleet<{ world: GcpWorld }>;
    };

  /** Calls of a run with n identities, and the difference to one with 4n: per identity, plus shared ones once. */
  async function grows(gather: (n: number) => Promise<{ calls: Record<string, number>; total: number; expected: Record<string, number> }>) {
    const a = await gather(5);
    const b = await gather(20);
    expect(a.calls).toEqual(a.expected);
    expect(b.calls).toEqual(b.expected);
    return { a, b };
  }

  it('Entra apps 4x: each app, its credentials and service principal 4x; Microsoft Graph resolved once', async () => {
    const { azureTenant } = await cloudFakes();
    const { a, b } = await grows(async (n) => {
      const fleet = azureTenant(n);
      const server = await startGraphServer(fleet.tenant, { token: 't' });
      try {
        const counter = new CallCounter();
        resetWorkCounters();
        const result = await gatherAzure(fleet.refs.map((ref) => ({ ref, field: 'applicationId' as const })), { graphUrl: server.url, token: 't', counter });
        expect(result.identities.every((i) => i.errors.length === 0 && i.exists)).toBe(true);
        return { calls: counter.snapshot(), total: workCounters.apiCalls, expected: fleet.expected };
      } finally {
        await server.close();
      }
    });
    // Five calls per app plus the shared resource once.
    expect(b.total - a.total).toBe(15 * 5);
    expect(a.calls['graph:servicePrincipals.get']).toBe(5 + 1);
  });

  it('GCP service accounts 4x: each account 4x; project policy, labels, deny policies and the pool once', async () => {
    process.env.METADATA_SERVER_DETECTION = 'none';
    const { gcpWorld } = await cloudFakes();
    const { a, b } = await grows(async (n) => {
      const fleet = gcpWorld(n);
      const server = await startGcpServer(fleet.world, { token: 't' });
      try {
        const counter = new CallCounter();
        resetWorkCounters();
        const result = await gatherGcp(fleet.refs.map((ref) => ({ ref })), { iamUrl: server.url, crmUrl: server.url, token: 't', counter });
        expect(result.identities.every((i) => i.errors.length === 0 && i.exists)).toBe(true);
        return { calls: counter.snapshot(), total: workCounters.apiCalls, expected: fleet.expected };
      } finally {
        await server.close();
      }
    });
    expect(b.total - a.total).toBe(15 * 3);
    expect(b.calls['cloudresourcemanager:projects.getIamPolicy']).toBe(1);
  });
});
