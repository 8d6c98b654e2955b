// An IAM credential report (`aws iam get-credential-report`), read offline: the one export
// that says which IAM users hold access keys, since get-account-authorization-details lists
// none. Accepted as the JSON the CLI prints (base64 CSV in `Content`) or as the decoded CSV.
// Problems are located (file:line:col) and never quote a cell: a report is account data.
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { InputError } from '../../manifest/input-error';
import { schemaProblems } from '../../manifest/load';
import { parseYamlDocuments } from '../../manifest/yaml-source';
import { parseJson, stripBom } from '../repo/json-syntax';
import type { AwsAccessKeyFacts } from './source';

export interface CredentialReportUser {
  /** `<root_account>` for the account's root row, as AWS writes it. */
  user: string;
  arn: string;
  accessKeys: AwsAccessKeyFacts[];
}

export class CredentialReport {
  constructor(
    readonly displayPath: string,
    /** When AWS generated the report (ISO 8601), if the JSON wrapper said so. */
    readonly generatedTime: string | undefined,
    private readonly byName: Map<string, CredentialReportUser>,
  ) {}

  /** IAM user names are unique case-insensitively, so lookups are too. */
  user(name: string): CredentialReportUser | undefined {
    return this.byName.get(name.toLowerCase());
  }

  get users(): CredentialReportUser[] {
    return [...this.byName.values()];
  }
}

/** AWS's ways of writing "nothing here" in a report cell. */
const absentValues = new Set(['', 'n/a', 'not_supported', 'no_information']);

const keySlots = [1, 2] as const;
const requiredColumns = ['user', 'arn', ...keySlots.flatMap((n) => [`access_key_${n}_active`, `access_key_${n}_last_rotated`, `access_key_${n}_last_used_date`])];

const wrapperSchema = z.looseObject({
  Content: z.string(),
  ReportFormat: z.literal('text/csv').optional(),
  GeneratedTime: z
    .string()
    .refine((s) => !Number.isNaN(new Date(s).getTime()), 'expected a date')
    .optional(),
});

