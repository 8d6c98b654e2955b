import { describe, expect, it } from 'vitest';
import { redact, redactSecrets, scanText, scanValue, type SecretMatch } from '../../../src/evidence/secrets/detector';
import { families } from '../../../src/evidence/secrets/families';
import { shannonEntropy } from '../../../src/evidence/secrets/entropy';
import { isVaultReference } from '../../../src/evidence/secrets/placeholders';
import { alnum, base32, base64, fake, gen } from './fakes';

const allow = 'agent-ready:' + 'allow';

interface Case {
  name: string;
  text: string;
  family: string;
  secret: string;
}

const tp = (name: string, family: string, secret: string, text = `value = ${secret}\n`): Case => ({ name, family, secret, text });

const awsSecret = fake.awsSecret();
const password = fake.password();
const positives: Case[] = [
  tp('AWS access key id (AKIA)', 'aws-access-key-id', fake.awsKeyId()),
  tp('AWS access key id (ASIA)', 'aws-access-key-id', fake.awsStsKeyId()),
  tp('AWS access key id (ABIA)', 'aws-access-key-id', 'AB' + 'IA' + gen('abia', 16, base32)),
  tp('AWS access key id (ACCA)', 'aws-access-key-id', 'AC' + 'CA' + gen('acca', 16, base32)),
  tp('AWS secret key in a credentials file', 'aws-secret-access-key', awsSecret, `[default]\naws_secret_access_key = ${awsSecret}\n`),
  tp('AWS secret key in JSON', 'aws-secret-access-key', awsSecret, `{ "SecretAccessKey": "${awsSecret}" }`),
  tp('AWS secret key in .env', 'aws-secret-access-key', awsSecret, `AWS_SECRET_ACCESS_KEY=${awsSecret}`),
  tp('OpenAI project key', 'openai-api-key', fake.openaiProject()),
  tp('OpenAI service-account key', 'openai-api-key', fake.openaiService()),
  tp('OpenAI admin key', 'openai-api-key', fake.openaiAdmin()),
  tp('OpenAI legacy key', 'openai-api-key', fake.openaiLegacy()),
  tp('Anthropic API key', 'anthropic-api-key', fake.anthropic()),
  tp('Anthropic admin key', 'anthropic-api-key', fake.anthropicAdmin()),
  tp('Google API key', 'google-api-key', fake.google()),
  tp('Azure AD client secret', 'azure-ad-client-secret', fake.azure()),
  tp('GitHub classic PAT', 'github-token', fake.github('ghp')),
  tp('GitHub OAuth token', 'github-token', fake.github('gho', 'gho')),
  tp('GitHub user-to-server token', 'github-token', fake.github('ghu', 'ghu')),
  tp('GitHub app installation token', 'github-token', fake.github('ghs', 'ghs')),
  tp('GitHub refresh token', 'github-token', fake.github('ghr', 'ghr')),
  tp('GitHub fine-grained PAT', 'github-fine-grained-pat', fake.githubFineGrained()),
  tp('GitLab PAT', 'gitlab-token', fake.gitlab('glpat')),
  tp('GitLab deploy token', 'gitlab-token', fake.gitlab('gldt', 'gldt')),
  tp('GitLab runner token', 'gitlab-token', fake.gitlab('glrt', 'glrt')),
  tp('GitLab pipeline trigger token', 'gitlab-token', fake.gitlab('glptt', 'glptt')),
  tp('Slack bot token', 'slack-token', fake.slack('xoxb')),
  tp('Slack user token', 'slack-token', fake.slack('xoxp', 'xoxp')),
  tp('Slack app token', 'slack-token', fake.slackApp()),
  tp('Slack webhook', 'slack-webhook', fake.slackWebhook()),
  tp('Hugging Face token', 'huggingface-token', fake.huggingface()),
  tp('RSA private key', 'private-key', fake.privateKey('RSA ')),
  tp('PKCS#8 private key', 'private-key', fake.privateKey('')),
  tp('EC private key', 'private-key', fake.privateKey('EC ', 'ec')),
  tp('private key in a JSON string', 'private-key', fake.privateKey('', 'json'), JSON.stringify({ key: fake.privateKey('', 'json') })),
  tp('JWT', 'jwt', fake.jwt(), `Authorization: Bearer ${fake.jwt()}`),
  tp('Vault service token', 'vault-token', fake.vault()),
  tp('Vault batch token', 'vault-token', 'hv' + 'b.' + gen('hvb', 120)),
  tp('Stripe live key', 'stripe-secret-key', fake.stripe()),
  tp('npm token', 'npm-token', fake.npm()),
  tp('PyPI token', 'pypi-token', fake.pypi()),
  tp('password in a connection URL', 'url-password', password, `DATABASE_URL=postgres://app:${password}@db.prod.internal:5432/app`),
  tp('generic: .env', 'generic-secret', password, `DB_PASSWORD=${password}\n`),
  tp('generic: .env, exported', 'generic-secret', password, `export CRM_API_KEY=${password}\n`),
  tp('generic: YAML', 'generic-secret', password, `auth:\n  client_secret: ${password}\n`),
  tp('generic: YAML, quoted', 'generic-secret', password, `auth:\n  token: '${password}'\n`),
  tp('generic: JSON', 'generic-secret', password, `{"apiKey": "${password}"}`),
  tp('generic: TypeScript', 'generic-secret', password, `const accessKey = \`${password}\`;`),
  tp('generic: Python', 'generic-secret', password, `PASSWD = "${password}"`),
  tp('generic: Go', 'generic-secret', password, `secret := "${password}"`),
  tp('generic: properties', 'generic-secret', password, `spring.datasource.password=${password}`),
  tp('generic: Ruby hash', 'generic-secret', password, `{ :pwd => "${password}" }`),
  tp('generic: URL query', 'generic-secret', password, `https://api.example.net/v1?token=${password}&x=1`),
];

