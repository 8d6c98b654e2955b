// IAM facts from an `aws iam get-account-authorization-details` export (`--aws-auth-details`):
// no live call at all. The export holds roles, users, groups and managed policies with their
// documents, but no access keys and no session length; what it cannot answer becomes an
// AwsCallFailure naming what to add, never a guess (an absent key list is not "no keys").
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import type { GatherTopic } from '../model';
import { InputError } from '../../manifest/input-error';
import { schemaProblems } from '../../manifest/load';
import { parseYamlDocuments } from '../../manifest/yaml-source';
import { parseJson, stripBom } from '../repo/json-syntax';
import { loadCredentialReport, type CredentialReport } from './credential-report';
import { AwsCallFailure, accountFromArn, tagList, type AwsAccessKeyFacts, type AwsIamSource, type AwsInlinePolicy, type AwsPolicyRef, type AwsRoleFacts, type AwsUserFacts } from './source';

// Loose on purpose: the AWS CLI, moto and SDK dumps differ in extra keys, date formats and
// document encodings; only what this source reads is checked.
const tagsSchema = z.array(z.looseObject({ Key: z.string(), Value: z.string().optional() }));
const dateSchema = z.string();

const roleSchema = z.looseObject({
  RoleName: z.string().min(1),
  Arn: z.string().min(1),
  AssumeRolePolicyDocument: z.unknown().optional(),
  RolePolicyList: z.array(z.looseObject({ PolicyName: z.string(), PolicyDocument: z.unknown().optional() })).optional(),
  AttachedManagedPolicies: z.array(z.looseObject({ PolicyArn: z.string(), PolicyName: z.string().optional() })).optional(),
  Tags: tagsSchema.optional(),
  PermissionsBoundary: z.looseObject({ PermissionsBoundaryArn: z.string().optional() }).nullable().optional(),
  RoleLastUsed: z.looseObject({ LastUsedDate: dateSchema.optional() }).nullable().optional(),
});

const userSchema = z.looseObject({
  UserName: z.string().min(1),
  Arn: z.string().min(1),
  Tags: tagsSchema.optional(),
});

const groupSchema = z.looseObject({ Arn: z.string().optional() });

const policySchema = z.looseObject({
  Arn: z.string().min(1),
  DefaultVersionId: z.string().optional(),
  PolicyVersionList: z.array(z.looseObject({ Document: z.unknown().optional(), VersionId: z.string().optional(), IsDefaultVersion: z.boolean().optional() })).optional(),
});

const listKeys = ['RoleDetailList', 'UserDetailList', 'GroupDetailList', 'Policies'] as const;

const pageSchema = z
  .looseObject({
    RoleDetailList: z.array(roleSchema).optional(),
    UserDetailList: z.array(userSchema).optional(),
    GroupDetailList: z.array(groupSchema).optional(),
    Policies: z.array(policySchema).optional(),
    IsTruncated: z.boolean().optional(),
  })
  .refine((page) => listKeys.some((k) => page[k] !== undefined), {
    message: `none of ${listKeys.join(', ')} is here; expected the output of aws iam get-account-authorization-details`,
  });

type Page = z.infer<typeof pageSchema>;
type RoleDetail = z.infer<typeof roleSchema>;
type UserDetail = z.infer<typeof userSchema>;
type PolicyDetail = z.infer<typeof policySchema>;

