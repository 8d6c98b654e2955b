// Edges of the YAML reader (src/manifest/yaml-source.ts): alias limits and cycles, control
// characters, recovery after a bad document, and positions with every kind of line end.
import { describe, expect, it } from 'vitest';
import { maxAliasCount, parseYamlDocuments } from '../../src/manifest/yaml-source';

describe('the YAML reader', () => {
  it(`accepts ${maxAliasCount} aliases and refuses ${maxAliasCount + 1}`, () => {
    const doc = (n: number) => `base: &b x\nlist:\n${Array.from({ length: n }, () => '  - *b').join('\n')}\n`;
    const ok = parseYamlDocuments(doc(maxAliasCount), 'a.yaml');
    expect(ok.problems).toEqual([]);
    expect((ok.documents[0]!.value as { list: string[] }).list).toHaveLength(maxAliasCount);
    const bad = parseYamlDocuments(doc(maxAliasCount + 1), 'a.yaml');
    expect(bad.documents).toEqual([]);
    expect(bad.problems[0]!.message).toMatch(/aliases expand too far/);
  });

  it('refuses a nested alias bomb and a self-referencing alias, never returning a value to traverse', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c]'].join('\n');
    expect(parseYamlDocuments(bomb, 'b.yaml').documents).toEqual([]);
    const cycle = parseYamlDocuments('a: &a [*a]\n', 'c.yaml');
    expect(cycle.documents).toEqual([]);
    expect(cycle.problems).toHaveLength(1);
  });

  it('reports a syntax error at its line and column without quoting the text, and still reads the other documents', () => {
    const text = ['kind: one', '---', 'kind: two', 'bad: [unclosed', 'secret: ghp_notreallyatokenbutlongenough', '---', 'kind: three', ''].join('\n');
    const r = parseYamlDocuments(text, 'multi.yaml');
    expect(r.documents.map((d) => (d.value as { kind: string }).kind)).toEqual(['one', 'three']);
    expect(r.documents.map((d) => d.index)).toEqual([0, 2]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.line).toBeGreaterThanOrEqual(4);
    expect(r.problems[0]!.message).toMatch(/^YAML syntax error: /);
    expect(r.problems[0]!.message).not.toContain('ghp_');
  });

  it('treats raw control characters as a syntax error', () => {
    const r = parseYamlDocuments('name: a\u0007b\n', 'ctl.yaml');
    expect(r.documents).toEqual([]);
    expect(r.problems[0]!.message).toMatch(/YAML syntax error/);
  });

  it('locates keys and values with LF, CRLF and lone CR line ends alike', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const r = parseYamlDocuments(['a: 1', 'b:', '  c: deep', ''].join(eol), 'eol.yaml');
      const doc = r.documents[0]!;
      expect(doc.locate(['b', 'c']), JSON.stringify(eol)).toEqual({ line: 3, column: 6 });
      expect(doc.locate(['b', 'c'], { key: true }), JSON.stringify(eol)).toEqual({ line: 3, column: 3 });
      // An absent path points at its nearest existing ancestor (the value of b).
      expect(doc.locate(['b', 'missing'], { key: true }), JSON.stringify(eol)).toEqual({ line: 3, column: 3 });
    }
  });

  it('reads numbers, booleans and null as YAML 1.2 core, and timestamps as strings', () => {
    const r = parseYamlDocuments('a: 0x1F\nb: -.5\nc: yes\nd: ~\ne: 2026-10-01\nf: 0b101\n', 'core.yaml');
    expect(r.documents[0]!.value).toEqual({ a: 31, b: -0.5, c: 'yes', d: null, e: '2026-10-01', f: '0b101' });
  });

  it('answers the same positions after forgetting the ones it kept', () => {
    const text = 'metadata:\n  name: a\nscope:\n  resources:\n    - system: crm\n      access: read\n';
    const doc = parseYamlDocuments(text, 'p.yaml').documents[0]!;
    const paths: (string | number)[][] = [['metadata', 'name'], ['scope', 'resources', 0, 'access'], ['scope', 'missing']];
    const before = paths.map((p) => [doc.locate(p), doc.locate(p, { key: true })]);
    expect(before[1]).toEqual([{ line: 6, column: 15 }, { line: 6, column: 7 }]);
    doc.forgetPositions();
    expect(paths.map((p) => [doc.locate(p), doc.locate(p, { key: true })])).toEqual(before);
    expect(doc.has(['scope', 'resources', 0, 'system'])).toBe(true);
  });
});
