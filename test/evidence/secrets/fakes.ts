// Synthetic credentials for tests, generated at run time so that no test file holds a
// literal a scanner (ours included) would flag. Deterministic: the same seed gives the same
// string, so failures reproduce.
import { createHash } from 'node:crypto';

export const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const lower = 'abcdefghijklmnopqrstuvwxyz';
export const digits = '0123456789';
export const letters = upper + lower;
export const alnum = letters + digits;
export const base32 = `${upper}234567`;
export const base64 = `${alnum}+/`;
export const base64url = `${alnum}-_`;
export const hex = '0123456789abcdef';

/** `n` characters from `alphabet`, pseudo-random from `seed`. */
export function gen(seed: string, n: number, alphabet: string = alnum): string {
  let out = '';
  for (let i = 0; out.length < n; i++) {
    for (const byte of createHash('sha256').update(`${seed}:${i}`).digest()) {
      if (out.length < n) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

const b64url = (s: string): string => Buffer.from(s).toString('base64url');

/** One valid-looking credential per family. */
export const fake = {
  awsKeyId: (seed = 'aws-id') => 'AK' + 'IA' + gen(seed, 16, base32),
  awsStsKeyId: (seed = 'aws-sts') => 'AS' + 'IA' + gen(seed, 16, base32),
  awsSecret: (seed = 'aws-secret') => gen(seed, 40, base64),
  openaiProject: (seed = 'openai-proj') => 'sk-' + 'proj-' + gen(seed, 74, base64url) + 'T3Blbk' + 'FJ' + gen(`${seed}2`, 74, base64url),
  openaiService: (seed = 'openai-svc') => 'sk-' + 'svcacct-' + gen(seed, 120, base64url),
  openaiAdmin: (seed = 'openai-admin') => 'sk-' + 'admin-' + gen(seed, 120, base64url),
  openaiLegacy: (seed = 'openai-legacy') => 'sk-' + gen(seed, 20) + 'T3Blbk' + 'FJ' + gen(`${seed}2`, 20),
  anthropic: (seed = 'anthropic') => 'sk-' + 'ant-' + 'api03-' + gen(seed, 93, base64url) + 'AA',
  anthropicAdmin: (seed = 'anthropic-admin') => 'sk-' + 'ant-' + 'admin01-' + gen(seed, 93, base64url) + 'AA',
  google: (seed = 'google') => 'AI' + 'za' + gen(seed, 35, base64url),
  azure: (seed = 'azure') => gen(seed, 3) + '8' + 'Q~' + gen(`${seed}2`, 34, `${alnum}_~.-`),
  github: (prefix = 'ghp', seed = 'github') => prefix + '_' + gen(seed, 36),
  githubFineGrained: (seed = 'github-fg') => 'github' + '_pat_' + gen(seed, 22) + '_' + gen(`${seed}2`, 59),
  gitlab: (prefix = 'glpat', seed = 'gitlab') => prefix + '-' + gen(seed, 20, `${alnum}_-`),
  slack: (prefix = 'xoxb', seed = 'slack') => prefix + '-' + gen(seed, 12, digits) + '-' + gen(`${seed}2`, 13, digits) + '-' + gen(`${seed}3`, 24),
  slackApp: (seed = 'slack-app') => 'xa' + 'pp-1-A' + gen(seed, 10, upper + digits) + '-' + gen(`${seed}2`, 13, digits) + '-' + gen(`${seed}3`, 64, hex),
  slackWebhook: (seed = 'slack-hook') =>
    'https://hooks.' + 'slack.com/services/T' + gen(seed, 8, upper + digits) + '/B' + gen(`${seed}2`, 10, upper + digits) + '/' + gen(`${seed}3`, 24),
  huggingface: (seed = 'hf') => 'hf' + '_' + gen(seed, 34, letters),
  vault: (seed = 'vault') => 'hv' + 's.' + gen(seed, 90, `${alnum}_-`),
  stripe: (seed = 'stripe') => 'sk' + '_live_' + gen(seed, 99),
  npm: (seed = 'npm') => 'np' + 'm_' + gen(seed, 36),
  pypi: (seed = 'pypi') => 'pypi-' + 'AgEIcHlwaS5vcmc' + gen(seed, 120, base64url),
  jwt: (seed = 'jwt') =>
    b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' })) +
    '.' +
    b64url(JSON.stringify({ sub: gen(seed, 10, digits), name: 'Agent', iat: 1_700_000_000 })) +
    '.' +
    gen(`${seed}sig`, 43, base64url),
  /** A PEM body: `lines` lines of 64 base64 characters. */
  pemBody: (seed = 'pem', lines = 12) => Array.from({ length: lines }, (_, i) => gen(`${seed}${i}`, 64, base64)).join('\n'),
  privateKey: (type = 'RSA ', seed = 'pem') =>
    `-----BEGIN ${type}PRIV` + `ATE KEY-----\n${fake.pemBody(seed)}\n-----END ${type}PRIV` + 'ATE KEY-----',
  serviceAccount: (seed = 'sa') =>
    JSON.stringify(
      {
        type: 'service' + '_account',
        project_id: 'acme-agents',
        private_key_id: gen(seed, 40, hex),
        private_key: `-----BEGIN PRIV` + `ATE KEY-----\n${fake.pemBody(seed, 20)}\n-----END PRIV` + 'ATE KEY-----\n',
        client_email: 'agent@acme-agents.iam.gserviceaccount.com',
        client_id: gen(`${seed}id`, 21, digits),
        token_uri: 'https://oauth2.googleapis.com/token',
      },
      null,
      2,
    ),
  /** A random value for the generic assignment rule (letters and digits, as real ones mix). */
  password: (seed = 'password', n = 20) => gen(seed, n - 2) + gen(`${seed}-digits`, 2, digits),
};
