// A manifest that passes every offline rule (the spec's example, made consistent), and a
// helper to derive variants from it without mutating the original.
export function readyManifest(): any {
  return {
    apiVersion: 'agent-ready/v1',
    kind: 'DigitalEmployee',
    metadata: {
      name: 'agent-customer-onboarding-prod',
      purpose: 'customer-onboarding',
      environment: 'prod',
      businessUnit: 'Retail Banking',
      owner: 'jane.doe@example.com',
      supervisor: 'onboarding-lead@example.com',
      costCentre: 'CC-4410',
      regulatoryRegime: 'financial-services',
      procurement: { contractId: 'PO-2026-0192', vendor: 'Example AI Pty Ltd', endDate: '2027-06-30', onTermination: 'delete-identity' },
    },
    identity: { type: 'workload', provider: 'aws', aws: { roleArn: 'arn:aws:iam::123456789012:role/agent-customer-onboarding-prod' } },
    scope: {
      model: 'abac',
      policies: ['policies/onboarding.cedar'],
      resources: [
        { system: 'crm', access: 'read', constraint: 'case.assignee == principal' },
        { system: 'email', access: 'read' },
      ],
      sensitivityLabels: ['General', 'Confidential'],
      maxSessionDuration: 'PT1H',
      lastReviewed: '2026-10-01',
      reviewCadence: 'quarterly',
      reviewer: 'iam-review@example.com',
    },
    secrets: {
      tokenLifetime: 'PT1H',
      residual: [
        { name: 'CRM_API_KEY', ref: 'aws-sm://arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:crm-key', reason: 'CRM does not support OIDC yet', rotationDays: 30 },
      ],
    },
    runtime: { env: { LOG_LEVEL: 'info', CRM_API_KEY: '${secret:CRM_API_KEY}' }, configFiles: ['deploy/agent-config.yaml'] },
    audit: {
      store: 'splunk-audit-prod',
      apmStore: 'datadog-apm',
      retentionDays: 2555,
      schema: 'audit/agent-event.schema.json',
      format: 'native',
      fieldMap: {},
      sample: 'audit/sample-events.jsonl',
    },
    lifecycle: {
      version: '1.4.2',
      prompt: { path: 'prompts/onboarding.md', id: 'onboarding-prompt@v12' },
      toolRegistry: { path: 'tools/registry.yaml' },
      codeowners: '.github/CODEOWNERS',
      evals: { path: 'evals/', command: 'npm run evals' },
      pipeline: { path: '.github/workflows/agent-deploy.yml' },
      rollback: { procedure: 'docs/rollback.md' },
    },
    model: {
      provider: 'anthropic',
      id: 'claude-sonnet-4-5-20250929',
      updateCadence: 'quarterly',
      lastEvaluated: '2026-09-15',
      rollback: { previousId: 'claude-sonnet-4-20250514', windowHours: 24 },
      contract: { materialChangeNotice: true, noticeDays: 30, clauseRef: 'MSA 12.3' },
    },
    quota: {
      callsPerMinute: 60,
      callsPerDay: 20000,
      monthlySpend: { amount: 1500, currency: 'AUD' },
      onLimit: 'degrade',
      alerts: ['platform-oncall@example.com'],
      actions: [{ name: 'deep-research', perHour: 10 }],
      chargeback: { costCentre: 'CC-4410' },
      anomalyDetection: { enabled: true, provider: 'aws-cost-anomaly-detection', thresholdMultiplier: 5 },
    },
    incidentResponse: { playbooks: ['runbooks/agent-incidents.md'], owner: 'secops@example.com', lastExercised: '2026-08-01' },
  };
}

/** A deep copy of the ready manifest with `change` applied to it. */
export function manifestWith(change: (m: any) => void): any {
  const m = readyManifest();
  change(m);
  return m;
}
