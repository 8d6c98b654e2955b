// One AWS role's evidence, from any AwsIamSource: trust, tags, session length, boundary,
// every policy statement as a grant, and the access keys of IAM users that belong to the
// deployment. A failed call becomes an `errors[]` entry saying what it would have covered;
// the rest of the evidence is still gathered, so one missing permission costs one rule.
import type { Credential, GatherError, Grant, IdentityEvidence, Trust } from '../model';
import { asGatherError, attempt, errorOrder } from '../cloud/call-failure';
import { grantsFromStatements, parsePolicyDocument, trustFromStatements } from './policy-document';
import { accountFromArn, roleNameFromArn, type AwsIamSource, type AwsUserFacts } from './source';
import { compareText } from '../../text-order';

export interface AwsRoleTarget {
  roleArn: string;
  /** metadata.name: IAM users named like it, or tagged agent-ready:deployment=NAME, belong to it. */
  deployment: string;
  /** The run's deployments (this one may be among them): `agent-x-prod-eu-ci` belongs to `agent-x-prod-eu`, not to `agent-x-prod`. */
  otherDeployments?: string[];
}

export const deploymentTagKey = 'agent-ready:deployment';

/** A user named like the deployment: the same name, or the name followed by a separator (agent-x-prod-ci). */
export function userNamedLike(user: string, deployment: string, roleName: string): boolean {
  const u = user.toLowerCase();
  return [deployment, roleName].some((n) => {
    const name = n.toLowerCase();
    return u === name || (u.startsWith(name) && /^[-_.@]/.test(u.slice(name.length)));
  });
}

function policyProblem(call: string, source: string, reason: string): GatherError {
  return { call, code: 'MalformedPolicyDocument', message: `${source}: ${reason}`, permission: call, covers: ['grants'] };
}

async function gatherGrants(source: AwsIamSource, roleName: string, account: string | undefined, errors: GatherError[]): Promise<Grant[]> {
  const [attached, inline] = await Promise.all([
    attempt(errors, 'iam:ListAttachedRolePolicies', ['grants'], () => source.listAttachedRolePolicies(roleName, account)),
    attempt(errors, 'iam:ListRolePolicies', ['grants'], () => source.listInlineRolePolicies(roleName, account)),
  ]);
  const managed = await Promise.all(
    [...(attached ?? [])]
      .sort((a, b) => compareText(a.arn, b.arn))
      .map(async (p) => {
        // A failed call is already recorded; an answer without a document is a problem of its own.
        const failed = Symbol('failed');
        const doc = await source.getManagedPolicyDocument(p.arn).catch((err: unknown) => {
          errors.push(asGatherError(err, 'iam:GetPolicyVersion', ['grants']));
          return failed;
        });
        if (doc === failed) return [];
        const parsed = doc === undefined || doc === null ? ({ ok: false, reason: 'the default version has no document' } as const) : parsePolicyDocument(doc);
        if (!parsed.ok) {
          errors.push(policyProblem('iam:GetPolicyVersion', p.arn, parsed.reason));
          return [];
        }
        return grantsFromStatements(parsed.statements, p.arn);
      }),
  );
  const inlineGrants = [...(inline ?? [])]
    .sort((a, b) => compareText(a.name, b.name))
    .map((p) => {
      const where = `inline:${roleName}/${p.name}`;
      const parsed = parsePolicyDocument(p.document);
      if (!parsed.ok) {
        errors.push(policyProblem('iam:GetRolePolicy', where, parsed.reason));
        return [];
      }
      return grantsFromStatements(parsed.statements, where);
    });
  return [...managed.flat(), ...inlineGrants.flat()];
}

/** The users that belong to the deployment, by name first (no call), then by tag. */
async function deploymentUsers(source: AwsIamSource, target: AwsRoleTarget, roleName: string, errors: GatherError[]): Promise<AwsUserFacts[]> {
  const listed = await attempt(errors, 'iam:ListUsers', ['credentials'], () => source.listUsers());
  if (!listed) return [];
  // Only the role's own account: a merged export lists other accounts' users too.
  const account = accountFromArn(target.roleArn);
  const users = listed.filter((u) => !account || !accountFromArn(u.arn) || accountFromArn(u.arn) === account);
  const tagErrors: GatherError[] = [];
  const belongs = await Promise.all(
    users.map(async (u) => {
      if (userNamedLike(u.name, target.deployment, roleName)) {
        const closer = (target.otherDeployments ?? []).some((o) => o.length > target.deployment.length && userNamedLike(u.name, o, o));
        if (!closer) return true;
      }
      const tags = await attempt(tagErrors, 'iam:ListUserTags', ['credentials'], () => source.getUserTags(u.name, account));
      if (!tags) return false;
      return Object.entries(tags).some(([k, v]) => k.toLowerCase() === deploymentTagKey && v.trim().toLowerCase() === target.deployment.toLowerCase());
    }),
  );
  // One entry per failing kind of call, not one per user of a large account.
  const seen = new Set<string>();
  for (const e of tagErrors) {
    const key = `${e.call}|${e.code}`;
    if (!seen.has(key)) {
      seen.add(key);
      const count = tagErrors.filter((x) => `${x.call}|${x.code}` === key).length;
      errors.push({ ...e, message: `${e.message ?? e.code}${count > 1 ? ` (and ${count - 1} more user${count > 2 ? 's' : ''})` : ''}` });
    }
  }
  return users.filter((_, i) => belongs[i]).sort((a, b) => compareText(a.name, b.name));
}

