import { describe, expect, it } from 'vitest';
import { classifyModelId, isFixedVersionClass, isPinnedClass, type ModelIdClass } from '../../checks/model-ids';

type Row = [provider: string | undefined, id: string, expected: ModelIdClass, upgrade?: string];

const rows: Row[] = [
  // The cases the issue lists.
  ['openai', 'gpt-4o', 'floating'],
  ['openai', 'gpt-4o-2024-08-06', 'pinned'],
  ['openai', 'gpt-4-0613', 'pinned'],
  ['openai', 'chatgpt-4o-latest', 'floating'],
  ['anthropic', 'claude-3-5-sonnet-latest', 'floating'],
  ['anthropic', 'claude-sonnet-4-5', 'floating'],
  ['anthropic', 'claude-sonnet-4-5-20250929', 'pinned'],
  ['anthropic', 'claude-sonnet-4-6', 'pinned'],
  ['vertex', 'gemini-1.5-pro', 'floating'],
  ['vertex', 'gemini-1.5-pro-002', 'pinned'],
  ['vertex', 'gemini-2.5-pro', 'pinned'],
  ['vertex', 'gemini-2.5-flash-preview-04-17', 'pre-GA'],
  ['mistral', 'mistral-large-latest', 'floating'],
  ['mistral', 'mistral-large-2411', 'pinned'],
  ['cohere', 'command-r', 'floating'],
  ['cohere', 'command-r-08-2024', 'pinned'],
  ['bedrock', 'anthropic.claude-3-5-sonnet-20240620-v1:0', 'pinned'],
  ['bedrock', 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6', 'opaque'],
  ['azure-openai', 'gpt-4o-2024-08-06', 'floating', 'OnceNewDefaultVersionAvailable'],
  ['azure-openai', 'gpt-4o-2024-08-06', 'pinned-until-retirement', 'OnceCurrentVersionExpired'],
  ['azure-openai', 'gpt-4o-2024-08-06', 'pinned', 'NoAutoUpgrade'],
  // OpenAI, more.
  ['openai', 'o3', 'floating'],
  ['openai', 'o3-2025-04-16', 'pinned'],
  ['openai', 'gpt-5', 'floating'],
  ['openai', 'gpt-5-2025-08-07', 'pinned'],
  ['openai', 'gpt-4o-mini', 'floating'],
  ['openai', 'gpt-3.5-turbo-0125', 'pinned'],
  ['openai', 'ft:gpt-4o-mini-2024-07-18:acme::9abcDEF1', 'pinned'],
  ['openai', 'gpt-4.5-preview', 'pre-GA'],
  ['openai', 'gpt-4o-realtime-preview-2024-12-17', 'pre-GA'],
  ['openai', 'gpt-4o-2024-02-30', 'floating'], // not a calendar date: no snapshot
  ['openai', 'my-house-model', 'unknown'],
  // Anthropic, more: both orderings, with and without dates.
  ['anthropic', 'claude-opus-4-1', 'floating'],
  ['anthropic', 'claude-opus-4-1-20250805', 'pinned'],
  ['anthropic', 'claude-opus-4-6', 'pinned'],
  ['anthropic', 'claude-opus-4-7', 'pinned'],
  ['anthropic', 'claude-sonnet-4', 'floating'],
  ['anthropic', 'claude-sonnet-4-20250514', 'pinned'],
  ['anthropic', 'claude-sonnet-5', 'pinned'],
  ['anthropic', 'claude-3-opus-20240229', 'pinned'],
  ['anthropic', 'claude-3-opus', 'floating'],
  ['anthropic', 'claude-3-7-sonnet-20250219', 'pinned'],
  ['anthropic', 'claude-3-5-haiku', 'floating'],
  ['anthropic', 'sonnet', 'unknown'],
  // Gemini and Vertex AI.
  ['vertex', 'gemini-2.0-flash', 'floating'],
  ['vertex', 'gemini-2.0-flash-001', 'pinned'],
  ['vertex', 'gemini-2.5-flash', 'pinned'],
  ['vertex', 'gemini-3.5-flash', 'pinned'],
  ['vertex', 'gemini-3-pro-preview', 'pre-GA'],
  ['vertex', 'gemini-2.0-flash-exp', 'pre-GA'],
  ['vertex', 'gemini-exp-1206', 'pre-GA'],
  ['vertex', 'gemini-flash-latest', 'floating'],
  ['vertex', 'gemini-pro', 'floating'],
  ['vertex', 'projects/acme/locations/us-central1/publishers/google/models/gemini-1.5-pro-002', 'pinned'],
  ['vertex', 'https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/publishers/google/models/gemini-1.0-pro:generateContent', 'floating'],
  ['vertex', 'claude-sonnet-4-5@20250929', 'pinned'],
  ['vertex', 'claude-3-5-sonnet-v2@20241022', 'pinned'],
  ['vertex', 'publishers/anthropic/models/claude-opus-4-6', 'pinned'],
  ['vertex', 'claude-sonnet-4-5', 'floating'],
  ['vertex', 'projects/p/locations/us-central1/endpoints/1234567890', 'opaque'],
  ['vertex', 'mistral-large-2411', 'pinned'],
  // Bedrock.
  ['bedrock', 'us.anthropic.claude-3-5-sonnet-20240620-v1:0', 'pinned'],
  ['bedrock', 'global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'pinned'],
  ['bedrock', 'eu.amazon.nova-pro-v1:0', 'pinned'],
  ['bedrock', 'apac.anthropic.claude-sonnet-4-20250514-v1:0', 'pinned'],
  ['bedrock', 'anthropic.claude-sonnet-4-6', 'pinned'],
  ['bedrock', 'amazon.titan-text-express-v1', 'pinned'], // "-express" is not "-exp"
  ['bedrock', 'meta.llama3-70b-instruct-v1:0', 'pinned'],
  ['bedrock', 'anthropic.claude-sonnet-4-5', 'unknown'],
  ['bedrock', 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0', 'pinned'],
  ['bedrock', 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0', 'pinned'],
  ['bedrock', 'arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abcdef123456', 'opaque'],
  ['bedrock', 'claude-sonnet-4-5', 'unknown'],
  // Mistral and Cohere, more.
  ['mistral', 'codestral-2508', 'pinned'],
  ['mistral', 'mistral-small', 'floating'],
  ['mistral', 'labs-devstral-small-2512', 'pre-GA'],
  ['cohere', 'command-a-03-2025', 'pinned'],
  ['cohere', 'command-r-plus', 'floating'],
  ['cohere', 'command-r7b-12-2024', 'pinned'],
  // Azure OpenAI: deployment names.
  ['azure-openai', 'gpt-4o-2024-08-06', 'floating', undefined],
  ['azure-openai', 'onboarding-gpt', 'opaque', 'NoAutoUpgrade'],
  ['azure-openai', 'gpt-4o', 'opaque', 'NoAutoUpgrade'],
  ['azure-openai', 'gpt-4o:2024-08-06', 'pinned', 'NoAutoUpgrade'],
  ['azure-openai', 'gpt-35-turbo-0125', 'pinned', 'NoAutoUpgrade'],
  ['azure-openai', 'onboarding-gpt', 'floating', 'OnceNewDefaultVersionAvailable'],
  ['azure-openai', 'gpt-4o-realtime-preview-2024-12-17', 'pre-GA', 'NoAutoUpgrade'],
  // Provider missing or unknown.
  [undefined, 'gpt-4o-2024-08-06', 'pinned'],
  [undefined, 'claude-sonnet-4-5', 'floating'],
  [undefined, 'us.anthropic.claude-3-5-sonnet-20240620-v1:0', 'pinned'],
  [undefined, 'llama-3.1-70b', 'unknown'],
  ['other', 'gpt-4o-2024-08-06', 'unknown'],
  ['acme', 'model-1', 'unknown'],
  ['openai', '  ', 'unknown'],
];

describe('classifyModelId', () => {
  it.each(rows)('%s %s -> %s (%s)', (provider, id, expected, upgrade) => {
    const verdict = classifyModelId(provider, id, upgrade === undefined ? {} : { versionUpgradeOption: upgrade });
    expect(verdict.class).toBe(expected);
    expect(verdict.reason).toMatch(/\.$/);
  });

  it('cites the vendor rule in the reason', () => {
    expect(classifyModelId('anthropic', 'claude-sonnet-4-6').reason).toContain('4.6');
    expect(classifyModelId('azure-openai', 'gpt-4o-2024-08-06').reason).toContain("Azure's default");
    expect(classifyModelId('vertex', 'gemini-1.5-pro').reason).toContain('auto-updated');
    expect(classifyModelId(undefined, 'gpt-4o').reason).toContain('model.provider is not set');
  });

  it('tells pinned classes apart', () => {
    expect(isPinnedClass('pinned')).toBe(true);
    expect(isPinnedClass('pinned-until-retirement')).toBe(false);
    expect(isFixedVersionClass('pinned-until-retirement')).toBe(true);
    expect(isFixedVersionClass('opaque')).toBe(false);
  });
});
