// The scenario rules on real playbooks (aws-samples/aws-incident-response-playbooks, see
// ../shared/data/playbooks/README.md). Tests run from the project root, and CI clones the
// project with shared/ beside it, so the folder is resolved from the working directory.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioCoverage, scenarios, sectionPlaybook, type Scenario } from '../../../src/evidence/repo/playbook';

const folder = path.resolve(process.cwd(), '../shared/data/playbooks');
const load = (file: string) => sectionPlaybook(readFileSync(path.join(folder, file), 'utf8'));
const coverage = (file: string) => Object.fromEntries(scenarios.map((s) => [s, scenarioCoverage(load(file), s)])) as Record<Scenario, ReturnType<typeof scenarioCoverage>>;

describe('aws-IRP-AgentCoreAgentIntegrity.md', () => {
  const file = 'aws-IRP-AgentCoreAgentIntegrity.md';

  it('covers prompt injection: the title names it, Detect & Analyze and Contain hold the steps', () => {
    expect(coverage(file)['prompt-injection']).toEqual({
      scenario: 'prompt-injection',
      status: 'covered',
      section: {
        heading: 'IRP-AgentCoreAgentIntegrity: Amazon Bedrock AgentCore Agent Integrity (Prompt Injection & Memory Poisoning)',
        line: 1,
      },
    });
  });

  it('records what the rule as written makes of the other scenarios', () => {
    const c = coverage(file);
    expect(c['stale-authority']).toEqual({ scenario: 'stale-authority', status: 'absent' });
    // Review decision: 2.2 Evidence Collection Checklist has no sub-headings, so by rules.md all
    // of its ~95 lines are "lead", and one analysis step in it says to "reconstruct what data the
    // poisoned agent actually retrieved or exfiltrated through tools". That step is about
    // scoping a prompt-injection / memory-poisoning incident: exfiltration is a consequence
    // being measured, not the section's subject, i.e. the passing mention rules.md says does not
    // count. It used to count, which made the playbook "cover" data extraction (a wrong pass).
    // The principled line is the one already drawn for stale authority: in a lead, a scenario is
    // named by a noun phrase ("data exfiltration", "exfiltrated customer data"); a verb
    // ("exfiltrated through tools", "extracting the system prompt") tells a step and names the
    // scenario only in a heading. With that, the section that names data extraction is the
    // Overview ("... or Memory Record Streaming exfiltration ..." in the sentence that lists the
    // integrity classes, with "prompt injection" as the agent term), which like supply chain
    // below has detection content but no response step of its own: warn, not pass.
    expect(c['data-extraction']).toEqual({
      scenario: 'data-extraction',
      status: 'partial',
      section: { heading: 'Overview', line: 15 },
      missing: ['response'],
    });
    const checklist = load(file).find((x) => x.heading === '2.2 Evidence Collection Checklist')!;
    expect(checklist.lead).toContain('retrieved or exfiltrated through tools');
    // The Overview names "AgentCore Registry supply-chain compromise" in the same sentence as
    // prompt injection, but the Overview (finding types, severity) holds no response step; the
    // Contain part that rolls the Registry back is a sibling, not a sub-section, and does not
    // name the scenario together with an agent term. So: warn.
    expect(c['supply-chain']).toEqual({
      scenario: 'supply-chain',
      status: 'partial',
      section: { heading: 'Overview', line: 15 },
      missing: ['response'],
    });
  });

  it('sections the template: Out of Scope flagged and left out of the Overview text', () => {
    const s = load(file);
    const outOfScope = s.filter((x) => x.outOfScope).map((x) => [x.heading, x.line]);
    expect(outOfScope).toEqual([['Out of Scope', 19]]);
    const overview = s.find((x) => x.heading === 'Overview')!;
    expect(overview.text).toContain('Applicable Finding Types');
    expect(overview.text).not.toContain('Sandbox abuse');
    expect(s.find((x) => x.heading === 'Part 3 — Contain')).toMatchObject({ level: 2, line: 269 });
  });
});

describe('aws-IRP-AgentCoreIdentityCompromise.md', () => {
  const file = 'aws-IRP-AgentCoreIdentityCompromise.md';

  it('does not cover the agent acting on stale or revoked authority (the borderline case)', () => {
    // Decision, by the rule text as written: no heading or lead *names* stale or revoked
    // authority. The playbook is about credential theft. Its words about revocation are either
    // response steps ("Revoke the compromised principal's credentials") or clauses about what
    // responders face: the Overview's "tokens that remain valid at those services even after
    // the AgentCore-side credential is revoked". That describes an attacker's stolen tokens
    // outliving containment, not the agent itself acting on authority that was withdrawn
    // (a delegation revoked, an owner offboarded, a grant expired). The anchors therefore take
    // the attributive forms that name a kind of authority ("revoked credentials", "expired
    // tokens", "stale permissions", "offboarded employee", "delegation withdrawn", ASI03) and
    // not "the credential is revoked": that is the vocabulary of every revocation step, and
    // accepting it would make any playbook with a revoke step name this scenario.
    const s = load(file);
    expect(s.find((x) => x.heading === 'Overview')!.lead).toContain('even after the AgentCore-side credential is revoked');
    expect(scenarioCoverage(s, 'stale-authority')).toEqual({ scenario: 'stale-authority', status: 'absent' });
  });

  it('records what the rule as written makes of the other scenarios', () => {
    const c = coverage(file);
    expect(c['prompt-injection']).toEqual({ scenario: 'prompt-injection', status: 'absent' });
    expect(c['supply-chain']).toEqual({ scenario: 'supply-chain', status: 'absent' });
    // Appendix A names "training-data extraction, or system-prompt leak" through Bedrock models
    // and gives hunt queries (detection) but no response step: warn.
    expect(c['data-extraction']).toEqual({
      scenario: 'data-extraction',
      status: 'partial',
      section: { heading: 'Bedrock model-abuse hunt (multi-region)', line: 581 },
      missing: ['response'],
    });
  });
});

describe('aws-IRP-Ransomware.md', () => {
  const file = 'aws-IRP-Ransomware.md';

  it('covers none of the four agent scenarios, although it mentions exfiltration and revoking credentials', () => {
    const s = load(file);
    const all = s.map((x) => `${x.lead}\n${x.text}`).join('\n');
    expect(all).toMatch(/exfiltration/i);
    expect(all).toMatch(/revoke/i);
    // Not even a section that names a scenario: no agent term anywhere near those words.
    for (const sc of scenarios) expect(scenarioCoverage(s, sc)).toEqual({ scenario: sc, status: 'absent' });
  });

  it('leaves fenced shell commands out of the section text', () => {
    const contain = load(file).find((x) => x.heading === '3.2 Containment Actions')!;
    expect(contain.text).toContain('Revoke threat actor access');
    expect(contain.text).not.toContain('Revoke all active sessions for the compromised role');
    expect(contain.text).not.toContain('aws iam');
  });
});
