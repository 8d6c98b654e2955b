// Where AWS IAM facts come from: the live IAM API (iam-api-source.ts) or an exported
// `get-account-authorization-details` file (auth-details-source.ts). Both answer the same
// questions, so one builder (role-evidence.ts) turns either into the same evidence.
import { CallFailure } from '../cloud/call-failure';

export interface AwsRoleFacts {
  arn: string;
  name: string;
  /** The trust policy as the source gives it (object, JSON text or URL-encoded JSON). */
  assumeRolePolicy: unknown;
  tags: Record<string, string>;
  /** Undefined when the source does not report it (authorization details do not). */
  maxSessionSeconds?: number;
  permissionsBoundary: string | null;
  lastUsed: string | null;
}

export interface AwsPolicyRef {
  arn: string;
  name?: string;
}

export interface AwsInlinePolicy {
  name: string;
  document: unknown;
}

export interface AwsUserFacts {
  name: string;
  arn: string;
}

export interface AwsAccessKeyFacts {
  id: string;
  active: boolean;
  created?: string;
  lastUsed?: string;
}

/** What one failed IAM call means for the evidence; becomes an `errors[]` entry. */
export class AwsCallFailure extends CallFailure {}

export interface AwsIamSource {
  /** How the report names the source: "the IAM API", "authorization details FILE". */
  readonly label: string;
  /**
   * Undefined when the role does not exist. `account` (from the manifest's ARN) lets a source
   * that spans accounts (a merged export) pick the right one; the live API answers for the
   * credentials' account whatever it is given.
   */
  getRole(name: string, account?: string): Promise<AwsRoleFacts | undefined>;
  listAttachedRolePolicies(roleName: string, account?: string): Promise<AwsPolicyRef[]>;
  listInlineRolePolicies(roleName: string, account?: string): Promise<AwsInlinePolicy[]>;
  /** The default version's document of a managed policy. */
  getManagedPolicyDocument(policyArn: string): Promise<unknown>;
  listUsers(): Promise<AwsUserFacts[]>;
  getUserTags(userName: string, account?: string): Promise<Record<string, string>>;
  listAccessKeys(userName: string, account?: string): Promise<AwsAccessKeyFacts[]>;
}

/** `arn:aws:iam::123456789012:role/path/name` -> `name` (role names are unique per account whatever the path). */
export function roleNameFromArn(arn: string): string {
  return arn.slice(arn.indexOf(':role/') + 6).split('/').pop()!;
}

export function accountFromArn(arn: string): string | undefined {
  return /^arn:[^:]+:iam::(\d{12}):/.exec(arn)?.[1];
}

export function tagList(tags: { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return out;
}
