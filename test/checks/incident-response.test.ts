import { describe, expect, it } from 'vitest';
import incidentResponse from '../../checks/incident-response';
import { context, evaluate, repoFacts, type TestFile } from '../helpers/context';
import { manifestWith, readyManifest } from '../helpers/manifests';

const rules = incidentResponse.rules;
const playbookPath = 'runbooks/agent-incidents.md';

/** A playbook built per scenario that covers all four (line numbers matter to the tests). */
const fullPlaybook = [
  '# Agent incident runbook', // 1
  '', // 2
  '## Prompt injection redirects the agent', // 3
  'Detect: alert on tool calls outside the task.', // 4
  'Contain: disable the agent identity and revoke its sessions.', // 5
  '', // 6
  '## Agent acting on revoked or expired credentials', // 7
  'Detect: monitor token use after an owner is offboarded.', // 8
  'Respond: revoke cached tokens; disable the delegation.', // 9
  '', // 10
  '## Data exfiltration through the model', // 11
  'Monitor output volume; quarantine the session and preserve evidence.', // 12
  '', // 13
  '## Supply-chain compromise: model update or unvetted tool', // 14
  'Alert on model id drift. Roll back to the previous model.', // 15
].join('\n');

function ctxWith(files: Record<string, string | TestFile>, change: (m: any) => void = () => {}, now?: Date) {
  return context(manifestWith(change), { repo: repoFacts(files), ...(now ? { now } : {}) });
}

