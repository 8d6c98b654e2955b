import { describe, expect, it } from 'vitest';
import { ownersFor, parseCodeowners } from '../../../src/evidence/repo/codeowners';

/** The owners GitHub would request for `path` under a one-line CODEOWNERS with `pattern`. */
function matches(pattern: string, path: string): boolean {
  return ownersFor(parseCodeowners(`${pattern} @owner`), path).owners.length > 0;
}

describe('CODEOWNERS patterns (GitHub semantics)', () => {
  // [pattern, path, matches]
  const cases: [string, string, boolean][] = [
    ['*', 'README.md', true],
    ['*', 'deep/nested/file.ts', true],
    ['*.js', 'app.js', true],
    ['*.js', 'src/lib/app.js', true],
    ['*.js', 'src/app.ts', false],
    // a leading slash anchors to the root
    ['/build/logs/', 'build/logs/today.log', true],
    ['/build/logs/', 'src/build/logs/today.log', false],
    ['/README.md', 'README.md', true],
    ['/README.md', 'docs/README.md', false],
    // no slash except trailing: any depth
    ['apps/', 'apps/web/index.ts', true],
    ['apps/', 'packages/apps/x.ts', true],
    ['apps/', 'apps', false],
    ['logs', 'a/b/logs/x.log', true],
    ['README.md', 'docs/README.md', true],
    // a slash in the middle anchors too
    ['docs/getting-started.md', 'docs/getting-started.md', true],
    ['docs/getting-started.md', 'x/docs/getting-started.md', false],
    // docs/* : files directly in docs only
    ['docs/*', 'docs/getting-started.md', true],
    ['docs/*', 'docs/build-app/troubleshooting.md', false],
    // a directory pattern without trailing slash owns everything under it
    ['/scripts', 'scripts/deploy.sh', true],
    ['prompts/onboarding.md', 'prompts/onboarding.md', true],
    // * does not cross /, ** does
    ['src/*.ts', 'src/a.ts', true],
    ['src/*.ts', 'src/lib/a.ts', false],
    ['src/**/*.ts', 'src/a.ts', true],
    ['src/**/*.ts', 'src/lib/deep/a.ts', true],
    ['**/logs', 'logs/a.log', true],
    ['**/logs', 'deep/down/logs/a.log', true],
    ['docs/**', 'docs/a/b/c.md', true],
    ['docs/**', 'docsx/a.md', false],
    ['/docs/', 'docs/a.md', true],
    ['/docs/', 'x/docs/a.md', false],
    // ? is a single character within a segment
    ['file?.txt', 'file1.txt', true],
    ['file?.txt', 'file10.txt', false],
    // case-sensitive, dots literal
    ['*.MD', 'readme.md', false],
    ['a.b', 'axb', false],
  ];
  it.each(cases)('%s vs %s -> %s', (pattern, path, expected) => {
    expect(matches(pattern, path)).toBe(expected);
  });
});

describe('parseCodeowners and ownersFor', () => {
  const text = [
    '# Owners of the agent',
    '*       @acme/platform',
    '',
    'prompts/   @acme/ai-team  jane.doe@example.com   # inline comment',
    'tools/registry.yaml @acme/ai-team',
    'prompts/experimental/',
    '\\#notes.md @scribe',
  ].join('\n');
  const co = parseCodeowners(text);

  it('keeps patterns, owners and 1-based line numbers; skips comments and blank lines', () => {
    expect(co.errors).toEqual([]);
    expect(co.rules).toEqual([
      { pattern: '*', owners: ['@acme/platform'], line: 2 },
      { pattern: 'prompts/', owners: ['@acme/ai-team', 'jane.doe@example.com'], line: 4 },
      { pattern: 'tools/registry.yaml', owners: ['@acme/ai-team'], line: 5 },
      { pattern: 'prompts/experimental/', owners: [], line: 6 },
      { pattern: '#notes.md', owners: ['@scribe'], line: 7 },
    ]);
  });

  it('the last matching pattern wins', () => {
    const r = ownersFor(co, 'prompts/onboarding.md');
    expect(r.owners).toEqual(['@acme/ai-team', 'jane.doe@example.com']);
    expect(r.rule?.line).toBe(4);
    expect(ownersFor(co, 'src/index.ts')).toMatchObject({ owners: ['@acme/platform'], rule: { line: 2 } });
  });

  it('a later pattern with no owners makes the path unowned', () => {
    const r = ownersFor(co, 'prompts/experimental/x.md');
    expect(r.owners).toEqual([]);
    expect(r.rule?.line).toBe(6);
  });

  it('no matching pattern: unowned without a rule', () => {
    const r = ownersFor(parseCodeowners('docs/ @writers'), 'src/a.ts');
    expect(r).toEqual({ owners: [] });
  });

  it('an escaped # is a pattern, not a comment', () => {
    expect(ownersFor(co, '#notes.md').owners).toEqual(['@scribe']);
  });

  it('normalises ./ and leading slashes in the queried path', () => {
    expect(ownersFor(co, './tools/registry.yaml').rule?.line).toBe(5);
    expect(ownersFor(co, '/tools/registry.yaml').rule?.line).toBe(5);
  });

  it('negation, ranges and malformed owners are errors and the lines are ignored', () => {
    const bad = parseCodeowners(['* @all', '!secret.md @nobody', '*.[ch] @c-team', 'src/ not-an-owner', 'ok/ @ok'].join('\n'));
    expect(bad.errors.map((e) => e.line)).toEqual([2, 3, 4]);
    expect(bad.errors[0]!.message).toMatch(/negation/);
    expect(bad.errors[1]!.message).toMatch(/range/);
    expect(bad.errors[2]!.message).toMatch(/invalid owner not-an-owner/);
    expect(bad.rules.map((r) => r.line)).toEqual([1, 5]);
    // the ignored `src/` line does not unown src/
    expect(ownersFor(bad, 'src/a.ts').owners).toEqual(['@all']);
  });

  it('handles CRLF and a byte-order mark', () => {
    const crlf = parseCodeowners('\uFEFF* @a\r\ndocs/ @b\r\n');
    expect(crlf.rules).toEqual([
      { pattern: '*', owners: ['@a'], line: 1 },
      { pattern: 'docs/', owners: ['@b'], line: 2 },
    ]);
  });
});

describe('review: owners GitHub accepts', () => {
  it('accepts Enterprise Managed User handles (handle_shortcode) as owners', () => {
    const co = parseCodeowners('/prompts/ @mona_acme @acme/ai-team\n');
    expect(co.errors).toEqual([]);
    expect(ownersFor(co, 'prompts/a.md').owners).toEqual(['@mona_acme', '@acme/ai-team']);
  });

  it('a later `*` with no owners unowns everything above it', () => {
    const co = parseCodeowners('/prompts/ @acme/ai-team\n*\n');
    expect(ownersFor(co, 'prompts/a.md')).toMatchObject({ owners: [], rule: { pattern: '*', line: 2 } });
  });
});
