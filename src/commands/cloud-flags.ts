// The cloud flags `audit` and `gather` share, parsed into gathering options. Bad values are
// bad usage (exit 2) before any call is made.
import { relative, resolve } from 'node:path';
import { InputError } from '../manifest/input-error';
import type { CloudGatherOptions } from '../evidence/cloud/gather';
import { apiOriginProblem } from '../evidence/cloud/api-origin';

export interface CloudFlags {
  awsProfile?: string;
  awsRegion?: string;
  awsAuthDetails?: string;
  awsCredentialReport?: string;
  azureTenant?: string;
  gcpProject?: string;
  timeout?: string;
  concurrency?: string;
}

function positive(value: string | undefined, flag: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new InputError({ file: flag, message: `"${value}" is not a number from 1 to ${max}` });
  return n;
}

export function cloudGatherOptions(flags: CloudFlags, cwd: string): CloudGatherOptions {
  const timeout = positive(flags.timeout, '--timeout', 600);
  const concurrency = positive(flags.concurrency, '--concurrency', 64);
  if (flags.awsCredentialReport && !flags.awsAuthDetails) {
    throw new InputError({ file: '--aws-credential-report', message: 'goes with --aws-auth-details (live gathering reads access keys itself)' });
  }
  const file = (f: string) => ({ file: resolve(cwd, f), displayPath: relative(cwd, resolve(cwd, f)) || f });
  const endpoint = process.env.AGENT_READY_AWS_ENDPOINT?.trim();
  const graphUrl = process.env.AGENT_READY_GRAPH_URL?.trim();
  const graphUrlProblem = graphUrl ? apiOriginProblem(graphUrl, 'https://graph.microsoft.us') : undefined;
  if (graphUrlProblem) throw new InputError({ file: 'AGENT_READY_GRAPH_URL', message: graphUrlProblem });
  const azureToken = process.env.AGENT_READY_AZURE_TOKEN?.trim();
  if (flags.azureTenant !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$|^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(flags.azureTenant.trim())) {
    throw new InputError({ file: '--azure-tenant', message: `"${flags.azureTenant}" is not a tenant id (a GUID) or a tenant domain (contoso.onmicrosoft.com)` });
  }
  const gcpUrls: Record<'iamUrl' | 'crmUrl', string | undefined> = { iamUrl: process.env.AGENT_READY_GCP_IAM_URL?.trim(), crmUrl: process.env.AGENT_READY_GCP_CRM_URL?.trim() };
  for (const [key, variable] of [['iamUrl', 'AGENT_READY_GCP_IAM_URL'], ['crmUrl', 'AGENT_READY_GCP_CRM_URL']] as const) {
    const problem = gcpUrls[key] ? apiOriginProblem(gcpUrls[key], 'https://iam.googleapis.com') : undefined;
    if (problem) throw new InputError({ file: variable, message: problem });
  }
  const gcpToken = process.env.AGENT_READY_GCP_TOKEN?.trim();
  if (flags.gcpProject !== undefined && !/^[a-z][a-z0-9-]{4,28}[a-z0-9]$|^\d+$/.test(flags.gcpProject.trim())) {
    throw new InputError({ file: '--gcp-project', message: `"${flags.gcpProject}" is not a project id (6-30 lowercase letters, digits, hyphens) or number` });
  }
  const shared = {
    ...(timeout ? { timeoutMs: Math.round(timeout * 1000) } : {}),
    ...(concurrency ? { concurrency: Math.floor(concurrency) } : {}),
  };
  return {
    aws: {
      ...(flags.awsProfile ? { profile: flags.awsProfile } : {}),
      ...(flags.awsRegion ? { region: flags.awsRegion } : {}),
      ...(endpoint ? { endpoint } : {}),
      ...shared,
      ...(flags.awsAuthDetails ? { authDetails: file(flags.awsAuthDetails) } : {}),
      ...(flags.awsCredentialReport ? { credentialReport: file(flags.awsCredentialReport) } : {}),
    },
    azure: {
      ...shared,
      ...(flags.azureTenant ? { tenantId: flags.azureTenant.trim() } : {}),
      ...(graphUrl ? { graphUrl } : {}),
      ...(azureToken ? { token: azureToken } : {}),
    },
    gcp: {
      ...shared,
      ...(flags.gcpProject ? { projectId: flags.gcpProject.trim() } : {}),
      ...(gcpUrls.iamUrl ? { iamUrl: gcpUrls.iamUrl } : {}),
      ...(gcpUrls.crmUrl ? { crmUrl: gcpUrls.crmUrl } : {}),
      ...(gcpToken ? { token: gcpToken } : {}),
    },
  };
}