describe('incident-response module', () => {
  it('has the six rules of rules.md section 8 with their severities; those reading playbooks need repo files', () => {
    expect(incidentResponse.name).toBe('incident-response');
    expect(rules.map((r) => [r.meta.id, r.meta.severity])).toEqual([
      ['AR-IR-001', 'high'],
      ['AR-IR-002', 'high'],
      ['AR-IR-003', 'high'],
      ['AR-IR-004', 'high'],
      ['AR-IR-005', 'high'],
      ['AR-IR-006', 'medium'],
    ]);
    for (const r of rules) {
      expect(r.meta.area).toBe('incident-response');
      // AR-IR-006 judges a manifest date only: it must not make a run read files.
      expect(r.meta.needs).toEqual(r.meta.id === 'AR-IR-006' ? undefined : ['repo-files']);
      expect(r.meta.references.length).toBeGreaterThan(0);
      for (const ref of r.meta.references) expect(ref).toMatch(/^https:\/\//);
    }
  });

  it('passes every rule for the ready manifest with a covering playbook', () => {
    const ctx = context(readyManifest(), { repo: repoFacts({ [playbookPath]: fullPlaybook }) });
    for (const r of rules) expect(r.evaluate(ctx).status, r.meta.id).toBe('pass');
  });
});

describe('AR-IR-001 playbooks exist, are Markdown, have an owner', () => {
  it('passes when every listed playbook is a Markdown file and the owner is set', () => {
    const out = evaluate(rules, 'AR-IR-001', ctxWith({ [playbookPath]: fullPlaybook, 'docs/ir.markdown': '# IR' }, (m) => {
      m.incidentResponse.playbooks = [playbookPath, 'docs/ir.markdown'];
    }));
    expect(out.status).toBe('pass');
    expect(out.message).toContain('secops@example.com');
  });

  it('fails when no playbook is listed', () => {
    const out = evaluate(rules, 'AR-IR-001', ctxWith({}, (m) => (m.incidentResponse.playbooks = [])));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('incidentResponse.playbooks lists no playbook');
  });

  it('fails when the playbooks field is absent', () => {
    const out = evaluate(rules, 'AR-IR-001', ctxWith({}, (m) => delete m.incidentResponse.playbooks));
    expect(out.status).toBe('fail');
  });

  it('fails for a missing playbook, naming it', () => {
    const out = evaluate(rules, 'AR-IR-001', ctxWith({ [playbookPath]: { kind: 'missing' } }));
    expect(out.status).toBe('fail');
    expect(out.message).toBe(`${playbookPath} does not exist in the repository.`);
    expect(out.evidence).toContainEqual({ source: 'repo', locator: playbookPath });
  });

  it('fails for a playbook that is not Markdown', () => {
    const out = evaluate(rules, 'AR-IR-001', ctxWith({ 'runbooks/ir.pdf': '%PDF-1.7' }, (m) => (m.incidentResponse.playbooks = ['runbooks/ir.pdf'])));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('runbooks/ir.pdf is not Markdown');
  });

  it('fails for a .md file that is not text', () => {
    const out = evaluate(rules, 'AR-IR-001', ctxWith({ [playbookPath]: 'PK\u0003\u0004\u0000\u0000binary' }));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('is not text');
  });

  it('fails for a directory', () => {
    const out = evaluate(rules, 'AR-IR-001', ctxWith({ [playbookPath]: { entries: ['runbooks/agent-incidents.md/a.md'] } }));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('is a directory');
  });

  it('fails when the owner is not set', () => {
    const out = evaluate(rules, 'AR-IR-001', ctxWith({ [playbookPath]: fullPlaybook }, (m) => delete m.incidentResponse.owner));
    expect(out.status).toBe('fail');
    expect(out.message).toBe('incidentResponse.owner is not set.');
  });

  it('is an error, not a pass, when a playbook could not be read', () => {
    const out = evaluate(rules, 'AR-IR-001', ctxWith({ [playbookPath]: { kind: 'unreadable' } }));
    expect(out.status).toBe('error');
    expect(out.message).toContain('could not be read');
  });
});

describe('AR-IR-002..005 agent scenarios', () => {
  const ids = { 'AR-IR-002': 3, 'AR-IR-003': 7, 'AR-IR-004': 11, 'AR-IR-005': 14 } as const;

  for (const [id, line] of Object.entries(ids)) {
    it(`${id} passes and points at the covering heading`, () => {
      const out = evaluate(rules, id, ctxWith({ [playbookPath]: fullPlaybook }));
      expect(out.status).toBe('pass');
      expect(out.message).toMatch(new RegExp(`^runbooks/agent-incidents\\.md:${line} `));
      expect(out.evidence).toEqual([expect.objectContaining({ source: 'repo', locator: playbookPath, line })]);
    });

    it(`${id} fails when no listed playbook covers the scenario, listing those searched`, () => {
      const generic = '# Ransomware\nCheck for data exfiltration.\n## Detect\nalerts\n## Contain\nRevoke the compromised credentials.';
      const out = evaluate(rules, id, ctxWith({ [playbookPath]: generic, 'runbooks/other.md': { kind: 'missing' } }, (m) => {
        m.incidentResponse.playbooks = [playbookPath, 'runbooks/other.md'];
      }));
      expect(out.status).toBe('fail');
      expect(out.message).toContain(`Searched: ${playbookPath}, runbooks/other.md (does not exist in the repository)`);
      expect(out.evidence!.map((e) => e.locator)).toEqual([playbookPath, 'runbooks/other.md']);
    });
  }

  it('finds the scenario in the second listed playbook', () => {
    const out = evaluate(rules, 'AR-IR-002', ctxWith({ 'a.md': '# Ransomware\nrevoke', 'b.md': '# Prompt injection\n## Detect\nalert\n## Contain\nfreeze the agent' }, (m) => {
      m.incidentResponse.playbooks = ['a.md', 'b.md'];
    }));
    expect(out).toMatchObject({ status: 'pass', evidence: [{ locator: 'b.md', line: 1 }] });
  });

  it('warns for a partial scenario, saying what is missing and where', () => {
    const playbook = '# Agent runbook\n\n## Prompt injection against the agent\n### Detect\nAlert on guardrail hits.\n\n## Contain\nDisable everything.';
    const out = evaluate(rules, 'AR-IR-002', ctxWith({ [playbookPath]: playbook }));
    expect(out.status).toBe('warn');
    expect(out.message).toContain(`${playbookPath}:3 "Prompt injection against the agent" names it but holds no response content`);
    expect(out.evidence).toEqual([{ source: 'repo', locator: playbookPath, line: 3, detail: 'missing response' }]);
  });

  it('warns for a section with response but no detection', () => {
    const out = evaluate(rules, 'AR-IR-005', ctxWith({ [playbookPath]: '## Model update gone wrong\nRoll back to the previous model.' }));
    expect(out.status).toBe('warn');
    expect(out.message).toContain('holds no detection content');
  });

  it('prefers a covering playbook to a partial one listed first', () => {
    const out = evaluate(rules, 'AR-IR-002', ctxWith({ 'a.md': '## Prompt injection\nmonitor', 'b.md': fullPlaybook }, (m) => {
      m.incidentResponse.playbooks = ['a.md', 'b.md'];
    }));
    expect(out).toMatchObject({ status: 'pass', evidence: [{ locator: 'b.md', line: 3 }] });
  });

  it('fails when no playbook is listed', () => {
    const out = evaluate(rules, 'AR-IR-003', ctxWith({}, (m) => (m.incidentResponse.playbooks = [])));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('lists no playbook');
  });

  it('mentions a section that names the scenario but holds neither detection nor response', () => {
    const out = evaluate(rules, 'AR-IR-002', ctxWith({ [playbookPath]: '# Runbook\n## Prompt injection\nSee the wiki.' }));
    expect(out.status).toBe('fail');
    expect(out.message).toContain(`${playbookPath}:2 "Prompt injection" names it but holds neither detection nor response content`);
  });

  it('is an error when the only playbook could not be read', () => {
    const out = evaluate(rules, 'AR-IR-004', ctxWith({ [playbookPath]: { kind: 'unreadable' } }));
    expect(out.status).toBe('error');
    expect(out.message).toContain(`${playbookPath} (could not be read)`);
  });

  it('does not count text in an Out of scope section', () => {
    const playbook = '# Agent runbook\n## Out of scope\n### Data exfiltration by the agent\nMonitor; revoke.';
    expect(evaluate(rules, 'AR-IR-004', ctxWith({ [playbookPath]: playbook })).status).toBe('fail');
  });
});

describe('AR-IR-006 lastExercised within 12 months', () => {
  const run = (value: string | undefined) =>
    evaluate(rules, 'AR-IR-006', ctxWith({}, (m) => {
      if (value === undefined) delete m.incidentResponse.lastExercised;
      else m.incidentResponse.lastExercised = value;
    }));

  it('passes for a recent exercise, giving its age', () => {
    const out = run('2026-08-01');
    expect(out.status).toBe('pass');
    expect(out.message).toBe('incidentResponse.lastExercised 2026-08-01 is 116 days old, within 12 months.');
  });

  it('passes on the day twelve months back, fails the day before', () => {
    expect(run('2025-11-25').status).toBe('pass');
    const out = run('2025-11-24');
    expect(out.status).toBe('fail');
    expect(out.message).toContain('is 366 days old');
    expect(out.message).toContain('last acceptable date is 2025-11-25');
  });

  it('fails for a date in the future, saying so', () => {
    const out = run('2026-11-26');
    expect(out.status).toBe('fail');
    expect(out.message).toContain('is in the future');
  });

  it('passes for an exercise today', () => {
    expect(run('2026-11-25').status).toBe('pass');
  });

  it('fails when lastExercised is missing', () => {
    const out = run(undefined);
    expect(out.status).toBe('fail');
    expect(out.message).toContain('incidentResponse.lastExercised is not set');
  });
});

describe('review: AR-IR-006 calendar boundaries', () => {
  const ir006 = (lastExercised: string, now: string) =>
    evaluate(incidentResponse.rules, 'AR-IR-006', context(manifestWith((m) => (m.incidentResponse.lastExercised = lastExercised)), { now: new Date(`${now}T09:30:00Z`) }));

  it('passes exactly 12 months ago and fails a day earlier', () => {
    expect(ir006('2025-11-25', '2026-11-25').status).toBe('pass');
    expect(ir006('2025-11-24', '2026-11-25').status).toBe('fail');
  });

  it('on 29 February, 12 months ago is 28 February of the year before (not 1 March)', () => {
    expect(ir006('2027-02-28', '2028-02-29').status).toBe('pass');
    expect(ir006('2027-02-27', '2028-02-29').status).toBe('fail');
  });
});
