import { describe, expect, it } from 'vitest';
import { parseCredentialReport, readCsv } from '../../../src/evidence/aws/credential-report';
import { InputError } from '../../../src/manifest/input-error';

// Every column AWS writes, in AWS's order.
const header =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
const rows = [
  '<root_account>,arn:aws:iam::111122223333:root,2019-01-01T00:00:00+00:00,not_supported,2024-05-01T10:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
  // Key 1 active and used; key 2 deactivated (still there), never used.
  'agent-ci,arn:aws:iam::111122223333:user/agent-ci,2023-01-05T09:00:00+00:00,false,N/A,N/A,N/A,false,true,2023-01-05T09:10:00+00:00,2024-06-30T12:00:00+00:00,eu-west-1,s3,false,2022-11-01T08:00:00+00:00,N/A,N/A,N/A,false,N/A,false,N/A',
  // A user without keys.
  'alice,arn:aws:iam::111122223333:user/people/alice,2022-03-01T00:00:00+00:00,true,no_information,2022-03-01T00:00:00+00:00,N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
];
const csv = `${header}\n${rows.join('\n')}\n`;
const wrapper = (content: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ Content: Buffer.from(content).toString('base64'), ReportFormat: 'text/csv', GeneratedTime: '2024-07-01T06:00:00Z', ...extra }, null, 4);

const agentKeys = [
  { id: 'access_key_1', active: true, created: '2023-01-05T09:10:00.000Z', lastUsed: '2024-06-30T12:00:00.000Z' },
  { id: 'access_key_2', active: false, created: '2022-11-01T08:00:00.000Z' },
];

function inputErrorOf(run: () => unknown): InputError {
  try {
    run();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('credential report', () => {
  it('reads the decoded CSV: keys that exist, by slot, with their dates', () => {
    const report = parseCredentialReport(csv, 'report.csv');
    expect(report.generatedTime).toBeUndefined();
    expect(report.user('agent-ci')).toEqual({ user: 'agent-ci', arn: 'arn:aws:iam::111122223333:user/agent-ci', accessKeys: agentKeys });
    expect(report.user('ALICE')?.accessKeys).toEqual([]);
    expect(report.user('<root_account>')?.accessKeys).toEqual([]);
    expect(report.user('bob')).toBeUndefined();
    expect(report.users.map((u) => u.user)).toEqual(['<root_account>', 'agent-ci', 'alice']);
  });

  it('reads the JSON the CLI prints to the same keys, with the generation time', () => {
    const fromJson = parseCredentialReport(wrapper(csv), 'report.json');
    const fromCsv = parseCredentialReport(csv, 'report.csv');
    expect(fromJson.users).toEqual(fromCsv.users);
    expect(fromJson.user('agent-ci')?.accessKeys).toEqual(agentKeys);
    expect(fromJson.generatedTime).toBe('2024-07-01T06:00:00.000Z');
  });

  it('accepts CRLF line ends, a BOM and a quoted user name holding a comma', () => {
    const quoted = rows[2]!.replace('alice,', '"alice,ops",');
    const report = parseCredentialReport(`\ufeff${header}\r\n${quoted}\r\n`, 'report.csv');
    expect(report.user('alice,ops')?.arn).toBe('arn:aws:iam::111122223333:user/people/alice');
    expect(readCsv('a,"b ""c""",d\n\n1,2,3')).toEqual([
      { line: 1, fields: ['a', 'b "c"', 'd'] },
      { line: 3, fields: ['1', '2', '3'] },
    ]);
  });

  it('a header without a needed column is located on line 1', () => {
    const err = inputErrorOf(() => parseCredentialReport(`${header.replace(',access_key_2_last_rotated', '')}\n`, 'report.csv'));
    expect(err.problems).toEqual([{ file: 'report.csv', line: 1, column: 1, message: 'the header row has no access_key_2_last_rotated column; is this an IAM credential report?' }]);
  });

  it('row problems name their line and never the cell', () => {
    const badDate = rows[1]!.replace('2024-06-30T12:00:00+00:00', 'sometime-last-june');
    const short = 'bob,arn:aws:iam::111122223333:user/bob,true';
    const err = inputErrorOf(() => parseCredentialReport(`${header}\n${rows[0]}\n${badDate}\n${short}\n`, 'report.csv'));
    expect(err.problems).toEqual([
      { file: 'report.csv', line: 3, column: 1, message: 'access_key_1_last_used_date is not a date' },
      { file: 'report.csv', line: 4, column: 1, message: 'the row has 3 fields, the header has 22' },
    ]);
    expect(err.message).not.toContain('sometime');
  });

  it('an empty file is an error, not an account without keys', () => {
    expect(inputErrorOf(() => parseCredentialReport('\n', 'report.csv')).problems).toEqual([
      { file: 'report.csv', line: 1, column: 1, message: 'the credential report is empty (expected a header row starting with user,arn)' },
    ]);
  });

  it('JSON problems are located in the JSON file', () => {
    const noContent = inputErrorOf(() => parseCredentialReport('{\n  "ReportFormat": "text/csv"\n}', 'report.json'));
    expect(noContent.problems).toEqual([{ file: 'report.json', line: 1, column: 1, message: 'Content is required' }]);

    const notBase64 = inputErrorOf(() => parseCredentialReport('{\n  "Content": "user,arn!"\n}', 'report.json'));
    expect(notBase64.problems).toEqual([{ file: 'report.json', line: 2, column: 14, message: 'Content is not base64 (the CSV as `aws iam get-credential-report` prints it)' }]);

    const syntax = inputErrorOf(() => parseCredentialReport('{\n  "Content": secret-value\n}', 'report.json'));
    expect(syntax.problems).toEqual([{ file: 'report.json', line: 2, column: 14, message: expect.stringMatching(/^invalid JSON: /) }]);
    expect(syntax.message).not.toContain('secret-value');
  });

  it('a CSV problem inside Content points at Content and names the decoded line', () => {
    const err = inputErrorOf(() => parseCredentialReport(wrapper(`${header}\n${rows[0]}\n${rows[1]!.replace(',true,2023', ',maybe,2023')}\n`), 'report.json'));
    expect(err.problems).toEqual([{ file: 'report.json', line: 2, column: 16, message: 'Content (decoded CSV) line 3: access_key_1_active is neither true nor false' }]);
  });
});
