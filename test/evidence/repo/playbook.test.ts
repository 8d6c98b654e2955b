import { describe, expect, it } from 'vitest';
import { scenarioCoverage, sectionPlaybook, scenarios, type PlaybookSection } from '../../../src/evidence/repo/playbook';

const md = (...lines: string[]) => lines.join('\n');
const byHeading = (sections: PlaybookSection[], heading: string) => {
  const s = sections.find((x) => x.heading === heading);
  if (!s) throw new Error(`no section ${heading}: ${sections.map((x) => x.heading).join(' | ')}`);
  return s;
};

describe('sectionPlaybook', () => {
  it('cuts ATX headings into nested sections with lead, text and lines', () => {
    const s = sectionPlaybook(
      md('# Title', 'intro', '## A', 'a lead', '### A.1', 'a1 body', '## B ##', 'b body'),
    );
    expect(s.map((x) => [x.heading, x.level, x.line])).toEqual([
      ['Title', 1, 1],
      ['A', 2, 3],
      ['A.1', 3, 5],
      ['B', 2, 7],
    ]);
    const a = byHeading(s, 'A');
    expect(a.lead).toBe('a lead');
    expect(a.text).toBe('a lead\nA.1\na1 body');
    expect(byHeading(s, 'Title').text).toContain('b body');
    expect(byHeading(s, 'A.1').text).not.toContain('b body');
  });

  it('keeps the preamble as a level-0 section, and none when the document starts with a heading', () => {
    const s = sectionPlaybook(md('', 'Runbook for the onboarding agent.', '', '# Detect', 'alert'));
    expect(s[0]).toMatchObject({ heading: '', level: 0, line: 2, lead: 'Runbook for the onboarding agent.' });
    expect(s[0]!.text).toContain('alert');
    expect(sectionPlaybook(md('# Only', 'text')).map((x) => x.level)).toEqual([1]);
  });

  it('reads Setext headings, but not a thematic break or an underline after a list item', () => {
    const s = sectionPlaybook(
      md('Prompt injection', '================', 'lead one', '', 'Contain', '-------', 'steps', '', '---', '', '- item', '---', 'after'),
    );
    expect(s.map((x) => [x.heading, x.level, x.line])).toEqual([
      ['Prompt injection', 1, 1],
      ['Contain', 2, 5],
    ]);
    expect(byHeading(s, 'Prompt injection').lead).toBe('lead one');
    expect(byHeading(s, 'Contain').text).toContain('after');
  });

  it('joins a multi-line paragraph into one Setext heading at its first line', () => {
    const s = sectionPlaybook(md('text', '', 'Agent data', 'exfiltration', '---', 'body'));
    expect(s.find((x) => x.level === 2)).toMatchObject({ heading: 'Agent data exfiltration', line: 3 });
  });

  it('does not see headings inside ``` or ~~~ fences and leaves fenced code out of the text', () => {
    const s = sectionPlaybook(
      md('# Real', 'before', '```bash', '# not a heading', 'revoke-everything', '```', '~~~~', '## also not', '~~~', '## a shorter fence does not close', '~~~~', 'after', '   ```', '   ## indented fence', '   ```'),
    );
    expect(s.map((x) => x.heading)).toEqual(['Real']);
    expect(s[0]!.text).toBe('before\nafter');
  });

  it('treats an unclosed fence as running to the end of the document', () => {
    const s = sectionPlaybook(md('# A', 'text', '```', '# B', 'more'));
    expect(s.map((x) => x.heading)).toEqual(['A']);
    expect(s[0]!.text).toBe('text');
  });

  it('ignores YAML front matter but keeps line numbers', () => {
    const s = sectionPlaybook(md('---', 'title: Prompt injection', 'tags: [agent]', '---', '# Heading', 'body'));
    expect(s).toHaveLength(1);
    expect(s[0]).toMatchObject({ heading: 'Heading', line: 5, text: 'body' });
  });

  it('does not treat a later --- pair as front matter', () => {
    // As in CommonMark: the first --- is a thematic break, the second underlines `x: y`.
    const s = sectionPlaybook(md('# A', '---', 'x: y', '---'));
    expect(s.map((x) => [x.heading, x.level, x.line])).toEqual([
      ['A', 1, 1],
      ['x: y', 2, 3],
    ]);
  });

  it('leaves HTML comments out', () => {
    const s = sectionPlaybook(md('# A', '<!--', '## Hidden', 'revoke', '-->', 'kept'));
    expect(s.map((x) => x.heading)).toEqual(['A']);
    expect(s[0]!.text).toBe('kept');
  });

  it('marks out-of-scope sections and their descendants, and leaves them out of the parent text', () => {
    const s = sectionPlaybook(
      md('# Agent runbook', 'lead', '## Out of scope', 'data exfiltration', '### Details', 'more', '## Non-goals', 'x', '## Not in scope: ransomware', 'y', '## Contain', 'revoke'),
    );
    expect(s.map((x) => [x.heading, x.outOfScope])).toEqual([
      ['Agent runbook', false],
      ['Out of scope', true],
      ['Details', true],
      ['Non-goals', true],
      ['Not in scope: ransomware', true],
      ['Contain', false],
    ]);
    const root = byHeading(s, 'Agent runbook');
    expect(root.text).toBe('lead\nContain\nrevoke');
  });

  it('cleans heading markup: emphasis, code, links, closing hashes', () => {
    const s = sectionPlaybook(md('## **Prompt** `injection` [LLM01](https://genai.owasp.org/) ###'));
    expect(s[0]!.heading).toBe('Prompt injection LLM01');
  });

  it('handles CRLF line endings', () => {
    const s = sectionPlaybook('# A\r\nbody\r\n## B\r\nmore');
    expect(s.map((x) => [x.heading, x.line])).toEqual([
      ['A', 1],
      ['B', 3],
    ]);
  });
});

