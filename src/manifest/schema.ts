// The deployment manifest v1 and the repository policy file, as one zod definition.
// Types, validation and the published JSON Schema all come from here.
//
// Most fields are optional on purpose: a manifest that leaves a decision out still loads,
// and the rule that judges that decision fails with a message naming the missing field.
// The schema rejects only what cannot mean anything: unknown keys, wrong types, bad
// enums, malformed dates and durations, paths that leave the repository.
import * as z from 'zod';
import { parseIsoDuration } from './duration';

// Validation runs once per document: the JIT's compile cost never pays off.
z.config({ jitless: true });

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'not a calendar date');

const isoDuration = z
  .string()
  .refine((s) => parseIsoDuration(s) !== undefined, 'expected an ISO 8601 duration such as PT1H or P90D');

/** A repository-relative path. Escapes (`../`) and absolute paths are rejected. */
export const repoPath = z
  .string()
  .min(1)
  .superRefine((p, ctx) => {
    const problem = repoPathProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({ description: 'A path relative to the repository root; it must stay inside the repository.' });

export function repoPathProblem(p: string): string | undefined {
  if (p.includes('\0')) return 'path contains a NUL character';
  if (/^([a-zA-Z]:)?[\\/]/.test(p) || p.startsWith('~')) return `"${p}" is absolute; paths are relative to the repository root`;
  const parts = p.split(/[\\/]+/);
  let depth = 0;
  for (const part of parts) {
    if (part === '..') depth -= 1;
    else if (part !== '.' && part !== '') depth += 1;
    if (depth < 0) return `"${p}" escapes the repository root`;
  }
  return undefined;
}

const email = z.string().min(1);

export const environments = ['prod', 'staging', 'dev', 'test'] as const;
export const identityTypes = ['workload', 'service-account', 'user', 'api-key'] as const;
export const cloudProviders = ['aws', 'azure', 'gcp'] as const;
export const modelProviders = [
  'openai', 'anthropic', 'azure-openai', 'bedrock', 'vertex', 'mistral', 'cohere', 'other',
] as const;
export const severities = ['low', 'medium', 'high', 'critical'] as const;
export const failOnLevels = ['none', ...severities] as const;

export const ruleIdPattern = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*-\d{3}$/;
const ruleId = z.string().regex(ruleIdPattern, 'expected a rule id such as AR-SC-002');

export const waiverSchema = z
  .strictObject({
    rule: ruleId,
    reason: z.string().trim().min(1, 'a waiver needs a reason'),
    approvedBy: z.string().trim().min(1, 'a waiver needs approvedBy'),
    expires: isoDate,
  })
  .meta({ description: 'Accepted risk for one rule: reason, approver and expiry are all required.' });

const awsIdentity = z.strictObject({
  roleArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/, 'expected an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)'),
});
const azureIdentity = z.strictObject({
  tenantId: z.string().optional(),
  applicationId: z.string().optional(),
  managedIdentityObjectId: z.string().optional(),
  agentIdentityId: z.string().optional(),
});
const gcpIdentity = z.strictObject({
  projectId: z.string().optional(),
  serviceAccount: z
    .string()
    .regex(/^[a-z0-9-]+@[a-z0-9.-]+$/, 'expected a service-account e-mail (NAME@PROJECT.iam.gserviceaccount.com)')
    .optional(),
  workloadIdentityProvider: z.string().optional(),
});

const identitySchema = z
  .strictObject({
    type: z.enum(identityTypes).optional(),
    provider: z.enum(cloudProviders).optional(),
    aws: awsIdentity.optional(),
    azure: azureIdentity.optional(),
    gcp: gcpIdentity.optional(),
  })
  .superRefine((id, ctx) => {
    // "provider: exactly the matching block": a block for another cloud is a contradiction.
    const blocks = cloudProviders.filter((p) => id[p] !== undefined);
    if (id.provider) {
      if (!id[id.provider]) {
        ctx.addIssue({ code: 'custom', path: ['provider'], message: `provider is ${id.provider} but there is no identity.${id.provider} block` });
      }
      for (const other of blocks.filter((p) => p !== id.provider)) {
        ctx.addIssue({ code: 'custom', path: [other], message: `identity.${other} given but provider is ${id.provider}: keep exactly the matching block` });
      }
    } else if (blocks.length > 0) {
      ctx.addIssue({ code: 'custom', path: [blocks[0]!], message: `identity.${blocks[0]} given without identity.provider` });
    }
  });

const scopeSchema = z.strictObject({
  model: z.enum(['abac', 'rbac']).optional(),
  policies: z.array(repoPath).optional(),
  resources: z
    .array(
      z.strictObject({
        system: z.string().optional(),
        access: z.enum(['read', 'write', 'admin']).optional(),
        constraint: z.string().optional(),
      }),
    )
    .optional(),
  sensitivityLabels: z.array(z.string()).optional(),
  maxSessionDuration: isoDuration.optional(),
  lastReviewed: isoDate.optional(),
  reviewCadence: z.enum(['monthly', 'quarterly', 'yearly']).optional(),
  reviewer: email.optional(),
});

const secretsSchema = z.strictObject({
  tokenLifetime: isoDuration.optional(),
  residual: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        ref: z.string().optional(),
        reason: z.string().optional(),
        rotationDays: z.number().int().positive().optional(),
      }),
    )
    .optional(),
});

const runtimeSchema = z.strictObject({
  env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  configFiles: z.array(repoPath).optional(),
});

