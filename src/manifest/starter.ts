// `agent-ready init`: a commented starter manifest. It validates against the schema; the
// values are examples to replace, and the files it names still have to be written.
import { cloudProviders } from './schema';

export type StarterProvider = (typeof cloudProviders)[number];

const identityBlocks: Record<StarterProvider, (name: string) => string> = {
  aws: (name) => `  provider: aws
  aws:
    roleArn: arn:aws:iam::123456789012:role/${name}   # the role the agent assumes (OIDC / compute service trust)`,
  azure: () => `  provider: azure
  azure:
    tenantId: 00000000-0000-0000-0000-000000000000
    applicationId: 11111111-1111-1111-1111-111111111111   # or managedIdentityObjectId / agentIdentityId`,
  gcp: (name) => `  provider: gcp
  gcp:
    projectId: acme-agents-prod
    serviceAccount: ${name.slice(0, 30).replace(/-+$/, '')}@acme-agents-prod.iam.gserviceaccount.com
    workloadIdentityProvider: projects/123/locations/global/workloadIdentityPools/agents/providers/github`,
};

const modelBlocks: Record<StarterProvider, string> = {
  aws: `  provider: bedrock
  id: anthropic.claude-sonnet-4-5-20250929-v1:0   # a pinned snapshot, never an alias`,
  azure: `  provider: azure-openai
  id: gpt-4o-2024-08-06
  versionUpgradeOption: NoAutoUpgrade   # Azure auto-upgrades deployments unless told not to`,
  gcp: `  provider: vertex
  id: gemini-2.5-pro`,
};

export function starterManifest(provider: StarterProvider, name: string): string {
  const environment = /-(prod|staging|dev|test)$/.exec(name)?.[1] ?? 'dev';
  return `# yaml-language-server: $schema=./agent-ready.schema.json   (write it with: agent-ready schema > agent-ready.schema.json)
# An agent-ready deployment manifest: one digital employee, the eight decisions that make it
# production-ready. Replace the example values; \`agent-ready audit\` says what is still missing,
# and \`agent-ready explain RULE\` says why.
apiVersion: agent-ready/v1
kind: DigitalEmployee
metadata:
  name: ${name}        # named by purpose, ending in the environment
  purpose: describe-the-job
  environment: ${environment}           # prod | staging | dev | test
  owner: owner@example.com        # the accountable business owner
  supervisor: supervisor@example.com   # the human who supervises the agent
  costCentre: CC-0000
  regulatoryRegime: default       # sets the minimum audit retention (.agent-ready.yaml)
  procurement:
    contractId: PO-0000
    endDate: 2027-12-31
    onTermination: disable-identity   # delete-identity | disable-identity

# 1 Identity: a workload identity of its own, never a person's account or a static key.
identity:
  type: workload          # workload | service-account | user | api-key
${identityBlocks[provider](name)}

# 2 Scope: the documented privilege envelope, reviewed on a cadence.
scope:
  model: abac
  policies: [policies/${name}.cedar]
  resources:
    - system: crm
      access: read        # read | write | admin
  maxSessionDuration: PT1H
  lastReviewed: 2026-01-01
  reviewCadence: quarterly
  reviewer: iam-review@example.com

# 3 Secrets: short-lived tokens; anything residual lives in a vault and rotates.
secrets:
  tokenLifetime: PT1H
  residual: []

# 4 Audit: events that tell an agent from a human, kept as long as the regime requires.
audit:
  store: audit-store
  apmStore: apm-store
  retentionDays: 365
  schema: audit/agent-event.schema.json
  format: native
  sample: audit/sample-events.jsonl

# 5 Lifecycle: prompt and tools are versioned, owned, evaluated and deployed in stages.
lifecycle:
  version: 0.1.0
  prompt:
    path: prompts/${name}.md
    id: ${name}-prompt@v1
  toolRegistry:
    path: tools/registry.yaml
  evals:
    path: evals/
    command: npm run evals
  pipeline:
    path: .github/workflows/agent-deploy.yml
  rollback:
    procedure: docs/rollback.md

# 6 Model: a pinned snapshot, evaluated on a cadence, with a way back.
model:
${modelBlocks[provider]}
  updateCadence: quarterly
  lastEvaluated: 2026-01-01
  rollback:
    windowHours: 24
  contract:
    materialChangeNotice: true
    noticeDays: 30
    clauseRef: ""

# 7 Quota: ceilings on calls and spend, per-action limits, anomaly alerts.
quota:
  callsPerMinute: 60
  callsPerDay: 20000
  monthlySpend: { amount: 1000, currency: USD }
  onLimit: degrade        # degrade | stop
  alerts: [oncall@example.com]
  chargeback:
    costCentre: CC-0000
  anomalyDetection:
    enabled: true
    provider: your-cost-anomaly-detector
    thresholdMultiplier: 5

# 8 Incident response: playbooks that name the agent scenarios.
incidentResponse:
  playbooks: [runbooks/agent-incidents.md]
  owner: secops@example.com
`;
}
