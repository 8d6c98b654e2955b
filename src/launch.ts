// dist/cli.js: the command's entry. It answers --version itself, and runs the bundled CLI
// (dist/agent-ready.cjs) through V8's code cache: a one-shot CLI spends much of its start-up
// compiling the functions it runs once, and Node 20 has no built-in compile cache. The cache
// lives in the OS temp folder, is keyed by version, size and mtime of the bundle, is written
// atomically once, and is simply rebuilt when V8 rejects it. AGENT_READY_NO_CODE_CACHE=1 turns
// it off.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

declare const __AGENT_READY_VERSION__: string;

const argv = process.argv;
if (argv.length === 3 && (argv[2] === '--version' || argv[2] === '-V')) {
  process.stdout.write(`${__AGENT_READY_VERSION__}\n`);
} else {
  run();
}

function cacheFile(bundle: string): string | undefined {
  if (process.env.AGENT_READY_NO_CODE_CACHE) return undefined;
  try {
    const st = statSync(bundle);
    let user = 'user';
    try {
      user = String(userInfo().uid >= 0 ? userInfo().uid : userInfo().username);
    } catch {
      // no passwd entry (some containers): one shared name is still correct, only less private
    }
    return join(tmpdir(), `agent-ready-${user}`, `${__AGENT_READY_VERSION__}-${st.size}-${Math.floor(st.mtimeMs)}-${process.version}.v8cache`);
  } catch {
    return undefined;
  }
}

/**
 * Each build or upgrade writes a new cache (~1 MB) beside the old ones. Keep the few most
 * recently written (other installed versions may still use theirs), remove the rest.
 */
const cachesKept = 4;
function pruneCaches(dir: string, current: string): void {
  const caches = readdirSync(dir)
    .filter((name) => name.endsWith('.v8cache'))
    .map((name) => {
      const file = join(dir, name);
      return { file, mtime: statSync(file).mtimeMs };
    })
    .filter(({ file }) => file !== current)
    .sort((a, b) => b.mtime - a.mtime || (a.file < b.file ? -1 : 1));
  for (const { file } of caches.slice(cachesKept - 1)) rmSync(file, { force: true });
}

function run(): void {
  // V8 first interprets a regular expression and compiles it to native code once it has run:
  // for the rules' large patterns (playbook vocabulary, secret families) that is two compiles.
  // Compiling once, natively, cut the incident-response rules from ~45 ms to ~8 ms and costs
  // the secret scan nothing. Set before the bundle compiles, so cached code and flags agree;
  // node:v8 loads the stream modules, which --version does not otherwise need.
  (require('node:v8') as typeof import('node:v8')).setFlagsFromString('--no-regexp-tier-up');
  // Built as CommonJS (dist/package.json says so): no ES module loader to start for one file.
  const bundle = join(__dirname, 'agent-ready.cjs');
  const source = readFileSync(bundle, 'utf8');
  const cache = cacheFile(bundle);
  let cachedData: Buffer | undefined;
  if (cache) {
    try {
      cachedData = readFileSync(cache);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundle,
    ...(cachedData ? { cachedData } : {}),
  });
  if (cache && (!cachedData || script.cachedDataRejected)) {
    // At exit the functions this run compiled are in the cache too, not only the top level.
    process.once('exit', () => {
      try {
        mkdirSync(dirname(cache), { recursive: true, mode: 0o700 });
        const temp = `${cache}.${process.pid}.tmp`;
        writeFileSync(temp, script.createCachedData());
        renameSync(temp, cache);
        pruneCaches(dirname(cache), cache);
      } catch {
        // A cache that cannot be written costs speed, never correctness.
      }
    });
  }
  // Functions restored from a code cache have no dynamic-import hook: lend this module's.
  (globalThis as { __agentReadyImport?: (s: string) => Promise<unknown> }).__agentReadyImport = (specifier) => import(specifier);
  // What a worker thread should run (this file: the bundle through the same code cache), so a
  // large secret scan can run half of itself in one.
  (globalThis as { __agentReadyBundle?: string }).__agentReadyBundle = __filename;
  const module = { exports: {} };
  (script.runInThisContext() as (e: object, r: NodeJS.Require, m: object, f: string, d: string) => void)(
    module.exports,
    createRequire(bundle),
    module,
    bundle,
    dirname(bundle),
  );
}
