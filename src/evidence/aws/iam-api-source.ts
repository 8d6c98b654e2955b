// The live IAM API through @aws-sdk/client-iam (imported here only, and this module only
// when an AWS deployment is really gathered). Every answer is memoised for the run, so a
// fleet sharing policies fetches each once; calls run under one concurrency limit; the SDK
// retries throttling with backoff, and what does not clear becomes an AwsCallFailure.
import type { IAMClientConfig } from '@aws-sdk/client-iam';
import type { GatherTopic } from '../model';
import { createLimiter, type Limiter } from '../cloud/limiter';
import { CallCounter } from '../cloud/call-counter';
import { AwsCallFailure, tagList, type AwsAccessKeyFacts, type AwsIamSource, type AwsInlinePolicy, type AwsPolicyRef, type AwsRoleFacts, type AwsUserFacts } from './source';
import { importModule } from '../../dynamic-import';
import { workCounters } from '../../engine/work-counters';

type Sdk = typeof import('@aws-sdk/client-iam');

/** The one method of IAMClient the source uses (commands are the SDK's own). */
export interface IamClientLike {
  send(command: object): Promise<unknown>;
}

export interface IamApiOptions {
  profile?: string;
  region?: string;
  /** AGENT_READY_AWS_ENDPOINT: an IAM-compatible endpoint (tests, emulators, proxies). */
  endpoint?: string;
  /** Per attempt, in milliseconds. */
  timeoutMs?: number;
  maxAttempts?: number;
  concurrency?: number;
  /** Tests inject a client (for instance one whose endpoint answers with faults). */
  client?: IamClientLike;
  counter?: CallCounter;
}

export const defaultAwsTimeoutMs = 10_000;

/** IAM is global, but its endpoint depends on the partition the role lives in. */
export function defaultRegionFor(roleArn: string | undefined): string {
  const partition = /^arn:([^:]+):/.exec(roleArn ?? '')?.[1];
  if (partition === 'aws-cn') return 'cn-north-1';
  if (partition === 'aws-us-gov') return 'us-gov-west-1';
  return 'us-east-1';
}

const throttlingCodes = new Set(['Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException', 'RequestThrottled', 'RequestThrottledException', 'SlowDown']);
const deniedCodes = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess', 'InvalidClientTokenId', 'SignatureDoesNotMatch', 'ExpiredToken', 'ExpiredTokenException']);

interface SdkError {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** Turns whatever the SDK threw into a failure that names the call, the permission and what it covered. */
export function failureFrom(err: unknown, call: string, covers: GatherTopic[]): AwsCallFailure {
  const e = (err ?? {}) as SdkError;
  const name = e.name ?? e.Code ?? e.code ?? 'Error';
  const message = (e.message ?? String(err)).replace(/\s+/g, ' ').trim();
  if (name === 'CredentialsProviderError' || /could not load credentials|credential.*not found/i.test(message)) {
    return new AwsCallFailure(call, 'NoCredentials', 'no AWS credentials were found (set AWS_PROFILE or pass --aws-profile, or audit with --offline or --evidence)', call, covers);
  }
  if (throttlingCodes.has(name) || e.$metadata?.httpStatusCode === 429) {
    return new AwsCallFailure(call, 'Throttling', 'throttled, and still throttled after the retries with backoff; re-run later or lower --concurrency', call, covers);
  }
  if (name === 'TimeoutError' || name === 'AbortError' || /timed? ?out|ETIMEDOUT/i.test(message)) {
    return new AwsCallFailure(call, 'Timeout', `no answer within the per-call timeout; re-run, or raise --timeout (${message})`, call, covers);
  }
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH/.test(`${(err as { code?: string })?.code ?? ''} ${message}`)) {
    return new AwsCallFailure(call, 'Unreachable', `the IAM endpoint could not be reached (${message})`, call, covers);
  }
  if (/ECONNRESET|socket hang up/i.test(`${(err as { code?: string })?.code ?? ''} ${message}`)) {
    return new AwsCallFailure(call, 'ConnectionReset', `the IAM endpoint dropped the connection, and the retries did too (${message})`, call, covers);
  }
  if (deniedCodes.has(name) || e.$metadata?.httpStatusCode === 403) {
    const code = name === 'AccessDeniedException' ? 'AccessDenied' : name;
    return new AwsCallFailure(call, code, message || 'access denied', call, covers);
  }
  // A non-XML answer (a proxy's 501 page) parses to a bare "Error": the HTTP status says more.
  const status = e.$metadata?.httpStatusCode;
  const code = name === 'Error' && status ? `HTTP${status}` : name;
  return new AwsCallFailure(call, code, message || code, call, covers);
}

function isNoSuchEntity(err: unknown): boolean {
  const name = (err as SdkError)?.name;
  return name === 'NoSuchEntityException' || name === 'NoSuchEntity';
}

