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

// Optional fields of the common kinds, one schema each: zod schemas are immutable, and building
// the same one dozens of times was a measurable part of every audit's start-up.
const optionalText = z.string().optional();
const optionalPath = repoPath.optional();
const optionalDate = isoDate.optional();
const optionalNumber = z.number().optional();
const optionalBoolean = z.boolean().optional();

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
  tenantId: optionalText,
  applicationId: optionalText,
  managedIdentityObjectId: optionalText,
  agentIdentityId: optionalText,
});
const gcpIdentity = z.strictObject({
  projectId: optionalText,
  serviceAccount: z
    .string()
    .regex(/^[a-z0-9-]+@[a-z0-9.-]+$/, 'expected a service-account e-mail (NAME@PROJECT.iam.gserviceaccount.com)')
    .optional(),
  workloadIdentityProvider: optionalText,
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
        system: optionalText,
        access: z.enum(['read', 'write', 'admin']).optional(),
        constraint: optionalText,
      }),
    )
    .optional(),
  sensitivityLabels: z.array(z.string()).optional(),
  maxSessionDuration: isoDuration.optional(),
  lastReviewed: optionalDate,
  reviewCadence: z.enum(['monthly', 'quarterly', 'yearly']).optional(),
  reviewer: email.optional(),
});

const secretsSchema = z.strictObject({
  tokenLifetime: isoDuration.optional(),
  residual: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        ref: optionalText,
        reason: optionalText,
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
  store: optionalText,
  apmStore: optionalText,
  retentionDays: z.number().int().nonnegative().optional(),
  schema: optionalPath,
  format: z.enum(auditFormats).optional(),
  fieldMap: z.record(z.string(), z.string()).optional(),
  sample: optionalPath,
});

const lifecycleSchema = z.strictObject({
  version: optionalText,
  prompt: z.strictObject({ path: optionalPath, id: optionalText }).optional(),
  toolRegistry: z.strictObject({ path: optionalPath }).optional(),
  codeowners: optionalPath,
  evals: z.strictObject({ path: optionalPath, command: optionalText }).optional(),
  pipeline: z.strictObject({ path: optionalPath }).optional(),
  rollback: z.strictObject({ procedure: optionalPath }).optional(),
});

const modelSchema = z.strictObject({
  provider: z.enum(modelProviders).optional(),
  id: optionalText,
  /** For opaque ids (an Azure deployment name, a Bedrock inference-profile ARN): the model behind it. */
  backingModelId: optionalText,
  versionUpgradeOption: z.enum(['OnceNewDefaultVersionAvailable', 'OnceCurrentVersionExpired', 'NoAutoUpgrade']).optional(),
  updateCadence: z.enum(['per-update', 'monthly', 'quarterly']).optional(),
  lastEvaluated: optionalDate,
  rollback: z.strictObject({ previousId: optionalText, windowHours: z.number().positive().optional() }).optional(),
  contract: z
    .strictObject({
      materialChangeNotice: optionalBoolean,
      noticeDays: z.number().int().nonnegative().optional(),
      clauseRef: optionalText,
    })
    .optional(),
});

const quotaSchema = z.strictObject({
  callsPerMinute: optionalNumber,
  callsPerDay: optionalNumber,
  monthlySpend: z.strictObject({ amount: optionalNumber, currency: optionalText }).optional(),
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
  chargeback: z.strictObject({ costCentre: optionalText }).optional(),
  anomalyDetection: z
    .strictObject({
      enabled: optionalBoolean,
      provider: optionalText,
      thresholdMultiplier: z.number().positive().optional(),
    })
    .optional(),
});

const incidentResponseSchema = z.strictObject({
  playbooks: z.array(repoPath).optional(),
  owner: optionalText,
  lastExercised: optionalDate,
});

export const manifestSchema = z
  .strictObject({
    apiVersion: z.literal('agent-ready/v1'),
    kind: z.literal('DigitalEmployee'),
    metadata: z.strictObject({
      name: z.string().min(1),
      purpose: optionalText,
      environment: z.enum(environments).optional(),
      businessUnit: optionalText,
      owner: optionalText,
      supervisor: optionalText,
      costCentre: optionalText,
      regulatoryRegime: optionalText,
      procurement: z
        .strictObject({
          contractId: optionalText,
          vendor: optionalText,
          endDate: optionalDate,
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
