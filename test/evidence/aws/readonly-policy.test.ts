// The read-only policy users attach (docs/ and README) allows exactly the calls the live
// provider makes: a missing action would turn rules into `error` at every client.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../helpers/cli';

const source = readFileSync(join(projectRoot, 'src/evidence/aws/iam-api-source.ts'), 'utf8');
const callsMade = [...new Set([...source.matchAll(/'(iam:[A-Za-z]+)'/g)].map((m) => m[1]!))].sort();

function actionsOf(doc: { Statement: { Effect: string; Action: string[]; Resource: string }[] }): string[] {
  expect(doc.Statement.every((s) => s.Effect === 'Allow')).toBe(true);
  return doc.Statement.flatMap((s) => s.Action).sort();
}

describe('the read-only IAM policy for the AWS provider', () => {
  it('finds the calls in the provider (guards the test itself)', () => {
    expect(callsMade).toContain('iam:GetRole');
    expect(callsMade).toContain('iam:ListAccessKeys');
  });

  it('docs/aws-iam-readonly-policy.json allows exactly those calls, and only read actions', () => {
    const actions = actionsOf(JSON.parse(readFileSync(join(projectRoot, 'docs/aws-iam-readonly-policy.json'), 'utf8')));
    expect(actions).toEqual(callsMade);
    for (const a of actions) expect(a).toMatch(/^iam:(Get|List)/);
  });

  it('the README shows the same policy', () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    const block = /The read-only permissions it needs[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block, 'README section "The read-only permissions it needs" with a json block').toBeDefined();
    expect(actionsOf(JSON.parse(block!))).toEqual(callsMade);
  });
});
