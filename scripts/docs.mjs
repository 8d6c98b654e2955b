// Regenerates the committed docs from the one source: the rules' metadata and the zod schema.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';

const run = (...args) => execFileSync(process.execPath, ['dist/cli.js', ...args], { encoding: 'utf8' });
mkdirSync('docs', { recursive: true });
writeFileSync('docs/rules.md', run('checks', '--format', 'markdown'));
writeFileSync('docs/manifest.schema.json', run('schema'));
writeFileSync('docs/policy.schema.json', run('schema', '--policy'));
writeFileSync('docs/evidence.schema.json', run('schema', '--evidence'));
console.log('wrote docs/rules.md, docs/manifest.schema.json, docs/policy.schema.json, docs/evidence.schema.json');
