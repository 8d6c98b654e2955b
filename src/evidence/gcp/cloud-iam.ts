// What the GCP provider reads, in the REST APIs' own shapes (only the fields used), and the
// implementation over GcpRest: every answer memoised for the run (a fleet in one project
// reads the project's policy, labels and deny policies once), calls under one concurrency
// limit, paged lists followed through nextPageToken.
import { createLimiter, type Limiter } from '../cloud/limiter';
import { CallCounter } from '../cloud/call-counter';
import { CallFailure } from '../cloud/call-failure';
import { workCounters } from '../../engine/work-counters';
import type { GcpCall, GcpRest } from './gcp-client';

export interface ServiceAccount {
  name?: string;
  projectId?: string;
  uniqueId?: string;
  email?: string;
  displayName?: string;
  description?: string;
  disabled?: boolean;
}

export interface ServiceAccountKey {
  name: string;
  keyType?: string;
  validAfterTime?: string;
  validBeforeTime?: string;
  disabled?: boolean;
}

export interface Binding {
  role: string;
  members?: string[];
  condition?: { expression?: string; title?: string };
}

export interface IamPolicy {
  version?: number;
  bindings?: Binding[];
}

export interface PoolProvider {
  name: string;
  displayName?: string;
  state?: string;
  disabled?: boolean;
  attributeMapping?: Record<string, string>;
  attributeCondition?: string;
  oidc?: { issuerUri?: string; allowedAudiences?: string[] };
  aws?: { accountId?: string };
  saml?: unknown;
}

export interface Project {
  name?: string;
  projectId?: string;
  labels?: Record<string, string>;
}

/** The questions the evidence builder asks; `undefined` means the API answered "not found". */
export interface CloudIam {
  getServiceAccount(email: string): Promise<ServiceAccount | undefined>;
  listUserManagedKeys(email: string): Promise<ServiceAccountKey[]>;
  getServiceAccountPolicy(email: string): Promise<IamPolicy>;
  /** Providers of a pool (`projects/N/locations/global/workloadIdentityPools/P`), deleted ones excluded. */
  listPoolProviders(pool: string): Promise<PoolProvider[]>;
  getPoolProvider(name: string): Promise<PoolProvider | undefined>;
  getProject(projectId: string): Promise<Project>;
  getProjectPolicy(projectId: string): Promise<IamPolicy>;
  listDenyPolicies(projectId: string): Promise<string[]>;
}

/** Each REST method, the permission it needs (all read-only) and the evidence it gives. */
export const gcpCalls = {
  getServiceAccount: { call: 'iam:projects.serviceAccounts.get', permission: 'iam.serviceAccounts.get', covers: ['existence', 'tags'] },
  listUserManagedKeys: { call: 'iam:projects.serviceAccounts.keys.list', permission: 'iam.serviceAccountKeys.list', covers: ['credentials'] },
  getServiceAccountPolicy: { call: 'iam:projects.serviceAccounts.getIamPolicy', permission: 'iam.serviceAccounts.getIamPolicy', covers: ['trust'] },
  listPoolProviders: { call: 'iam:projects.locations.workloadIdentityPools.providers.list', permission: 'iam.workloadIdentityPoolProviders.list', covers: ['trust'] },
  getPoolProvider: { call: 'iam:projects.locations.workloadIdentityPools.providers.get', permission: 'iam.workloadIdentityPoolProviders.get', covers: ['trust'] },
  getProject: { call: 'cloudresourcemanager:projects.get', permission: 'resourcemanager.projects.get', covers: ['tags'] },
  getProjectPolicy: { call: 'cloudresourcemanager:projects.getIamPolicy', permission: 'resourcemanager.projects.getIamPolicy', covers: ['grants'] },
  listDenyPolicies: { call: 'iam:policies.listPolicies', permission: 'iam.denypolicies.list', covers: ['deny-policies'] },
} as const satisfies Record<keyof CloudIam, GcpCall>;

const seg = (v: string) => encodeURIComponent(v);
/** Conditional bindings are only returned when version 3 is asked for (IAM v1 in the query, Resource Manager v3 in the body). */
const policyV3 = { options: { requestedPolicyVersion: 3 } };

/**
 * The account's resource name. With the `-` wildcard Google answers 403 for an account that
 * does not exist; with the project (the e-mail's, for user-managed accounts) it answers 404.
 */
function accountPath(email: string): string {
  return `projects/${projectOfEmail(email) ?? '-'}/serviceAccounts/${seg(email)}`;
}

/** `NAME@PROJECT.iam.gserviceaccount.com` names its project; Google-managed accounts do not. */
export function projectOfEmail(email: string): string | undefined {
  return /@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/i.exec(email)?.[1];
}