function iso(date: string | undefined): string | undefined {
  if (date === undefined) return undefined;
  const d = new Date(date);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export interface AuthorizationDetailsOptions {
  /** `--aws-credential-report FILE`: the access keys the export leaves out. */
  credentialReport?: { file: string; displayPath: string };
}

export function loadAuthorizationDetails(file: string, displayPath: string, opts: AuthorizationDetailsOptions = {}): AuthorizationDetailsSource {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError({ file: displayPath, message: `cannot read the authorization details: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
  }
  // Read the report now too: a bad one is exit 2 before anything is gathered.
  const report = opts.credentialReport ? loadCredentialReport(opts.credentialReport.file, opts.credentialReport.displayPath) : undefined;
  return parseAuthorizationDetails(text, displayPath, report);
}

/** One page object, or an array of pages (`--no-paginate` runs saved one by one), merged. */
export function parseAuthorizationDetails(raw: string, displayPath: string, report?: CredentialReport): AuthorizationDetailsSource {
  // A BOM (editors on Windows) is not an error; lines and columns count without it.
  const text = stripBom(raw);
  const parsed = parseJson(text);
  // The scanner's message names a character, never the input around it (it may be a secret).
  if (!parsed.ok) throw new InputError({ file: displayPath, line: parsed.error.line, column: parsed.error.column, message: `invalid JSON: ${parsed.error.message}` });
  const schema = Array.isArray(parsed.value) ? z.array(pageSchema).min(1, 'expected at least one page of authorization details') : pageSchema;
  const result = schema.safeParse(parsed.value);
  if (!result.success) {
    const doc = parseYamlDocuments(text, displayPath).documents[0];
    if (!doc) throw new InputError({ file: displayPath, line: 1, column: 1, message: 'not the output of aws iam get-account-authorization-details' });
    throw new InputError(schemaProblems(result.error, doc, displayPath));
  }
  const pages: Page[] = Array.isArray(result.data) ? result.data : [result.data];
  return new AuthorizationDetailsSource(displayPath, pages, report);
}

function addPerAccount<T extends { Arn: string }>(map: Map<string, T[]>, name: string, entry: T): void {
  const list = map.get(name.toLowerCase()) ?? [];
  if (!list.some((e) => accountFromArn(e.Arn) === accountFromArn(entry.Arn))) list.push(entry);
  map.set(name.toLowerCase(), list);
}

/** The entry of that name in that account; without an account, the first of that name. */
function inAccount<T extends { Arn: string }>(map: Map<string, T[]>, name: string, account: string | undefined): T | undefined {
  const list = map.get(name.toLowerCase()) ?? [];
  return account ? list.find((e) => accountFromArn(e.Arn) === account) : list[0];
}

export class AuthorizationDetailsSource implements AwsIamSource {
  readonly label: string;
  /** By lower-cased name; several when the export merges accounts (OrganizationAccountAccessRole is in every one). */
  private readonly roles = new Map<string, RoleDetail[]>();
  private readonly users = new Map<string, UserDetail[]>();
  private readonly policies = new Map<string, PolicyDetail>();
  private readonly accountSet = new Set<string>();
  /** Which lists the export has at all: `--filter Role` leaves the others out. */
  private readonly has = { roles: false, users: false, policies: false };
  /** The last page says more were left (`--max-items` without the rest): absence proves nothing. */
  readonly truncated: boolean;

  constructor(
    readonly displayPath: string,
    pages: Page[],
    /** Its generatedTime dates the key facts (callers may warn when it is old). */
    readonly credentialReport?: CredentialReport,
  ) {
    this.label = `authorization details ${displayPath}`;
    for (const page of pages) {
      if (page.RoleDetailList) this.has.roles = true;
      if (page.UserDetailList) this.has.users = true;
      if (page.Policies) this.has.policies = true;
      // Names are unique per account (case-insensitively); within an account the first entry wins over a repeat.
      for (const r of page.RoleDetailList ?? []) addPerAccount(this.roles, r.RoleName, r);
      for (const u of page.UserDetailList ?? []) addPerAccount(this.users, u.UserName, u);
      for (const p of page.Policies ?? []) if (!this.policies.has(p.Arn)) this.policies.set(p.Arn, p);
      for (const arn of [...(page.RoleDetailList ?? []), ...(page.UserDetailList ?? []), ...(page.GroupDetailList ?? []), ...(page.Policies ?? [])].map((e) => e.Arn)) {
        const account = arn ? accountFromArn(arn) : undefined;
        if (account) this.accountSet.add(account);
      }
    }
    this.truncated = pages[pages.length - 1]?.IsTruncated === true;
  }

  /** The 12-digit accounts the export's roles, users, groups and policies belong to (AWS-managed policies have none). */
  accounts(): Set<string> {
    return new Set(this.accountSet);
  }

  /** Whether the export can speak for `account`; a role of another account is unknown here, not absent. */
  holdsAccount(account: string): boolean {
    return this.accountSet.has(account);
  }

  private notHeld(call: string, what: string, covers: GatherTopic[]): AwsCallFailure {
    const why = this.truncated ? 'the export is truncated (IsTruncated); export again without --max-items' : 'export without --filter, or gather live';
    return new AwsCallFailure(call, 'NotInAuthorizationDetails', `${what} is not in ${this.displayPath} (${why})`, call, covers);
  }

  private role(name: string, call: string, account?: string): RoleDetail {
    const role = inAccount(this.roles, name, account);
    if (!role) throw new AwsCallFailure(call, 'NoSuchEntity', `role ${name} is not in ${this.displayPath}`, call, ['grants']);
    return role;
  }

  async getRole(name: string, account?: string): Promise<AwsRoleFacts | undefined> {
    const role = inAccount(this.roles, name, account);
    if (!role) {
      if (!this.has.roles || this.truncated) throw this.notHeld('iam:GetRole', `role ${name}`, ['existence', 'trust', 'tags', 'boundary', 'session']);
      return undefined;
    }
    return {
      arn: role.Arn,
      name: role.RoleName,
      assumeRolePolicy: role.AssumeRolePolicyDocument,
      tags: tagList(role.Tags),
      // The export has no MaxSessionDuration: left undefined, so session rules say "unknown".
      permissionsBoundary: role.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
      lastUsed: iso(role.RoleLastUsed?.LastUsedDate ?? undefined) ?? null,
    };
  }

  async listAttachedRolePolicies(roleName: string, account?: string): Promise<AwsPolicyRef[]> {
    return (this.role(roleName, 'iam:ListAttachedRolePolicies', account).AttachedManagedPolicies ?? []).map((p) => ({ arn: p.PolicyArn, ...(p.PolicyName ? { name: p.PolicyName } : {}) }));
  }

  async listInlineRolePolicies(roleName: string, account?: string): Promise<AwsInlinePolicy[]> {
    return (this.role(roleName, 'iam:ListRolePolicies', account).RolePolicyList ?? []).map((p) => ({ name: p.PolicyName, document: p.PolicyDocument }));
  }

  async getManagedPolicyDocument(policyArn: string): Promise<unknown> {
    // AWS-managed policies are in the export only if it was taken without --filter.
    const policy = this.policies.get(policyArn);
    if (!policy) throw this.notHeld('iam:GetPolicyVersion', policyArn, ['grants']);
    const versions = policy.PolicyVersionList ?? [];
    const version = versions.find((v) => v.IsDefaultVersion === true) ?? versions.find((v) => policy.DefaultVersionId !== undefined && v.VersionId === policy.DefaultVersionId);
    if (!version || version.Document === undefined) {
      throw new AwsCallFailure('iam:GetPolicyVersion', 'NotInAuthorizationDetails', `${policyArn} has no default version document in ${this.displayPath}`, 'iam:GetPolicyVersion', ['grants']);
    }
    return version.Document;
  }

  async listUsers(): Promise<AwsUserFacts[]> {
    // No UserDetailList at all (`--filter Role`) says nothing about users; an empty one says "none".
    if (!this.has.users || this.truncated) throw this.notHeld('iam:ListUsers', 'the user list', ['credentials']);
    return [...this.users.values()].flat().map((u) => ({ name: u.UserName, arn: u.Arn }));
  }

  async getUserTags(userName: string, account?: string): Promise<Record<string, string>> {
    const user = inAccount(this.users, userName, account);
    if (!user) throw new AwsCallFailure('iam:ListUserTags', 'NoSuchEntity', `user ${userName} is not in ${this.displayPath}`, 'iam:ListUserTags', ['credentials']);
    return tagList(user.Tags);
  }

  async listAccessKeys(userName: string, account?: string): Promise<AwsAccessKeyFacts[]> {
    const call = 'iam:ListAccessKeys';
    if (!this.credentialReport) {
      throw new AwsCallFailure(
        call,
        'NotInAuthorizationDetails',
        'get-account-authorization-details lists no access keys; add --aws-credential-report FILE (aws iam get-credential-report) or gather live',
        call,
        ['credentials'],
      );
    }
    const entry = this.credentialReport.user(userName);
    const generated = this.credentialReport.generatedTime ? `, generated ${this.credentialReport.generatedTime}` : '';
    // A user missing from the report is newer than the report: "no keys" would be a guess.
    if (!entry) {
      throw new AwsCallFailure(call, 'NotInCredentialReport', `user ${userName} is not in the credential report ${this.credentialReport.displayPath}${generated}; generate a fresh one (aws iam generate-credential-report) or gather live`, call, ['credentials']);
    }
    const userArn = inAccount(this.users, userName, account)?.Arn;
    const reportAccount = accountFromArn(entry.arn);
    const exportAccount = userArn ? accountFromArn(userArn) : undefined;
    // Same name, another account: that user's keys say nothing about this one.
    if (reportAccount && exportAccount && reportAccount !== exportAccount) {
      throw new AwsCallFailure(call, 'WrongAccount', `the credential report ${this.credentialReport.displayPath} is of account ${reportAccount}, but ${this.displayPath} lists ${userName} in account ${exportAccount}; use that account's report`, call, ['credentials']);
    }
    return entry.accessKeys.map((k) => ({ ...k }));
  }
}