function iso(date: Date | string | undefined): string | undefined {
  if (date === undefined) return undefined;
  const d = date instanceof Date ? date : new Date(date);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export class IamApiSource implements AwsIamSource {
  readonly label = 'the IAM API';
  private readonly memo = new Map<string, Promise<unknown>>();
  private readonly limit: Limiter;
  readonly counter: CallCounter;

  private constructor(
    private readonly sdk: Sdk,
    private readonly client: IamClientLike,
    opts: IamApiOptions,
  ) {
    this.limit = createLimiter(opts.concurrency ?? 8);
    this.counter = opts.counter ?? new CallCounter();
  }

  static async create(opts: IamApiOptions, roleArn?: string): Promise<IamApiSource> {
    // The SDK warns on every Node 20 start; users cannot act on it inside an audit report.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const sdk = await importModule<Sdk>('@aws-sdk/client-iam');
    const timeoutMs = opts.timeoutMs ?? defaultAwsTimeoutMs;
    const config: IAMClientConfig = {
      region: opts.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? defaultRegionFor(roleArn),
      maxAttempts: opts.maxAttempts ?? 5,
      retryMode: 'standard',
      // Without throwOnRequestTimeout the handler only logs a warning and waits for the socket.
      requestHandler: { requestTimeout: timeoutMs, connectionTimeout: timeoutMs, throwOnRequestTimeout: true },
      ...(opts.profile ? { profile: opts.profile } : {}),
      ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    };
    return new IamApiSource(sdk, opts.client ?? (new sdk.IAMClient(config) as unknown as IamClientLike), opts);
  }

  /** One call, once per run, under the concurrency limit. */
  private once<T>(key: string, run: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = run();
      this.memo.set(key, p);
    }
    return p;
  }

  private async send<T>(call: string, covers: GatherTopic[], command: object): Promise<T> {
    return this.limit(async () => {
      this.counter.count(call);
      workCounters.apiCalls += 1;
      try {
        return (await this.client.send(command)) as T;
      } catch (err) {
        throw isNoSuchEntity(err) ? err : failureFrom(err, call, covers);
      }
    });
  }

  /** Pages through a marker-paged IAM listing. */
  private async pages<T, R extends { IsTruncated?: boolean; Marker?: string }>(call: string, covers: GatherTopic[], make: (marker?: string) => object, pick: (r: R) => T[]): Promise<T[]> {
    const out: T[] = [];
    let marker: string | undefined;
    for (let page = 0; page < 10_000; page++) {
      const r = await this.send<R>(call, covers, make(marker));
      out.push(...pick(r));
      if (!r.IsTruncated || !r.Marker) break;
      marker = r.Marker;
    }
    return out;
  }

  getRole(name: string): Promise<AwsRoleFacts | undefined> {
    return this.once(`role:${name.toLowerCase()}`, async () => {
      const covers: GatherTopic[] = ['existence', 'trust', 'tags', 'boundary', 'session'];
      try {
        const { Role: role } = await this.send<import('@aws-sdk/client-iam').GetRoleCommandOutput>('iam:GetRole', covers, new this.sdk.GetRoleCommand({ RoleName: name }));
        if (!role) throw new AwsCallFailure('iam:GetRole', 'EmptyResponse', 'GetRole answered without a role', 'iam:GetRole', covers);
        return {
          arn: role.Arn ?? '',
          name: role.RoleName ?? name,
          assumeRolePolicy: role.AssumeRolePolicyDocument,
          tags: tagList(role.Tags),
          ...(role.MaxSessionDuration !== undefined ? { maxSessionSeconds: role.MaxSessionDuration } : {}),
          permissionsBoundary: role.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
          lastUsed: iso(role.RoleLastUsed?.LastUsedDate) ?? null,
        };
      } catch (err) {
        if (isNoSuchEntity(err)) return undefined;
        throw err;
      }
    });
  }

  listAttachedRolePolicies(roleName: string): Promise<AwsPolicyRef[]> {
    return this.once(`attached:${roleName.toLowerCase()}`, () =>
      this.pages<AwsPolicyRef, import('@aws-sdk/client-iam').ListAttachedRolePoliciesCommandOutput>(
        'iam:ListAttachedRolePolicies',
        ['grants'],
        (Marker) => new this.sdk.ListAttachedRolePoliciesCommand({ RoleName: roleName, ...(Marker ? { Marker } : {}) }),
        (r) => (r.AttachedPolicies ?? []).filter((p) => p.PolicyArn).map((p) => ({ arn: p.PolicyArn!, ...(p.PolicyName ? { name: p.PolicyName } : {}) })),
      ).catch(this.rethrowMissing('iam:ListAttachedRolePolicies', ['grants'])),
    );
  }

  listInlineRolePolicies(roleName: string): Promise<AwsInlinePolicy[]> {
    return this.once(`inline:${roleName.toLowerCase()}`, async () => {
      const names = await this.pages<string, import('@aws-sdk/client-iam').ListRolePoliciesCommandOutput>(
        'iam:ListRolePolicies',
        ['grants'],
        (Marker) => new this.sdk.ListRolePoliciesCommand({ RoleName: roleName, ...(Marker ? { Marker } : {}) }),
        (r) => r.PolicyNames ?? [],
      ).catch(this.rethrowMissing('iam:ListRolePolicies', ['grants']));
      return Promise.all(
        names.map(async (policyName) => {
          const r = await this.send<import('@aws-sdk/client-iam').GetRolePolicyCommandOutput>('iam:GetRolePolicy', ['grants'], new this.sdk.GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })).catch(
            this.rethrowMissing('iam:GetRolePolicy', ['grants']),
          );
          return { name: policyName, document: r.PolicyDocument };
        }),
      );
    });
  }

  getManagedPolicyDocument(policyArn: string): Promise<unknown> {
    return this.once(`policy:${policyArn}`, async () => {
      const missing = this.rethrowMissing('iam:GetPolicy', ['grants']);
      const { Policy: policy } = await this.send<import('@aws-sdk/client-iam').GetPolicyCommandOutput>('iam:GetPolicy', ['grants'], new this.sdk.GetPolicyCommand({ PolicyArn: policyArn })).catch(missing);
      const versionId = policy?.DefaultVersionId;
      if (!versionId) throw new AwsCallFailure('iam:GetPolicy', 'EmptyResponse', `${policyArn} has no default version`, 'iam:GetPolicy', ['grants']);
      const { PolicyVersion: version } = await this.send<import('@aws-sdk/client-iam').GetPolicyVersionCommandOutput>(
        'iam:GetPolicyVersion',
        ['grants'],
        new this.sdk.GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId }),
      ).catch(this.rethrowMissing('iam:GetPolicyVersion', ['grants']));
      return version?.Document;
    });
  }

  listUsers(): Promise<AwsUserFacts[]> {
    return this.once('users', () =>
      this.pages<AwsUserFacts, import('@aws-sdk/client-iam').ListUsersCommandOutput>(
        'iam:ListUsers',
        ['credentials'],
        (Marker) => new this.sdk.ListUsersCommand({ ...(Marker ? { Marker } : {}) }),
        (r) => (r.Users ?? []).filter((u) => u.UserName).map((u) => ({ name: u.UserName!, arn: u.Arn ?? '' })),
      ),
    );
  }

  getUserTags(userName: string): Promise<Record<string, string>> {
    return this.once(`user-tags:${userName.toLowerCase()}`, async () =>
      tagList(
        await this.pages<{ Key?: string; Value?: string }, import('@aws-sdk/client-iam').ListUserTagsCommandOutput>(
          'iam:ListUserTags',
          ['credentials'],
          (Marker) => new this.sdk.ListUserTagsCommand({ UserName: userName, ...(Marker ? { Marker } : {}) }),
          (r) => r.Tags ?? [],
        ).catch(this.rethrowMissing('iam:ListUserTags', ['credentials'])),
      ),
    );
  }

  listAccessKeys(userName: string): Promise<AwsAccessKeyFacts[]> {
    return this.once(`keys:${userName.toLowerCase()}`, async () => {
      const keys = await this.pages<import('@aws-sdk/client-iam').AccessKeyMetadata, import('@aws-sdk/client-iam').ListAccessKeysCommandOutput>(
        'iam:ListAccessKeys',
        ['credentials'],
        (Marker) => new this.sdk.ListAccessKeysCommand({ UserName: userName, ...(Marker ? { Marker } : {}) }),
        (r) => r.AccessKeyMetadata ?? [],
      ).catch(this.rethrowMissing('iam:ListAccessKeys', ['credentials']));
      return Promise.all(
        keys
          .filter((k) => k.AccessKeyId)
          .map(async (k): Promise<AwsAccessKeyFacts> => {
            const created = iso(k.CreateDate);
            const base: AwsAccessKeyFacts = { id: k.AccessKeyId!, active: k.Status === 'Active', ...(created ? { created } : {}) };
            if (!base.active) return base;
            // Last use dates a key's risk; without the permission the key is still reported.
            const used = await this.send<import('@aws-sdk/client-iam').GetAccessKeyLastUsedCommandOutput>('iam:GetAccessKeyLastUsed', ['credentials'], new this.sdk.GetAccessKeyLastUsedCommand({ AccessKeyId: k.AccessKeyId! })).catch(() => undefined);
            const lastUsed = iso(used?.AccessKeyLastUsed?.LastUsedDate);
            return { ...base, ...(lastUsed ? { lastUsed } : {}) };
          }),
      );
    });
  }

  /** NoSuchEntity on anything but GetRole (a role deleted mid-run, a dangling policy) is a failure too. */
  private rethrowMissing(call: string, covers: GatherTopic[]) {
    return (err: unknown): never => {
      if (isNoSuchEntity(err)) throw new AwsCallFailure(call, 'NoSuchEntity', (err as Error).message, call, covers);
      throw err;
    };
  }
}
