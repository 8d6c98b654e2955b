// Builds the CLI: dist/agent-ready.cjs, one bundled file (fast start-up: one file to read and
// compile) with the cloud SDKs left external so they load only when a live provider runs, and
// dist/cli.js, the small CommonJS entry that answers --version and runs the bundle through V8's code
// cache (src/launch.ts).
import { build } from 'esbuild';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: false,
  minify: true,
  legalComments: 'none',
  define: { __AGENT_READY_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
};

rmSync('dist', { recursive: true, force: true });
await build({
  ...common,
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/agent-ready.cjs',
  format: 'cjs',
  external: ['@aws-sdk/*', '@smithy/*', '@azure/*', '@microsoft/*', 'google-auth-library', '@google-cloud/*'],
});
await build({ ...common, entryPoints: ['src/launch.ts'], outfile: 'dist/cli.js', format: 'cjs', banner: { js: '#!/usr/bin/env node' } });
// dist/ is CommonJS whatever the project's "type": Node runs cli.js without its ES module loader.
writeFileSync('dist/package.json', '{ "type": "commonjs" }\n');
chmodSync('dist/cli.js', 0o755);