export function loadCredentialReport(file: string, displayPath: string): CredentialReport {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError({ file: displayPath, message: `cannot read the credential report: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
  }
  return parseCredentialReport(text, displayPath);
}

export function parseCredentialReport(raw: string, displayPath: string): CredentialReport {
  const text = stripBom(raw);
  // The CSV always starts with its header (`user,...`); anything starting with `{` is the CLI's JSON.
  if (text.trimStart().startsWith('{')) return parseWrapper(text, displayPath);
  const rows = readCsv(text);
  const { users, problems } = usersFrom(rows);
  if (problems.length) throw new InputError(problems.map((p) => ({ file: displayPath, line: p.line, column: 1, message: p.message })));
  return new CredentialReport(displayPath, undefined, users);
}

function parseWrapper(text: string, displayPath: string): CredentialReport {
  const parsed = parseJson(text);
  if (!parsed.ok) throw new InputError({ file: displayPath, line: parsed.error.line, column: parsed.error.column, message: `invalid JSON: ${parsed.error.message}` });
  const locate = () => {
    const doc = parseYamlDocuments(text, displayPath).documents[0];
    if (!doc) throw new InputError({ file: displayPath, line: 1, column: 1, message: 'not a credential report' });
    return doc;
  };
  const result = wrapperSchema.safeParse(parsed.value);
  if (!result.success) throw new InputError(schemaProblems(result.error, locate(), displayPath));
  const content = result.data.Content.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(content) || content.length % 4 === 1) {
    throw new InputError({ file: displayPath, ...locate().locate(['Content']), message: 'Content is not base64 (the CSV as `aws iam get-credential-report` prints it)' });
  }
  const csv = stripBom(Buffer.from(content, 'base64').toString('utf8'));
  const { users, problems } = usersFrom(readCsv(csv));
  if (problems.length) {
    // Lines of the decoded CSV do not exist in the file: point at Content and name the CSV line.
    const at = locate().locate(['Content']);
    throw new InputError(problems.map((p) => ({ file: displayPath, ...at, message: `Content (decoded CSV) line ${p.line}: ${p.message}` })));
  }
  const generated = result.data.GeneratedTime === undefined ? undefined : new Date(result.data.GeneratedTime).toISOString();
  return new CredentialReport(displayPath, generated, users);
}

interface CsvRow {
  /** 1-based line the record starts on. */
  line: number;
  fields: string[];
}

/**
 * RFC 4180 records. AWS writes no quotes today, but IAM user names may contain commas, so a
 * quoted field must not split. Blank lines are skipped.
 */
export function readCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    for (; i < text.length; i++) {
      const c = text[i]!;
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') {
          field += '"';
          i++;
        } else if (c === '"') quoted = false;
        else {
          if (c === '\n') line++;
          field += c;
        }
      } else if (c === '"' && field === '') quoted = true;
      else if (c === ',') {
        fields.push(field);
        field = '';
      } else if (c === '\r' || c === '\n') {
        if (c === '\r' && text[i + 1] === '\n') i++;
        i++;
        line++;
        break;
      } else field += c;
    }
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '') rows.push({ line: start, fields });
  }
  return rows;
}

function present(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  return absentValues.has(v.toLowerCase()) ? undefined : v;
}

function usersFrom(rows: CsvRow[]): { users: Map<string, CredentialReportUser>; problems: { line: number; message: string }[] } {
  const users = new Map<string, CredentialReportUser>();
  const problems: { line: number; message: string }[] = [];
  const header = rows[0];
  if (!header) return { users, problems: [{ line: 1, message: 'the credential report is empty (expected a header row starting with user,arn)' }] };
  const columns = header.fields.map((f) => f.trim().toLowerCase());
  const missing = requiredColumns.filter((c) => !columns.includes(c));
  if (missing.length) return { users, problems: [{ line: header.line, message: `the header row has no ${missing.join(', ')} column${missing.length > 1 ? 's' : ''}; is this an IAM credential report?` }] };
  const index = (name: string) => columns.indexOf(name);
  const firstLine = new Map<string, number>();

  for (const row of rows.slice(1)) {
    const problem = (message: string) => problems.push({ line: row.line, message });
    if (row.fields.length !== columns.length) {
      problem(`the row has ${row.fields.length} fields, the header has ${columns.length}`);
      continue;
    }
    const cell = (name: string) => row.fields[index(name)];
    const user = cell('user')?.trim() ?? '';
    const arn = cell('arn')?.trim() ?? '';
    if (!user || !arn) {
      problem(`the row has no ${user ? 'arn' : 'user'}`);
      continue;
    }
    const seen = firstLine.get(user.toLowerCase());
    if (seen !== undefined) {
      problem(`user ${user} is already listed on line ${seen}`);
      continue;
    }
    firstLine.set(user.toLowerCase(), row.line);
    const accessKeys: AwsAccessKeyFacts[] = [];
    for (const n of keySlots) {
      const activeText = cell(`access_key_${n}_active`)!.trim().toLowerCase();
      if (activeText !== 'true' && activeText !== 'false') {
        problem(`access_key_${n}_active is neither true nor false`);
        continue;
      }
      const dates: Record<'created' | 'lastUsed', string | undefined> = { created: undefined, lastUsed: undefined };
      for (const [field, column] of [['created', `access_key_${n}_last_rotated`], ['lastUsed', `access_key_${n}_last_used_date`]] as const) {
        const value = present(cell(column));
        if (value === undefined) continue;
        const date = new Date(value);
        if (Number.isNaN(date.getTime())) problem(`${column} is not a date`);
        else dates[field] = date.toISOString();
      }
      const active = activeText === 'true';
      // A slot never used shows active=false and N/A dates: no key there, nothing to report.
      if (!active && dates.created === undefined) continue;
      // The report carries no key ids (AWS leaves them out); the slot is the stable name it
      // gives a key, and with the owner's ARN it identifies the key in findings.
      accessKeys.push({
        id: `access_key_${n}`,
        active,
        // Access keys cannot be rotated in place, so "last rotated" is when this key was created.
        ...(dates.created ? { created: dates.created } : {}),
        ...(dates.lastUsed ? { lastUsed: dates.lastUsed } : {}),
      });
    }
    users.set(user.toLowerCase(), { user, arn, accessKeys });
  }
  return { users, problems };
}
