import { describe, expect, it } from 'vitest';
import { grantsFromStatements, parsePolicyDocument, trustFromStatements, type PolicyStatement } from '../../../src/evidence/aws/policy-document';

const readOnly = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'ReadCases', Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::cases/*' }],
};

/** Parses or fails the test, so the assertions below read as statements. */
function statementsOf(raw: unknown): PolicyStatement[] {
  const parsed = parsePolicyDocument(raw);
  if (!parsed.ok) throw new Error(`expected a policy, got: ${parsed.reason}`);
  return parsed.statements;
}

const trustOf = (statement: object) => trustFromStatements(statementsOf({ Version: '2012-10-17', Statement: [statement] }), 'AssumeRolePolicyDocument');

describe('parsePolicyDocument', () => {
  it('reads an object, JSON text and URL-encoded JSON (as the IAM API returns it) alike', () => {
    const expected = { ok: true, statements: readOnly.Statement };
    expect(parsePolicyDocument(readOnly)).toEqual(expected);
    expect(parsePolicyDocument(JSON.stringify(readOnly))).toEqual(expected);
    expect(parsePolicyDocument(encodeURIComponent(JSON.stringify(readOnly)))).toEqual(expected);
  });

  it('reads form-style encoding, where a space is `+`, and keeps an encoded literal `+`', () => {
    const doc = { Statement: [{ Sid: 'A', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::a b+c/*' }] };
    const formEncoded = encodeURIComponent(JSON.stringify(doc, null, 1)).replace(/%20/g, '+');
    expect(formEncoded).toContain('+');
    expect(statementsOf(formEncoded)).toEqual(doc.Statement);
  });

  it('accepts a single Statement object as a list of one, and a document without statements as none', () => {
    const single = { Version: '2012-10-17', Statement: { Effect: 'Deny', Action: '*', Resource: '*' } };
    expect(statementsOf(single)).toEqual([single.Statement]);
    expect(statementsOf(encodeURIComponent(JSON.stringify(single)))).toEqual([single.Statement]);
    expect(statementsOf({ Version: '2012-10-17' })).toEqual([]);
  });

  it('answers a reason for malformed input and never throws', () => {
    const bad: unknown[] = ['{"Statement": [', '%7B%22Statement', '%E0%A4%A', 'null', '42', '[]', [], null, undefined, 7, { Statement: ['s3:*'] }, { Statement: null }];
    for (const raw of bad) {
      const parsed = parsePolicyDocument(raw);
      expect(parsed.ok, JSON.stringify(raw)).toBe(false);
      if (!parsed.ok) expect(parsed.reason).toMatch(/\S/);
    }
    expect(parsePolicyDocument('%7B%22Statement')).toEqual({ ok: false, reason: 'the policy document is neither JSON nor URL-encoded JSON' });
    expect(parsePolicyDocument([])).toEqual({ ok: false, reason: 'the policy document is not a JSON object' });
    expect(parsePolicyDocument({ Statement: ['s3:*'] })).toEqual({ ok: false, reason: 'a policy statement is not a JSON object' });
  });
});

describe('grantsFromStatements', () => {
  it('keeps NotAction, NotResource, conditions and the effect, sourced by Sid or index', () => {
    const grants = grantsFromStatements(
      statementsOf({
        Statement: [
          { Sid: 'AllButIam', Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' },
          {
            Effect: 'Deny',
            Action: 's3:*',
            NotResource: ['arn:aws:s3:::cases', 'arn:aws:s3:::cases/*'],
            Condition: { Bool: { 'aws:SecureTransport': false }, NumericLessThan: { 's3:TlsVersion': 1.2 }, StringEquals: { 'aws:PrincipalTag/team': ['onboarding', 'risk'] } },
          },
          { Sid: '', Effect: 'deny', Action: 'kms:Decrypt', Resource: ['*'] },
        ],
      }),
      'arn:aws:iam::123456789012:policy/agent',
    );
    expect(grants).toEqual([
      { kind: 'aws-policy', effect: 'Allow', source: 'arn:aws:iam::123456789012:policy/agent#AllButIam', notActions: ['iam:*', 'organizations:*'], resources: ['*'] },
      {
        kind: 'aws-policy',
        effect: 'Deny',
        source: 'arn:aws:iam::123456789012:policy/agent#1',
        actions: ['s3:*'],
        notResources: ['arn:aws:s3:::cases', 'arn:aws:s3:::cases/*'],
        conditions: { Bool: { 'aws:SecureTransport': false }, NumericLessThan: { 's3:TlsVersion': 1.2 }, StringEquals: { 'aws:PrincipalTag/team': ['onboarding', 'risk'] } },
      },
      // An empty Sid is no name: the index points the reader instead. Effect is case-insensitive.
      { kind: 'aws-policy', effect: 'Deny', source: 'arn:aws:iam::123456789012:policy/agent#2', actions: ['kms:Decrypt'], resources: ['*'] },
    ]);
  });
});

describe('trustFromStatements', () => {
  const assume = { Effect: 'Allow', Action: 'sts:AssumeRole' };

  it('reads "Principal": "*" and {"AWS": "*"} as anyone', () => {
    expect(trustOf({ ...assume, Principal: '*' })).toEqual([
      { effect: 'Allow', source: 'AssumeRolePolicyDocument#0', actions: ['sts:AssumeRole'], type: 'any', principal: '*' },
    ]);
    expect(trustOf({ ...assume, Principal: { AWS: '*' } })).toMatchObject([{ type: 'any', principal: '*' }]);
    expect(trustOf({ ...assume, Principal: { AWS: ['*'] } })).toMatchObject([{ type: 'any', principal: '*' }]);
  });

  it('reads an oidc-provider ARN as OIDC with its issuer, keeping the conditions', () => {
    const gh = 'token.actions.githubusercontent.com';
    const conditions = { StringEquals: { [`${gh}:aud`]: 'sts.amazonaws.com' }, StringLike: { [`${gh}:sub`]: ['repo:acme/onboarding:environment:prod'] } };
    expect(trustOf({ Sid: 'GitHub', Effect: 'Allow', Action: 'sts:AssumeRoleWithWebIdentity', Principal: { Federated: `arn:aws:iam::1:oidc-provider/${gh}` }, Condition: conditions })).toEqual([
      {
        effect: 'Allow',
        source: 'AssumeRolePolicyDocument#GitHub',
        actions: ['sts:AssumeRoleWithWebIdentity'],
        conditions,
        type: 'oidc',
        principal: `arn:aws:iam::1:oidc-provider/${gh}`,
        issuer: gh,
      },
    ]);
  });

  it('reads Cognito as an OIDC issuer, and a SAML provider as an account principal (people, not a workload)', () => {
    expect(trustOf({ ...assume, Principal: { Federated: 'cognito-identity.amazonaws.com' } })).toMatchObject([
      { type: 'oidc', principal: 'cognito-identity.amazonaws.com', issuer: 'cognito-identity.amazonaws.com' },
    ]);
    const saml = trustOf({ ...assume, Principal: { Federated: 'arn:aws:iam::123456789012:saml-provider/Okta' } });
    expect(saml).toMatchObject([{ type: 'account', principal: 'arn:aws:iam::123456789012:saml-provider/Okta' }]);
    expect(saml[0]).not.toHaveProperty('issuer');
  });

  it('gives one entry per service of a list, and reads an account principal as such', () => {
    expect(trustOf({ ...assume, Principal: { Service: ['ecs-tasks.amazonaws.com', 'lambda.amazonaws.com'] } })).toEqual([
      { effect: 'Allow', source: 'AssumeRolePolicyDocument#0', actions: ['sts:AssumeRole'], type: 'service', principal: 'ecs-tasks.amazonaws.com' },
      { effect: 'Allow', source: 'AssumeRolePolicyDocument#0', actions: ['sts:AssumeRole'], type: 'service', principal: 'lambda.amazonaws.com' },
    ]);
    expect(trustOf({ ...assume, Principal: { AWS: 'arn:aws:iam::210987654321:root' } })).toMatchObject([{ type: 'account', principal: 'arn:aws:iam::210987654321:root' }]);
  });

  it('keeps a Deny, so rules can tell it is never a way in', () => {
    expect(trustOf({ Effect: 'Deny', Action: 'sts:AssumeRole', Principal: { AWS: 'arn:aws:iam::210987654321:root' } })).toMatchObject([
      { effect: 'Deny', type: 'account', principal: 'arn:aws:iam::210987654321:root' },
    ]);
  });

  it('reads NotPrincipal as anyone, naming the exceptions', () => {
    expect(trustOf({ ...assume, NotPrincipal: { AWS: ['arn:aws:iam::123456789012:role/admin'] } })).toEqual([
      { effect: 'Allow', source: 'AssumeRolePolicyDocument#0', actions: ['sts:AssumeRole'], type: 'any', principal: '*', notPrincipal: ['arn:aws:iam::123456789012:role/admin'] },
    ]);
  });

  it('reads a URL-encoded trust policy with several statements, numbering sources by position', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [
        { ...assume, Principal: { Service: 'ecs-tasks.amazonaws.com' } },
        { ...assume, Principal: { AWS: '*' } },
      ],
    };
    const trust = trustFromStatements(statementsOf(encodeURIComponent(JSON.stringify(doc))), 'AssumeRolePolicyDocument');
    expect(trust.map((t) => [t.source, t.type])).toEqual([
      ['AssumeRolePolicyDocument#0', 'service'],
      ['AssumeRolePolicyDocument#1', 'any'],
    ]);
  });
});