async function gatherCredentials(source: AwsIamSource, target: AwsRoleTarget, roleName: string, errors: GatherError[]): Promise<Credential[]> {
  const users = await deploymentUsers(source, target, roleName, errors);
  const perUser = await Promise.all(
    users.map(async (u) => {
      const keys = await attempt(errors, 'iam:ListAccessKeys', ['credentials'], () => source.listAccessKeys(u.name, accountFromArn(u.arn)));
      return (keys ?? []).map((k): Credential => ({
        kind: 'access-key',
        id: k.id,
        active: k.active,
        ...(k.created ? { created: k.created } : {}),
        ...(k.lastUsed ? { lastUsed: k.lastUsed } : {}),
        owner: u.arn,
      }));
    }),
  );
  return perUser.flat();
}

/** A role's evidence before anything is known of it. */
export function emptyRoleEvidence(roleArn: string): IdentityEvidence {
  return { provider: 'aws', ref: roleArn, kind: 'aws-role', tags: {}, trust: [], credentials: [], grants: [], errors: [] };
}

export async function gatherRoleEvidence(source: AwsIamSource, target: AwsRoleTarget): Promise<IdentityEvidence> {
  const roleName = roleNameFromArn(target.roleArn);
  const errors: GatherError[] = [];
  const evidence: IdentityEvidence = { ...emptyRoleEvidence(target.roleArn), errors };
  const everything: GatherError['covers'] = ['existence', 'trust', 'tags', 'boundary', 'session'];
  const account = accountFromArn(target.roleArn);
  const role = await attempt(errors, 'iam:GetRole', everything, () => source.getRole(roleName, account));
  if (role === undefined && errors.length === 0) {
    evidence.exists = false;
    return evidence;
  }
  if (role) {
    const actual = accountFromArn(role.arn);
    if (account && actual && account !== actual) {
      // GetRole takes a name: with another account's credentials it finds that account's role.
      errors.push({
        call: 'iam:GetRole',
        code: 'WrongAccount',
        message: `${source.label} answers for account ${actual}, but the manifest names account ${account}; use credentials (--aws-profile) or an export of account ${account}`,
        permission: 'iam:GetRole',
        covers: ['existence', 'trust', 'tags', 'boundary', 'session', 'grants', 'credentials'],
      });
      return evidence;
    }
    evidence.exists = true;
    evidence.name = role.name;
    evidence.tags = role.tags;
    evidence.permissionsBoundary = role.permissionsBoundary;
    evidence.lastUsed = role.lastUsed;
    if (role.maxSessionSeconds !== undefined) evidence.maxSessionSeconds = role.maxSessionSeconds;
    else {
      // An authorization-details export has no MaxSessionDuration: say so, rather than let AR-SC-006 guess.
      errors.push({ call: 'iam:GetRole', code: 'NotReported', message: `${source.label} does not report MaxSessionDuration; gather live (iam:GetRole) to judge it`, permission: 'iam:GetRole', covers: ['session'] });
    }
    const trust = parsePolicyDocument(role.assumeRolePolicy);
    if (trust.ok) evidence.trust = trustFromStatements(trust.statements, 'AssumeRolePolicyDocument') as Trust[];
    else errors.push({ call: 'iam:GetRole', code: 'MalformedPolicyDocument', message: `AssumeRolePolicyDocument: ${trust.reason}`, permission: 'iam:GetRole', covers: ['trust'] });
  }
  const [grants, credentials] = await Promise.all([gatherGrants(source, roleName, account, errors), gatherCredentials(source, target, roleName, errors)]);
  evidence.grants = grants;
  evidence.credentials = credentials.sort((a, b) => compareText(a.owner ?? '', b.owner ?? '') || compareText(a.id, b.id));
  errors.sort(errorOrder);
  return evidence;
}
