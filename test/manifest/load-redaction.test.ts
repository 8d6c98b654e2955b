import { describe, expect, it } from 'vitest';
import { loadManifestText } from '../../src/manifest/load';

const opts = { displayPath: 'agent.yaml', file: '/repo/agent.yaml', repoRoot: '/repo' };
// Assembled at run time so no literal credential sits in the repository.
const token = ['ghp_', 'R8mQ2vK7xL4tN9pW3', 'cZ6bJ1hF5yD0sA8gE2uT'].join('');
const random = ['Zx9qLr27', 'vBnT48kw', 'E1pQ'].join('');

describe('unknown keys in a manifest', () => {
  it('never echo a credential pasted where a key should be', () => {
    const text = `apiVersion: agent-ready/v1\nkind: DigitalEmployee\nmetadata:\n  name: agent-x-prod\n  ${token}: 1\n  ${random}: 2\n`;
    const messages = loadManifestText(text, opts).problems.map((p) => p.message).join('\n');
    expect(messages).toMatch(/unknown key "ghp_…" in metadata/);
    expect(messages).toMatch(/unknown key "Zx9q…" in metadata/);
    expect(messages).not.toContain(token.slice(4, 12));
    expect(messages).not.toContain(random.slice(4));
  });

  it('still name an ordinary misspelt key and suggest the right one', () => {
    const text = 'apiVersion: agent-ready/v1\nkind: DigitalEmployee\nmetadata:\n  name: agent-x-prod\n  regulatoryRegim: x\n';
    const p = loadManifestText(text, opts).problems.find((x) => /unknown key/.test(x.message));
    expect(p).toEqual({ file: 'agent.yaml', line: 5, column: 3, message: 'unknown key "regulatoryRegim" in metadata (did you mean "regulatoryRegime"?)' });
  });
});
