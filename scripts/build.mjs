// Builds dist/cli.js: one bundled ESM file (fast start-up: one file to read and parse), with
// the cloud SDKs left external so they load only when a live provider runs.
import { build } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: false,
  minify: true,
  legalComments: 'none',
  external: ['@aws-sdk/*', '@smithy/*', '@azure/*', '@microsoft/*', 'google-auth-library', '@google-cloud/*'],
  define: { __AGENT_READY_VERSION__: JSON.stringify(pkg.version) },
  // Bundled CommonJS dependencies call require() for Node built-ins.
  banner: { js: "import { createRequire as __arCreateRequire } from 'node:module'; const require = __arCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
chmodSync('dist/cli.js', 0o755);