describe('scenarioCoverage', () => {
  const perScenario = md(
    '# Agent incident runbook',
    '',
    'Owner: secops.',
    '',
    '## Prompt injection redirects the agent',
    'Detect: alert on tool calls outside the task.',
    'Contain: disable the agent identity and revoke its sessions.',
    '',
    '## Agent acting on revoked credentials',
    'An agent keeps using revoked credentials after a user is offboarded.',
    'Detect: monitor token use after revocation. Respond: disable the delegation.',
    '',
    '## Data exfiltration through the model',
    'Monitor output volume; quarantine the conversation and preserve evidence.',
    '',
    '## Supply chain: unvetted MCP server or model update',
    'Alert on model id drift. Roll back to the pinned model.',
  );

  it('covers each scenario in a playbook built per scenario (one heading each)', () => {
    const s = sectionPlaybook(perScenario);
    expect(scenarios.map((sc) => scenarioCoverage(s, sc))).toEqual([
      { scenario: 'prompt-injection', status: 'covered', section: { heading: 'Prompt injection redirects the agent', line: 5 } },
      { scenario: 'stale-authority', status: 'covered', section: { heading: 'Agent acting on revoked credentials', line: 9 } },
      { scenario: 'data-extraction', status: 'covered', section: { heading: 'Data exfiltration through the model', line: 13 } },
      { scenario: 'supply-chain', status: 'covered', section: { heading: 'Supply chain: unvetted MCP server or model update', line: 16 } },
    ]);
  });

  it('covers a scenario in a playbook built per phase under a scenario title', () => {
    const s = sectionPlaybook(
      md('# IRP: jailbreak of the support copilot', 'Scope and roles.', '## Detect & Analyze', '- triage the transcript', '## Contain', '- freeze the deployment', '## Recover', 'restore'),
    );
    expect(scenarioCoverage(s, 'prompt-injection')).toEqual({
      scenario: 'prompt-injection',
      status: 'covered',
      section: { heading: 'IRP: jailbreak of the support copilot', line: 1 },
    });
  });

  it('counts a scenario named in the lead (before the first sub-heading) of a per-phase playbook', () => {
    const s = sectionPlaybook(
      md('# Agent integrity', 'This playbook covers indirect prompt injection, where a document steers the assistant.', '## Detect', 'anomaly in tool calls', '## Contain', 'isolate the runtime'),
    );
    expect(scenarioCoverage(s, 'prompt-injection').status).toBe('covered');
  });

  it('does not count a generic playbook that mentions exfiltration or revoke in passing', () => {
    const s = sectionPlaybook(
      md(
        '# Ransomware',
        'Threat actors encrypt volumes; check for data exfiltration (double extortion).',
        '## Detect',
        'GuardDuty Exfiltration:S3/AnomalousBehavior alerts.',
        '## Contain',
        'Revoke the compromised credentials. Revoked credentials must be rotated.',
        'Check the user agent string of the API calls.',
      ),
    );
    for (const sc of scenarios) expect(scenarioCoverage(s, sc)).toEqual({ scenario: sc, status: 'absent' });
  });

  it('needs the anchor and the agent term in the same sentence of a lead', () => {
    const s = sectionPlaybook(
      md('## Containment', 'Our AI agent platform is in scope. Later, look for data exfiltration in the S3 logs.', 'Monitor and revoke.'),
    );
    expect(scenarioCoverage(s, 'data-extraction').status).toBe('absent');
  });

  it('does not take a browser user agent, an MFA prompt or a threat model for an agent term', () => {
    const s = sectionPlaybook(
      md(
        '## Exfiltration',
        'Exfiltration from a host with an unusual user agent.',
        'Data exfiltration after MFA prompt fatigue.',
        'Update the threat model for data exfiltration.',
        'Detect with alerts; contain by isolating the host.',
      ),
    );
    expect(scenarioCoverage(s, 'data-extraction').status).toBe('absent');
  });

  it('counts an OWASP LLM id without any agent term', () => {
    const s = sectionPlaybook(md('## LLM01:2025', 'Detect: alert on guardrail hits.', 'Contain: revoke sessions.'));
    expect(scenarioCoverage(s, 'prompt-injection')).toMatchObject({ status: 'covered', section: { line: 1 } });
    // LLM02 is sensitive information disclosure, not prompt injection.
    expect(scenarioCoverage(sectionPlaybook(md('## LLM02', 'detect; contain')), 'prompt-injection').status).toBe('absent');
  });

  it('maps OWASP LLM ids by edition', () => {
    // LLM04 is Supply Chain in the 2026 edition, Model Denial of Service in 2023.
    const doc = (id: string) => sectionPlaybook(md(`## ${id}`, 'Alert on drift; roll back.'));
    expect(scenarioCoverage(doc('LLM04:2026'), 'supply-chain').status).toBe('covered');
    expect(scenarioCoverage(doc('LLM04:2023'), 'supply-chain').status).toBe('absent');
    expect(scenarioCoverage(doc('LLM05 (2023 list)'), 'supply-chain').status).toBe('covered');
  });

  it('counts ASI and MITRE ATLAS ids that map to the scenario', () => {
    const doc = (heading: string) => sectionPlaybook(md(`## ${heading}`, 'Detect: anomaly alerts.', 'Respond: disable and revoke.'));
    expect(scenarioCoverage(doc('ASI03 identity and privilege abuse'), 'stale-authority').status).toBe('covered');
    expect(scenarioCoverage(doc('ASI-04'), 'supply-chain').status).toBe('covered');
    expect(scenarioCoverage(doc('AML.T0051.001'), 'prompt-injection').status).toBe('covered');
    expect(scenarioCoverage(doc('AML.T0057'), 'data-extraction').status).toBe('covered');
    expect(scenarioCoverage(doc('AML.T0010'), 'supply-chain').status).toBe('covered');
    expect(scenarioCoverage(doc('AML.T0010'), 'prompt-injection').status).toBe('absent');
  });

  it('is partial when the naming section holds only detection or only response, and says which is missing', () => {
    const detectOnly = sectionPlaybook(md('# Runbook', '## Prompt injection', '### Detect', 'Alert on tool calls outside the task.', '## Contain', 'revoke everything'));
    expect(scenarioCoverage(detectOnly, 'prompt-injection')).toEqual({
      scenario: 'prompt-injection',
      status: 'partial',
      section: { heading: 'Prompt injection', line: 2 },
      missing: ['response'],
    });
    const respondOnly = sectionPlaybook(md('## Model update broke the agent', 'Roll back to the previous model.'));
    expect(scenarioCoverage(respondOnly, 'supply-chain')).toMatchObject({ status: 'partial', missing: ['detection'] });
  });

  it('does not let the anchor supply its own response content', () => {
    // "revoked credentials" names the scenario; it is not a revocation step.
    const s = sectionPlaybook(md('## Agent uses revoked credentials', 'Detect: alert on calls with revoked credentials.'));
    expect(scenarioCoverage(s, 'stale-authority')).toMatchObject({ status: 'partial', missing: ['response'] });
  });

  it('is absent (with the section) when a section names the scenario but holds neither', () => {
    const s = sectionPlaybook(md('## Prompt injection', 'See the wiki.'));
    expect(scenarioCoverage(s, 'prompt-injection')).toEqual({
      scenario: 'prompt-injection',
      status: 'absent',
      section: { heading: 'Prompt injection', line: 1 },
      missing: ['detection', 'response'],
    });
  });

  it('prefers a covered section to an earlier partial one', () => {
    const s = sectionPlaybook(md('## Prompt injection overview', 'Monitor for it.', '## Prompt injection response', 'Detect and then contain.'));
    expect(scenarioCoverage(s, 'prompt-injection')).toMatchObject({ status: 'covered', section: { line: 3 } });
  });

  it('ignores out-of-scope sections and fenced code', () => {
    const s = sectionPlaybook(
      md('# Runbook', '## Out of scope', '### Prompt injection', 'detect and revoke', '## Notes', '```', '## Prompt injection', 'detect and revoke', '```'),
    );
    expect(scenarioCoverage(s, 'prompt-injection').status).toBe('absent');
  });

  it('does not count a jailbreak without an agent term (a phone jailbreak)', () => {
    const s = sectionPlaybook(md('## Jailbroken iPhones', 'Detect via MDM; quarantine the device.'));
    expect(scenarioCoverage(s, 'prompt-injection').status).toBe('absent');
    const agent = sectionPlaybook(md('## Jailbreak of the LLM', 'Detect via guardrail logs; quarantine the session.'));
    expect(scenarioCoverage(agent, 'prompt-injection').status).toBe('covered');
  });

  it('names stale authority by the authority it describes, not by a revocation step', () => {
    const cover = (lead: string) =>
      scenarioCoverage(sectionPlaybook(md('## Incident', lead, 'Detect: alert. Respond: disable the agent.')), 'stale-authority').status;
    expect(cover('The agent keeps acting with expired OAuth tokens.')).toBe('covered');
    expect(cover('The agent acts for an offboarded employee.')).toBe('covered');
    expect(cover('The agent continues after its delegation is withdrawn.')).toBe('covered');
    expect(cover('The agent still holds stale permissions.')).toBe('covered');
    // A response step, not the scenario.
    expect(cover('Revoke the agent credentials; check that the credential is revoked.')).toBe('absent');
  });

  it('names supply-chain compromise by its agent forms', () => {
    const cover = (heading: string) => scenarioCoverage(sectionPlaybook(md(`## ${heading}`, 'Alert on drift and roll back.')), 'supply-chain').status;
    expect(cover('Prompt change outside the release gate')).toBe('covered');
    expect(cover('Malicious plugin installed in the agent')).toBe('covered');
    expect(cover('Poisoned model weights')).toBe('covered');
    expect(cover('Vendor library update')).toBe('absent');
  });

  it('treats hyphenated and emphasised forms like plain words', () => {
    const s = sectionPlaybook(md('## **Prompt-Injection** against the _agent_', 'Detect: triage. Respond: roll-back.'));
    expect(scenarioCoverage(s, 'prompt-injection').status).toBe('covered');
  });
});