/** A policy of something that is not there is no policy at all: "no bindings" would pass the scope rules. */
function found<T>(spec: GcpCall, what: string, value: T | undefined): T {
  if (value === undefined) throw new CallFailure(spec.call, 'NOT_FOUND', `${what} was not found`, spec.permission, [...spec.covers]);
  return value;
}

export interface RestCloudIamOptions {
  concurrency?: number;
  counter?: CallCounter;
}

export class RestCloudIam implements CloudIam {
  private readonly memo = new Map<string, Promise<unknown>>();
  private readonly limit: Limiter;
  readonly counter: CallCounter;

  constructor(
    private readonly rest: GcpRest,
    opts: RestCloudIamOptions = {},
  ) {
    this.limit = createLimiter(opts.concurrency ?? 8);
    this.counter = opts.counter ?? new CallCounter();
  }

  private once<T>(key: string, run: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = run();
      this.memo.set(key, p);
    }
    return p;
  }

  private call<T>(spec: GcpCall, run: () => Promise<T>): Promise<T> {
    return this.limit(() => {
      this.counter.count(spec.call);
      workCounters.apiCalls += 1;
      return run();
    });
  }

  private get<T>(spec: GcpCall, url: string, method: 'GET' | 'POST' = 'GET', body?: unknown): Promise<T | undefined> {
    return this.call(spec, () => this.rest.request<T>(spec, url, method, body));
  }

  getServiceAccount(email: string) {
    return this.once(`sa:${email.toLowerCase()}`, () => this.get<ServiceAccount>(gcpCalls.getServiceAccount, `${this.rest.iamUrl}/v1/${accountPath(email)}`));
  }

  listUserManagedKeys(email: string) {
    return this.once(`keys:${email.toLowerCase()}`, async () => {
      const r = await this.get<{ keys?: ServiceAccountKey[] }>(gcpCalls.listUserManagedKeys, `${this.rest.iamUrl}/v1/${accountPath(email)}/keys?keyTypes=USER_MANAGED`);
      // The filter is asked for; a key the API tags otherwise is still not user-managed.
      return (r?.keys ?? []).filter((k) => !k.keyType || k.keyType === 'USER_MANAGED');
    });
  }

  getServiceAccountPolicy(email: string) {
    return this.once(`sa-policy:${email.toLowerCase()}`, async () =>
      found(gcpCalls.getServiceAccountPolicy, `service account ${email}`, await this.get<IamPolicy>(gcpCalls.getServiceAccountPolicy, `${this.rest.iamUrl}/v1/${accountPath(email)}:getIamPolicy?options.requestedPolicyVersion=3`, 'POST')),
    );
  }

  listPoolProviders(pool: string) {
    return this.once(`providers:${pool}`, async () => {
      const out: PoolProvider[] = [];
      let token: string | undefined;
      for (let page = 0; page < 1000; page++) {
        const url = `${this.rest.iamUrl}/v1/${pool}/providers?pageSize=100${token ? `&pageToken=${seg(token)}` : ''}`;
        const r = await this.get<{ workloadIdentityPoolProviders?: PoolProvider[]; nextPageToken?: string }>(gcpCalls.listPoolProviders, url);
        out.push(...(r?.workloadIdentityPoolProviders ?? []));
        token = r?.nextPageToken;
        if (!token) break;
      }
      return out;
    });
  }

  getPoolProvider(name: string) {
    return this.once(`provider:${name}`, () => this.get<PoolProvider>(gcpCalls.getPoolProvider, `${this.rest.iamUrl}/v1/${name}`));
  }

  getProject(projectId: string) {
    return this.once(`project:${projectId.toLowerCase()}`, async () => found(gcpCalls.getProject, `project ${projectId}`, await this.get<Project>(gcpCalls.getProject, `${this.rest.crmUrl}/v3/projects/${seg(projectId)}`)));
  }

  getProjectPolicy(projectId: string) {
    return this.once(`project-policy:${projectId.toLowerCase()}`, async () =>
      found(gcpCalls.getProjectPolicy, `project ${projectId}`, await this.get<IamPolicy>(gcpCalls.getProjectPolicy, `${this.rest.crmUrl}/v3/projects/${seg(projectId)}:getIamPolicy`, 'POST', policyV3)),
    );
  }

  listDenyPolicies(projectId: string) {
    return this.once(`deny:${projectId.toLowerCase()}`, () =>
      this.call(gcpCalls.listDenyPolicies, () => this.rest.listDenyPolicies(gcpCalls.listDenyPolicies, `cloudresourcemanager.googleapis.com/projects/${projectId}`)),
    );
  }
}
