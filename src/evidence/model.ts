// The provider-neutral cloud evidence model and the evidence bundle (spec/evidence.md).
// Providers fill it; rules read it; `gather` saves it; `audit --evidence` loads it.
import * as z from 'zod';
import { cloudProviders } from '../manifest/schema';

const conditionValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number(), z.boolean()]))]);
/** IAM-style conditions: operator -> key -> value(s). */
export const conditionsSchema = z.record(z.string(), z.record(z.string(), conditionValue));

export const trustSchema = z.looseObject({
  type: z.enum(['oidc', 'service', 'account', 'any', 'managed']),
  /** AWS trust statements can Deny; a Deny is never a way in. */
  effect: z.enum(['Allow', 'Deny']).optional(),
  issuer: z.string().optional(),
  principal: z.string().optional(),
  subject: z.string().optional(),
  audiences: z.array(z.string()).optional(),
  attributeCondition: z.string().optional(),
  actions: z.array(z.string()).optional(),
  conditions: conditionsSchema.optional(),
  source: z.string().optional(),
});

export const credentialSchema = z.looseObject({
  kind: z.enum(['access-key', 'client-secret', 'certificate', 'sa-key']),
  id: z.string(),
  active: z.boolean(),
  created: z.string().optional(),
  expires: z.string().optional(),
  lastUsed: z.string().optional(),
  /** Where the credential hangs: an IAM user, an application. */
  owner: z.string().optional(),
});

export const grantSchema = z.looseObject({
  kind: z.enum(['aws-policy', 'graph-application', 'graph-delegated', 'gcp-role']),
  effect: z.enum(['Allow', 'Deny']).default('Allow'),
  actions: z.array(z.string()).optional(),
  notActions: z.array(z.string()).optional(),
  resources: z.array(z.string()).optional(),
  notResources: z.array(z.string()).optional(),
  conditions: z.union([conditionsSchema, z.string()]).optional(),
  source: z.string().optional(),
});

/** What a failed call would have told: rules whose evidence it covers are `error`, not `pass`. */
export const gatherTopics = ['existence', 'trust', 'tags', 'credentials', 'grants', 'boundary', 'session', 'sponsors', 'deny-policies'] as const;
export type GatherTopic = (typeof gatherTopics)[number];

export const gatherErrorSchema = z.looseObject({
  call: z.string(),
  code: z.string(),
  message: z.string().optional(),
  permission: z.string().optional(),
  /** Added in 0.2: which evidence the call would have given. Without it rules guess from the call name. */
  covers: z.array(z.enum(gatherTopics)).optional(),
});

export const identityKinds = [
  'aws-role', 'aws-user', 'azure-application', 'azure-managed-identity', 'azure-agent-identity', 'gcp-service-account',
] as const;

export const identityEvidenceSchema = z.looseObject({
  provider: z.enum(cloudProviders),
  ref: z.string(),
  exists: z.boolean().optional(),
  kind: z.enum(identityKinds).optional(),
  name: z.string().optional(),
  enabled: z.boolean().optional(),
  tags: z.record(z.string(), z.string()).default({}),
  trust: z.array(trustSchema).default([]),
  credentials: z.array(credentialSchema).default([]),
  grants: z.array(grantSchema).default([]),
  permissionsBoundary: z.string().nullable().optional(),
  /** GCP: deny policies attached to the project (names). */
  denyPolicies: z.array(z.string()).optional(),
  /** Entra agent identity: sponsors (user or group ids / UPNs). */
  sponsors: z.array(z.string()).optional(),
  maxSessionSeconds: z.number().optional(),
  lastUsed: z.string().nullable().optional(),
  errors: z.array(gatherErrorSchema).default([]),
});

export const evidenceBundleSchema = z.looseObject({
  schemaVersion: z.literal(1),
  kind: z.literal('agent-ready/evidence'),
  gatheredAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 timestamp'),
  tool: z.looseObject({ name: z.string(), version: z.string() }).optional(),
  identities: z.array(identityEvidenceSchema),
});

export type Trust = z.infer<typeof trustSchema>;
export type Credential = z.infer<typeof credentialSchema>;
export type Grant = z.infer<typeof grantSchema>;
export type GatherError = z.infer<typeof gatherErrorSchema>;
export type IdentityEvidence = z.infer<typeof identityEvidenceSchema>;
export type EvidenceBundle = z.infer<typeof evidenceBundleSchema>;