describe('review: passing mentions and hidden text', () => {
  const cover = (text: string, s: (typeof scenarios)[number]) => scenarioCoverage(sectionPlaybook(text), s);

  it('a verb in a step of a long lead ("what the agent exfiltrated") does not name data extraction', () => {
    const text = md(
      '# Memory poisoning of the agent',
      '',
      '### Evidence checklist',
      '',
      'Collect spans and alerts before containment; preserve evidence in the forensic bucket.',
      '',
      '- Join the gateway logs to reconstruct what data the poisoned agent retrieved or exfiltrated through tools.',
      '- Revoke the writer role once evidence is preserved.',
    );
    expect(cover(text, 'data-extraction')).toEqual({ scenario: 'data-extraction', status: 'absent' });
  });

  it('the noun that names the scenario in the lead still counts', () => {
    const text = md(
      '## Evidence checklist',
      '',
      'This section covers data exfiltration through the agent. Monitor tool-call volume and alert on spikes.',
      '',
      '- Revoke the agent role and preserve evidence.',
    );
    expect(cover(text, 'data-extraction')).toMatchObject({ status: 'covered' });
  });

  it('a heading that says the agent exfiltrates data names the scenario: a heading exists to name', () => {
    const text = md('## The agent exfiltrates customer data', '', 'Alert on DLP hits in agent output; revoke its data access.');
    expect(cover(text, 'data-extraction')).toMatchObject({ status: 'covered' });
  });

  it('a scenario written inside an HTML comment mid-line or spanning lines does not count', () => {
    const inline = md('## Notes', '', 'Draft <!-- Prompt injection against the agent: alert and revoke its tokens. --> to do.');
    expect(cover(inline, 'prompt-injection')).toEqual({ scenario: 'prompt-injection', status: 'absent' });
    const spanning = md('## Notes', '', 'Draft below. <!-- TODO', 'Prompt injection against the agent: alert and revoke its tokens.', '--> Done.');
    expect(cover(spanning, 'prompt-injection')).toEqual({ scenario: 'prompt-injection', status: 'absent' });
    expect(sectionPlaybook(spanning).find((s) => s.heading === 'Notes')!.lead).toBe('Draft below. \n Done.');
  });

  it('a scenario named in bold text or a table row of a section lead counts', () => {
    const bold = md('## Scenarios', '', '**Prompt injection redirects the agent**', '', 'Detect: alert on guardrail hits. Respond: revoke its sessions.');
    expect(cover(bold, 'prompt-injection')).toMatchObject({ status: 'covered' });
    const table = md('## Scenarios', '', '| Scenario | Detect | Respond |', '|---|---|---|', '| Prompt injection of the agent | alert on guardrail hits | revoke sessions |');
    expect(cover(table, 'prompt-injection')).toMatchObject({ status: 'covered' });
  });
});