export const auditFormats = ['native', 'ocsf', 'ecs', 'cloudtrail'] as const;
const auditSchema = z.strictObject({
  store: z.string().optional(),
  apmStore: z.string().optional(),
  retentionDays: z.number().int().nonnegative().optional(),
  schema: repoPath.optional(),
  format: z.enum(auditFormats).optional(),
  fieldMap: z.record(z.string(), z.string()).optional(),
  sample: repoPath.optional(),
});

const lifecycleSchema = z.strictObject({
  version: z.string().optional(),
  prompt: z.strictObject({ path: repoPath.optional(), id: z.string().optional() }).optional(),
  toolRegistry: z.strictObject({ path: repoPath.optional() }).optional(),
  codeowners: repoPath.optional(),
  evals: z.strictObject({ path: repoPath.optional(), command: z.string().optional() }).optional(),
  pipeline: z.strictObject({ path: repoPath.optional() }).optional(),
  rollback: z.strictObject({ procedure: repoPath.optional() }).optional(),
});

const modelSchema = z.strictObject({
  provider: z.enum(modelProviders).optional(),
  id: z.string().optional(),
  /** For opaque ids (an Azure deployment name, a Bedrock inference-profile ARN): the model behind it. */
  backingModelId: z.string().optional(),
  versionUpgradeOption: z.enum(['OnceNewDefaultVersionAvailable', 'OnceCurrentVersionExpired', 'NoAutoUpgrade']).optional(),
  updateCadence: z.enum(['per-update', 'monthly', 'quarterly']).optional(),
  lastEvaluated: isoDate.optional(),
  rollback: z.strictObject({ previousId: z.string().optional(), windowHours: z.number().positive().optional() }).optional(),
  contract: z
    .strictObject({
      materialChangeNotice: z.boolean().optional(),
      noticeDays: z.number().int().nonnegative().optional(),
      clauseRef: z.string().optional(),
    })
    .optional(),
});

const quotaSchema = z.strictObject({
  callsPerMinute: z.number().optional(),
  callsPerDay: z.number().optional(),
  monthlySpend: z.strictObject({ amount: z.number().optional(), currency: z.string().optional() }).optional(),
  onLimit: z.enum(['degrade', 'stop']).optional(),
  alerts: z.array(z.string()).optional(),
  actions: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        perMinute: z.number().positive().optional(),
        perHour: z.number().positive().optional(),
        perDay: z.number().positive().optional(),
      }),
    )
    .optional(),
  chargeback: z.strictObject({ costCentre: z.string().optional() }).optional(),
  anomalyDetection: z
    .strictObject({
      enabled: z.boolean().optional(),
      provider: z.string().optional(),
      thresholdMultiplier: z.number().positive().optional(),
    })
    .optional(),
});

const incidentResponseSchema = z.strictObject({
  playbooks: z.array(repoPath).optional(),
  owner: z.string().optional(),
  lastExercised: isoDate.optional(),
});

export const manifestSchema = z
  .strictObject({
    apiVersion: z.literal('agent-ready/v1'),
    kind: z.literal('DigitalEmployee'),
    metadata: z.strictObject({
      name: z.string().min(1),
      purpose: z.string().optional(),
      environment: z.enum(environments).optional(),
      businessUnit: z.string().optional(),
      owner: z.string().optional(),
      supervisor: z.string().optional(),
      costCentre: z.string().optional(),
      regulatoryRegime: z.string().optional(),
      procurement: z
        .strictObject({
          contractId: z.string().optional(),
          vendor: z.string().optional(),
          endDate: isoDate.optional(),
          onTermination: z.enum(['delete-identity', 'disable-identity']).optional(),
        })
        .optional(),
    }),
    identity: identitySchema.optional(),
    scope: scopeSchema.optional(),
    secrets: secretsSchema.optional(),
    runtime: runtimeSchema.optional(),
    audit: auditSchema.optional(),
    lifecycle: lifecycleSchema.optional(),
    model: modelSchema.optional(),
    quota: quotaSchema.optional(),
    incidentResponse: incidentResponseSchema.optional(),
    waivers: z.array(waiverSchema).optional(),
  })
  .meta({
    title: 'agent-ready deployment manifest v1',
    description: 'One digital employee: an AI agent that acts in the environment under its own identity.',
  });

export type Manifest = z.infer<typeof manifestSchema>;
export type Waiver = z.infer<typeof waiverSchema>;
export type Severity = (typeof severities)[number];
export type FailOn = (typeof failOnLevels)[number];

export const defaultNamingPattern = '^agent-[a-z0-9]+(-[a-z0-9]+)*-(prod|staging|dev|test)$';

export const policySchema = z
  .strictObject({
    naming: z
      .string()
      .refine((s) => {
        try {
          new RegExp(s);
          return true;
        } catch {
          return false;
        }
      }, 'not a valid regular expression')
      .default(defaultNamingPattern),
    requiredTags: z.array(z.string().min(1)).default(['owner', 'cost-centre']),
    retentionDays: z
      .record(z.string(), z.number().int().nonnegative())
      .default({ 'financial-services': 2555, healthcare: 2190, default: 365 }),
    failOn: z.enum(failOnLevels).default('high'),
    minScore: z.number().min(0).max(100).default(0),
    severity: z.record(ruleId, z.enum(severities)).default({}),
    waivers: z.array(waiverSchema).default([]),
    /** Local check modules (paths relative to the repository root; never fetched). */
    plugins: z.array(repoPath).default([]),
  })
  .meta({ title: 'agent-ready repository policy (.agent-ready.yaml)' });

export type Policy = z.infer<typeof policySchema>;
export const defaultPolicy: Policy = policySchema.parse({});