// The service-account file: the specific family, not the generic private-key one.
const serviceAccount = fake.serviceAccount();

describe('scanText: one true positive per family', () => {
  it.each(positives)('$name', ({ text, family, secret }) => {
    const found = scanText(text);
    expect(found.map((f) => f.family)).toEqual([family]);
    const [m] = found as [SecretMatch];
    // The finding points at the secret's first character.
    const index = text.indexOf(family === 'private-key' ? '-----BEGIN' : secret);
    const before = text.slice(0, index);
    expect(m.line).toBe(before.split('\n').length);
    expect(m.column).toBe(index - before.lastIndexOf('\n'));
    expect(m.preview).toBe(redact(family === 'private-key' ? '-----BEGIN' : secret));
  });

  it('covers every family the detector declares', () => {
    const covered = new Set([...positives.map((c) => c.family), 'gcp-service-account-key']);
    expect(families.map((f) => f.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  it('reports a GCP service-account JSON as one service-account key (not also a private key)', () => {
    const found = scanText(serviceAccount);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ family: 'gcp-service-account-key', line: 5 });
  });

  it('finds an OpenSSH private key even though its body has runs of A', () => {
    const body = 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACB' + gen('ssh', 51, base64) + '\n' + gen('ssh2', 64, base64);
    const key = '-----BEGIN OPENSSH PRIV' + `ATE KEY-----\n${body}\n-----END OPENSSH PRIV` + 'ATE KEY-----\n';
    expect(scanText(key).map((f) => f.family)).toEqual(['private-key']);
  });

  it('keeps the specific family over the generic rule when both match', () => {
    const token = fake.github('ghp');
    expect(scanText(`GITHUB_TOKEN=${token}`).map((f) => f.family)).toEqual(['github-token']);
    expect(scanText(`aws_access_key_id: ${fake.awsKeyId()}`).map((f) => f.family)).toEqual(['aws-access-key-id']);
  });

  it('reports several secrets in order of line and column', () => {
    const text = `a=${fake.google()} b=${fake.github('ghp')}\n\nc: ${fake.awsKeyId()}\n`;
    expect(scanText(text).map((f) => [f.family, f.line, f.column])).toEqual([
      ['google-api-key', 1, 3],
      ['github-token', 1, 45],
      ['aws-access-key-id', 3, 4],
    ]);
  });
});

describe('scanText: placeholders and decoys are not reported', () => {
  const decoys: [string, string][] = [
    ['${VAR}', 'DB_PASSWORD=${DB_PASSWORD}'],
    ['${VAR} quoted', 'password: "${DATABASE_PASSWORD_VALUE}"'],
    ['${{ secrets.X }}', 'token: ${{ secrets.GITHUB_TOKEN_FOR_RELEASES }}'],
    ['{{ .Values.x }}', 'password: "{{ .Values.database.password }}"'],
    ['<redacted>', 'api_key: <redacted>'],
    ['<...>', 'api_key = "<your-openai-key-goes-here>"'],
    ['changeme', 'password: changeme-changeme'],
    ['xxxx', 'client_secret: xxxxxxxxxxxxxxxxxxxx'],
    ['**** masked', 'password: "****************"'],
    ['partly masked', `token: ${gen('mask', 4)}************${gen('mask2', 4)}`],
    ['sk-xxxx', 'OPENAI_API_KEY=sk-' + 'proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    ['ghp_xxxx', 'token = ghp_' + 'x'.repeat(36)],
    ['vault://', 'DB_PASSWORD: vault://secret/data/prod/db#password'],
    ['aws-sm:// with a long name', 'ref: aws-sm://arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:crm-production-api-key-2026'],
    ['Secrets Manager ARN', 'secret: arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/Db9Passw0rdXyZ-a1B2c3'],
    ['SSM parameter ARN', 'api_key: arn:aws:ssm:us-east-1:123456789012:parameter/prod/api-key-Q8zr2LxV'],
    ['aws-ssm://', 'api_key: aws-ssm://prod/crm/Q8zr2LxV0pW7mN3k'],
    ['Key Vault URL', 'client_secret: https://kv-prod.vault.azure.net/secrets/crm-key/3f9a8b7c6d5e'],
    ['azure-kv://', 'client_secret: azure-kv://kv-prod/crm-Q8zr2LxV0pW7'],
    ['gcp-sm://', 'token: gcp-sm://projects/acme/secrets/crm-Q8zr2LxV0pW7/versions/3'],
    ['projects/P/secrets/S', 'token: projects/acme-prod/secrets/crm-Q8zr2LxV0pW7/versions/latest'],
    ['op://', 'password: op://Prod/Database/Q8zr2LxV0pW7'],
    ['k8s-secret://', 'password: k8s-secret://agents/crm-Q8zr2LxV0pW7'],
    ['AWS documentation key id', 'aws_access_key_id = AKIA' + 'IOSFODNN7EXAMPLE'],
    ['AWS documentation secret', 'aws_secret_access_key = ' + 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY' + 'EXAMPLEKEY'],
    ['anything ending in EXAMPLE', 'AKIA' + 'Z7XQ2LMNPQRSEXAMPLE'],
    ['process.env', 'const apiKey = process.env.OPENAI_API_KEY_PRODUCTION;'],
    ['os.environ', 'password = os.environ.get("DATABASE_PASSWORD")'],
    ['os.environ[]', 'password = os.environ["DATABASE_PASSWORD"]'],
    ['$VAR', 'password: $DATABASE_PASSWORD_VALUE'],
    ['%VAR%', 'set PASSWORD=%DATABASE_PASSWORD_VALUE%'],
    ['your-api-key-here', 'api_key = "your-api-key-here-please"'],
    ['dummy', 'token: dummy-token-Q8zr2LxV0pW7'],
    ['example', 'secret = "Q8zr2Lexample0pW7mN3k"'],
    ['test123', 'password = "test123test123"'],
    ['repeated characters', 'secret_key: "aaaaaaaaaaaaaaaaaaaa"'],
    ['repeated in a vendor format', 'id = AKIA' + 'AAAAAAAAAAAAAAAA'],
    ['sequential alphabet', 'api_key: abcdefghijklmnopqrstuvwxyz'],
    ['sequential digits', 'token = "1234567890abcdef"'],
    ['private key header without a body', '-----BEGIN RSA PRIV' + 'ATE KEY-----\n-----END RSA PRIVATE KEY-----'],
    ['private key with ...', '-----BEGIN PRIV' + 'ATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC...\n-----END PRIVATE KEY-----'],
    ['public key', '-----BEGIN PUBLIC KEY-----\n' + fake.pemBody('pub', 4) + '\n-----END PUBLIC KEY-----'],
    ['JWT-shaped, header is not JSON', 'eyJ' + gen('j1', 30) + '.eyJ' + gen('j2', 30) + '.' + gen('j3', 43)],
    ['identifier value', 'secret: crm-production-api-key-2026'],
    ['SCREAMING_SNAKE value', 'token: GITHUB_RELEASE_TOKEN_NAME'],
    ['code member access', 'const token = request.headers.authorization;'],
    ['function call', 'password = getPasswordFromVault(name)'],
    ['comparison', 'if (password == "' + gen('cmp', 4) + '") {'],
    ['not a secret key name: monkey', `monkey = "${gen('monkey', 20)}"`],
    ['not a secret key name: primaryKey', `primaryKey: "${gen('pk', 20)}"`],
    ['not a secret key name: TOKEN_URL', `TOKEN_URL=${gen('tu', 20)}`],
    ['not a secret key name: nextPageToken', `nextPageToken: "${gen('np', 20)}"`],
    ['short value', 'password: Xq8zr2Lx'],
    ['low-entropy value', 'password: hunter2hunter2hunter2'],
    ['number', 'token_ttl_key: 1700000000123456'],
    ['URL value', 'api_key: https://example.net/keys/Q8zr2LxV0pW7'],
    ['path value', 'ssh_key: ~/.ssh/id_ed25519_Q8zr2LxV'],
    ['${secret:NAME}', 'CRM_API_KEY: ${secret:CRM_PRODUCTION_API_KEY}'],
    ['connection URL without real password', 'DATABASE_URL=postgres://app:${DB_PASSWORD}@db.prod.internal/app'],
    ['connection URL to localhost with a default password', 'DATABASE_URL=postgres://postgres:postgres@localhost:5432/app'],
    ['Slack docs webhook', 'https://hooks.' + 'slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'],
    ['Slack token placeholder', 'xoxb-' + 'your-token-here-xxxxxxxxxxxx'],
    ['AKIA inside a longer word', 'x' + fake.awsKeyId() + 'Y'],
    ['prose', 'The key to a good secret is a token of password hygiene: never commit a pass.'],
    ['UUID under a key name', `const key = "3f1c2a9e-8b7d-4e6f-a5c4-1b2d3e4f5a6b";`],
    ['%(name)s format', 'password = "%(database_password_value)s"'],
    ['%{VAR} pipeline variable', 'secret: "%{SECRET_FROM_PIPELINE}"'],
    ['<%= ENV %> template', "password: <%= ENV['DATABASE_PASSWORD'] %>"],
    ['masked OpenAI key', 'OPENAI_API_KEY=sk-' + '****abcd'],
    ['masked AWS key id', 'aws_access_key_id = AKIA' + '************MPLE'],
    ['German i18n word', '"token": "Zugangstoken",'],
    ['i18n word with an umlaut', '"apiKey": "API-Schl\u00fcssel",'],
    ['build hash under a *Key name', `const buildKey = "${gen('build', 40, '0123456789abcdef')}";`],
    ['camelCase identifier value', 'const tokenKey = "authenticationAccessTokenStorageKey";'],
    ['name/value pair whose name is not a secret', `- name: LOG_LEVEL\n  value: "${fake.password('lv')}"`],
    // From TypeScript's, Vite's and yaml's own sources: code after `token =`, not values.
    ['negated name after a token assignment', 'const exclamationToken = !questionToken && !scanner.hasPrecedingLineBreak() ? a : b;'],
    ['marker string after a token assignment', 'nextLastSignificantToken = "?NonExpressionParenEnd";'],
    ['bundler-renamed member chain', 'var token = this$1$1.getToken();'],
    ['negated key in an object literal', 'implicitKey: !explicitKey && (simpleKeys || !allNullValues),'],
  ];

  it.each(decoys)('%s', (_name, text) => {
    expect(scanText(text)).toEqual([]);
  });
});

describe('scanText: contexts and value shapes a benchmark plants', () => {
  const hexAlphabet = '0123456789abcdef';
  const pw = fake.password('ctx');
  const pem = (type: string, indent: string) =>
    `${indent}-----BEGIN ${type}PRIV` + `ATE KEY-----\n${fake.pemBody(type, 12).split('\n').map((l) => indent + l).join('\n')}\n${indent}-----END ${type}PRIV` + 'ATE KEY-----';
  // [name, text, family, 1-based line of the secret]
  const cases: [string, string, string, number][] = [
    ['Kubernetes env name/value pair', `env:\n  - name: DB_PASSWORD\n    value: "${pw}"\n`, 'generic-secret', 3],
    ['ECS JSON name/value pair', `{"environment":[{"name":"API_SECRET","value":"${pw}"}]}`, 'generic-secret', 1],
    ['.NET appSettings key/value', `<add key="ApiKey" value="${pw}" />`, 'generic-secret', 1],
    ['XML element', `<settings>\n  <password>${pw}</password>\n</settings>`, 'generic-secret', 2],
    ['Dockerfile ENV with a space', `FROM node:20\nENV API_KEY ${pw}\n`, 'generic-secret', 2],
    ['command-line flag', `mysql --password ${pw} -h db.internal`, 'generic-secret', 1],
    ['YAML block scalar holding a PEM key', `tls:\n  key: |\n${pem('', '    ')}\n`, 'private-key', 3],
    ['YAML folded scalar holding an EC key', `ec:\n  key: >-\n${pem('EC ', '    ')}\n`, 'private-key', 3],
    ['PEM in .env with \\n escapes', `PRIVATE_KEY="${pem('RSA ', '').replace(/\n/g, '\\n')}"`, 'private-key', 1],
    ['Redis URL with an empty user', `REDIS_URL=redis://:${pw}@redis-master.cache.svc:6379/0`, 'url-password', 1],
    ['random password in a URL to localhost', `DATABASE_URL=postgres://app:${pw}@localhost:5432/app`, 'url-password', 1],
    ['letters-only random secret (mixed case)', `APP_SECRET_KEY="${gen('letters', 24, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz')}"`, 'generic-secret', 1],
    ['32-character hex API key', `datadog_api_key = "${gen('hex32', 32, hexAlphabet)}"`, 'generic-secret', 1],
    ['16-character hex token', `API_TOKEN=${gen('hex16', 14, hexAlphabet)}a1`, 'generic-secret', 1],
    ['base64 value starting with /', `clientSecret: /${gen('slash', 31, base64)}`, 'generic-secret', 1],
    ['base64 value starting with /<digit>/', `secret_key = "/2/${gen('slash2', 37, alnum)}"`, 'generic-secret', 1],
    ['bare base64 value without a digit', `session_secret: ${gen('nodigit', 24, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+/')}`, 'generic-secret', 1],
    ['password made of symbols and short runs', 'ADMIN_PASSWORD="sjr#Ju_NUZhO#a#Q^ruG"', 'generic-secret', 1],
    ['random password that starts with !', 'ADMIN_PASSWORD="!Kq8ZrT2xLp9VwM4"', 'generic-secret', 1], // agent-ready:allow
    ['Django SECRET_KEY', `SECRET_KEY = "${gen('django', 50, alnum + '!@#%^&*(-_=+)')}"`, 'generic-secret', 1],
  ];

  it.each(cases)('%s', (_name, text, family, line) => {
    expect(scanText(text).map((f) => [f.family, f.line])).toEqual([[family, line]]);
  });

  it('reports every key of a minified single-line bundle', () => {
    const filler = 'function f(e,t,n){return e.map(function(x){return x.key===t?n:null})};'.repeat(40);
    const secrets: [string, string][] = [
      [`var a={apiKey:"${fake.google()}"}`, 'google-api-key'],
      [`n.headers={Authorization:"Bearer ${fake.github('ghp', 'min')}"}`, 'github-token'],
      [`const o={accessKeyId:"${fake.awsKeyId('min')}",`, 'aws-access-key-id'],
      [`secretAccessKey:"${fake.awsSecret('min')}"}`, 'aws-secret-access-key'],
      [`e.exports={token:"${fake.slack('xoxb', 'min')}"}`, 'slack-token'],
      [`t.password="${fake.password('min')}"`, 'generic-secret'],
    ];
    const text = secrets.map(([s]) => filler + s + ';').join('');
    expect(scanText(text).map((f) => f.family)).toEqual(secrets.map(([, family]) => family));
  });

  it('still reports vendor tokens whose random body spells a dummy word or a run of x', () => {
    // Case-insensitive `fake`/`ipsum`/`xxxx` in random mixed case used to mark real tokens as placeholders.
    for (const body of [gen('d1', 16) + 'faKE' + gen('d2', 16), gen('d3', 16) + 'IPsUM' + gen('d4', 15), gen('d5', 16) + 'xXXX' + gen('d6', 16)]) {
      expect(scanText(`token = ghp_${body}`).map((f) => f.family)).toEqual(['github-token']);
    }
  });

  it('reports random passwords of every common alphabet under a secret name (no statistical misses)', () => {
    const alphabets = {
      alnum,
      letters: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
      lowerDigits: 'abcdefghijklmnopqrstuvwxyz0123456789',
      hex: hexAlphabet,
      symbols: alnum + '!#%^*-_+',
      base64,
    };
    const missed: string[] = [];
    for (const [name, alphabet] of Object.entries(alphabets)) {
      for (let i = 0; i < 150; i++) {
        const length = name === 'hex' ? [16, 24, 32, 40, 64][i % 5]! : 16 + (i % 25);
        let value = gen(`${name}${i}`, length, alphabet);
        // A hex key always mixes digits and letters in practice; the generator may not.
        if (name === 'hex' && !(/\d/.test(value) && /[a-f]/.test(value))) value = `a1${value.slice(2)}`;
        if (scanText(`password: "${value}"`).length !== 1) missed.push(`${name}:${value.length}`);
      }
    }
    expect(missed).toEqual([]);
  });
});

describe('the allow marker', () => {
  it('silences only the line that carries it', () => {
    const key = fake.awsKeyId();
    const text = `a = ${key} # ${allow}\nb = ${key}\n`;
    expect(scanText(text).map((f) => f.line)).toEqual([2]);
  });

  it('applies to a private key by the line of its header', () => {
    expect(scanText(`${fake.privateKey('RSA ')} ${allow}`)).toHaveLength(1);
    const key = fake.privateKey('RSA ');
    const marked = key.replace('-----\n', `----- ${allow}\n`);
    expect(scanText(marked)).toEqual([]);
  });

  it('also holds for scanValue with a secret-ish key', () => {
    expect(scanValue(`${fake.password()} ${allow}`, 'DB_PASSWORD')).toEqual([]);
  });
});

describe('scanValue', () => {
  it('reports a high-entropy value under a secret-ish key', () => {
    expect(scanValue(fake.password(), 'DB_PASSWORD')).toEqual([
      { family: 'generic-secret', title: 'High-entropy secret assignment', line: 1, column: 1, preview: redact(fake.password()) },
    ]);
    expect(scanValue(`  "${fake.password()}"`, 'clientSecret')).toMatchObject([{ column: 4 }]);
  });

  it('does not report the same value under an ordinary key', () => {
    expect(scanValue(fake.password(), 'LOG_LEVEL')).toEqual([]);
    expect(scanValue(fake.password())).toEqual([]);
  });

  it('reports vendor formats whatever the key', () => {
    expect(scanValue(`Bearer ${fake.github('ghp')}`, 'description').map((f) => f.family)).toEqual(['github-token']);
  });

  it('never reports vault references or placeholders', () => {
    expect(scanValue('aws-sm://arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:crm-key', 'ref')).toEqual([]);
    expect(scanValue('${secret:CRM_API_KEY}', 'CRM_API_KEY')).toEqual([]);
    expect(scanValue('${{ secrets.CRM_API_KEY }}', 'CRM_API_KEY')).toEqual([]);
    expect(scanValue('changeme', 'password')).toEqual([]);
    expect(scanValue('PT1H', 'tokenLifetime')).toEqual([]);
  });
});

describe('redaction', () => {
  it('shows the first 4 characters then an ellipsis, never more', () => {
    expect(redact('ghp_abcdefgh')).toBe('ghp_…');
    expect(redact('abcdef')).toBe('abc…');
    expect(redact('')).toBe('…');
  });

  it('redactSecrets cuts every credential in a message down to its preview', () => {
    const token = fake.github('ghp', 'msg');
    const key = fake.awsKeyId('msg');
    const message = `Unresolved tag: !${token} at line 1; id ${key}.`;
    expect(redactSecrets(message)).toBe(`Unresolved tag: !${redact(token)} at line 1; id ${redact(key)}.`);
    expect(redactSecrets('nothing to hide')).toBe('nothing to hide');
  });

  it('never puts a secret in the results', () => {
    const all = [...positives.map((c) => c.text), serviceAccount].join('\n');
    const results = scanText(all);
    expect(results.length).toBe(positives.length + 1);
    const json = JSON.stringify(results);
    for (const c of positives) {
      expect(json).not.toContain(c.secret);
      expect(json).not.toContain(c.secret.slice(0, 8));
    }
    for (const r of results) expect(Array.from(r.preview).length).toBeLessThanOrEqual(5);
  });
});

describe('large and pathological input', () => {
  // No timed assertions (speed is the benchmark's business): catastrophic backtracking takes
  // minutes on these inputs, so the test timeout is the guard.
  it('finds a key planted in a 5 MB single-line minified file, at the right column', { timeout: 30_000 }, () => {
    const parts = [
      'var a=function(e){return e.key},',
      'n.token=t.getToken(),',
      'if(o.password===r)return;',
      'const monkey={key:1,secret:2};',
      'fetch("https://api.example.com/v1/items?page=2");',
      'x.secretName="abc";',
      'eyJ0eXAi;',
      `data:image/png;base64,${gen('blob', 300, base64)};`,
    ];
    const chunks: string[] = [];
    let size = 0;
    for (let i = 0; size < 5_000_000; i++) {
      chunks.push(parts[i % parts.length]!);
      size += parts[i % parts.length]!.length;
    }
    const filler = chunks.join('');
    const key = fake.awsKeyId('minified');
    const text = `${filler.slice(0, 2_500_000)};k="${key}";${filler.slice(2_500_000)}`;
    const found = scanText(text);
    expect(found.filter((f) => f.family === 'aws-access-key-id')).toEqual([
      { family: 'aws-access-key-id', title: 'AWS access key id', line: 1, column: 2_500_005, preview: 'AKIA…' },
    ]);
  });

  it('finishes on inputs built to make regexes backtrack', { timeout: 30_000 }, () => {
    const inputs = [
      'password='.repeat(200_000),
      `-----BEGIN PRIV${'ATE KEY-----'}${'A'.repeat(1_000_000)}`,
      `eyJ${'a'.repeat(1_000_000)}`,
      `${'a_key_'.repeat(200_000)}= "x"`,
      `postgres://${'u'.repeat(500_000)}:${'p'.repeat(500_000)}`,
      `${'key '.repeat(300_000)}`,
      `"service_account" ${'"private_key": "'.repeat(60_000)}`,
      `${'q~'.repeat(500_000)}`,
      `AKIA${'A'.repeat(1_000_000)}`,
    ];
    for (const input of inputs) expect(scanText(input)).toEqual(expect.any(Array));
  });
});

describe('helpers', () => {
  it('computes Shannon entropy in bits per character', () => {
    expect(shannonEntropy('')).toBe(0);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
    expect(shannonEntropy(gen('e', 64, alnum))).toBeGreaterThan(5);
  });

  it('recognises every vault reference form of the manifest spec', () => {
    for (const ref of [
      'vault://secret/data/agent/crm',
      'aws-sm://arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:crm-key',
      'arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:crm-key-AbCdEf',
      'aws-ssm://prod/crm/api-key',
      'arn:aws:ssm:ap-southeast-2:123456789012:parameter/prod/crm/api-key',
      'azure-kv://kv-prod/crm-key',
      'https://kv-prod.vault.azure.net/secrets/crm-key',
      'https://kv-prod.vault.azure.net/secrets/crm-key/0123456789abcdef',
      'gcp-sm://projects/acme/secrets/crm-key',
      'projects/acme/secrets/crm-key',
      'projects/acme/secrets/crm-key/versions/3',
      'op://Prod/CRM/api-key',
      'k8s-secret://agents/crm-key',
    ]) {
      expect(isVaultReference(ref), ref).toBe(true);
    }
    for (const ref of ['', 'crm-key', 'vault://', 'https://example.com/secrets/x', 'op://only-vault', 's3://bucket/key', 'projects/acme/crm-key', fake.password()]) {
      expect(isVaultReference(ref), ref).toBe(false);
    }
  });
});

describe('generic assignments in typed and indirect forms (found by the benchmark generator)', () => {
  const v = ['q8Zr2', 'Lm4Xc7', 'Tp9Wv3', 'Kd6Hs'].join('');
  it.each([
    `export const API_KEY: string = "${v}";`,
    `pub const API_KEY: &str = "${v}";`,
    `pub static API_KEY: &'static str = "${v}";`,
    `val apiKey: String = "${v}"`,
    `define('DB_PASSWORD', '${v}');`,
    `os.environ["API_KEY"] = "${v}"`,
    `config['password'] = '${v}'`,
    `"sourcesContent":["const cfg = { apiKey: \\"${v}\\" };"]`,
  ])('finds %s', (text) => {
    expect(scanText(text).map((m) => m.family)).toEqual(['generic-secret']);
  });

  it.each([`const apiKey: string = process.env.API_KEY;`, `printf('%s, %s', 'password', '${v}')`, `log('token', '${v}')`])('does not report %s', (text) => {
    expect(scanText(text)).toEqual([]);
  });
});

describe('cheap pre-checks before a family regex runs', () => {
  const url = families.find((f) => f.id === 'url-password')!;
  it('passes over URLs with no user:password@ part, and keeps every one that has it', () => {
    const at = (text: string) => text.indexOf('://');
    expect(url.plausibleAt!('see https://example.com/docs for more', at('see https://example.com/docs for more'))).toBe(false);
    expect(url.plausibleAt!('"https://cdn.example.com/a@2x.png"', at('"https://cdn.example.com/a@2x.png"'))).toBe(false);
    const pw = ['q8Zr2', 'Lm4Xc7Tp'].join('');
    for (const text of [`postgres://app:${pw}@db.internal:5432/x`, `redis://:${pw}@cache:6379`]) {
      expect(url.plausibleAt!(text, at(text)), text).toBe(true);
      expect(scanText(text).map((m) => m.family)).toEqual(['url-password']);
    }
  });
});
