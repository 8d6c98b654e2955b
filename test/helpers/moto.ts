// moto_server, a real IAM emulator, on 127.0.0.1 at a free port. Where it is not installed
// the tests that need it say so and skip; AGENT_READY_REQUIRE_MOTO=1 (CI) makes that a failure.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export const motoRequired = process.env.AGENT_READY_REQUIRE_MOTO === '1';

export function motoPath(): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' });
  const path = r.stdout.trim();
  return r.status === 0 && path ? path : undefined;
}

export const motoAvailable = motoPath() !== undefined;

/** Why moto tests did not run, printed so a skipped run is never mistaken for a passing one. */
export function reportMotoAbsence(): void {
  if (!motoAvailable) {
    const message = 'moto_server is not on PATH: the AWS IAM integration tests are skipped (pip install "moto[server]"; CI sets AGENT_READY_REQUIRE_MOTO=1 so they cannot skip there)';
    process.stderr.write(`\n[agent-ready tests] ${message}\n`);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface Moto {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startMoto(): Promise<Moto> {
  const path = motoPath();
  if (!path) throw new Error('moto_server is not installed');
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child: ChildProcess = spawn(path, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += String(d)));
    const endpoint = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && child.exitCode === null) {
      try {
        const r = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
        if (r.status < 500) {
          return {
            endpoint,
            stop: () =>
              new Promise<void>((resolve) => {
                if (child.exitCode !== null) return resolve();
                child.once('exit', () => resolve());
                child.kill('SIGTERM');
              }),
          };
        }
      } catch (err) {
        lastError = err;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    lastError = new Error(`moto_server on port ${port} did not start: ${stderr.slice(-500)}`);
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

/** Explicit test credentials: the SDK's chain never looks further (no profile, no metadata server). */
export const testAwsEnv = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
};
