// IAM policy documents, read locally: AWS returns them URL-encoded from the API, decoded
// JSON from the CLI, and as JSON strings from some emulators. Every statement becomes a
// provider-neutral grant (permission policies) or trust entry (trust policies), keeping
// NotAction / NotResource / NotPrincipal and conditions, so checks see what IAM sees.
import type { Grant, Trust } from '../model';

type Json = unknown;

export interface PolicyStatement {
  Sid?: string;
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: Json;
  NotPrincipal?: Json;
  Condition?: Record<string, Record<string, Json>>;
}

export type ParsedPolicy = { ok: true; statements: PolicyStatement[] } | { ok: false; reason: string };

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function tryJson(text: string): Json | undefined {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A policy document as any source gives it: an object, JSON text, or URL-encoded JSON text. */
export function parsePolicyDocument(raw: Json): ParsedPolicy {
  let doc: Json = raw;
  if (typeof raw === 'string') {
    doc = tryJson(raw);
    if (doc === undefined) {
      let decoded: string | undefined;
      try {
        decoded = decodeURIComponent(raw.replace(/\+/g, '%20'));
      } catch {
        decoded = undefined;
      }
      doc = decoded === undefined ? undefined : tryJson(decoded);
    }
    if (doc === undefined) return { ok: false, reason: 'the policy document is neither JSON nor URL-encoded JSON' };
  }
  if (!isObject(doc)) return { ok: false, reason: 'the policy document is not a JSON object' };
  const statement = doc['Statement'];
  if (statement === undefined) return { ok: true, statements: [] };
  const list = Array.isArray(statement) ? statement : [statement];
  if (!list.every(isObject)) return { ok: false, reason: 'a policy statement is not a JSON object' };
  return { ok: true, statements: list as PolicyStatement[] };
}

function strings(value: Json): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  return (Array.isArray(value) ? value : [value]).map(String);
}

function effectOf(s: PolicyStatement): 'Allow' | 'Deny' {
  return String(s.Effect ?? 'Allow').toLowerCase() === 'deny' ? 'Deny' : 'Allow';
}

/** IAM conditions normalised to operator -> key -> string | string[] (numbers and booleans kept). */
function conditionsOf(s: PolicyStatement): Grant['conditions'] | undefined {
  if (!isObject(s.Condition)) return undefined;
  const out: Record<string, Record<string, string | number | boolean | (string | number | boolean)[]>> = {};
  for (const [operator, keys] of Object.entries(s.Condition)) {
    if (!isObject(keys)) continue;
    const entry: Record<string, string | number | boolean | (string | number | boolean)[]> = {};
    for (const [key, value] of Object.entries(keys)) {
      if (Array.isArray(value)) entry[key] = value.map((v) => (typeof v === 'number' || typeof v === 'boolean' ? v : String(v)));
      else if (typeof value === 'number' || typeof value === 'boolean') entry[key] = value;
      else entry[key] = String(value);
    }
    out[operator] = entry;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `source#N` or `source#Sid`: where a finding can point the reader. */
function statementSource(source: string, s: PolicyStatement, index: number): string {
  return `${source}#${s.Sid ? s.Sid : index}`;
}

/** Every statement of a permission policy, as one grant each. */
export function grantsFromStatements(statements: PolicyStatement[], source: string): Grant[] {
  return statements.map((s, i) => {
    const grant: Grant = { kind: 'aws-policy', effect: effectOf(s), source: statementSource(source, s, i) };
    const actions = strings(s.Action);
    const notActions = strings(s.NotAction);
    const resources = strings(s.Resource);
    const notResources = strings(s.NotResource);
    const conditions = conditionsOf(s);
    if (actions) grant.actions = actions;
    if (notActions) grant.notActions = notActions;
    if (resources) grant.resources = resources;
    if (notResources) grant.notResources = notResources;
    if (conditions) grant.conditions = conditions;
    return grant;
  });
}

/** OIDC issuers AWS knows by name rather than by an oidc-provider ARN. */
const builtinWebIdentityIssuers = new Set(['cognito-identity.amazonaws.com', 'accounts.google.com', 'www.amazon.com', 'graph.facebook.com']);

/** One trust entry per principal the statement names. */
function principalsOf(principal: Json): { type: Trust['type']; principal: string; issuer?: string }[] {
  if (principal === '*') return [{ type: 'any', principal: '*' }];
  if (!isObject(principal)) return [];
  const out: { type: Trust['type']; principal: string; issuer?: string }[] = [];
  for (const [kind, value] of Object.entries(principal)) {
    for (const p of strings(value) ?? []) {
      const k = kind.toLowerCase();
      if (p === '*' && (k === 'aws' || k === 'federated' || k === 'service')) out.push({ type: 'any', principal: '*' });
      else if (k === 'service') out.push({ type: 'service', principal: p });
      else if (k === 'federated') {
        const oidc = /:oidc-provider\/(.+)$/i.exec(p)?.[1];
        if (oidc) out.push({ type: 'oidc', principal: p, issuer: oidc });
        else if (builtinWebIdentityIssuers.has(p.toLowerCase())) out.push({ type: 'oidc', principal: p, issuer: p });
        // A SAML provider is an IAM entity people sign in through, not a workload's issuer.
        else out.push({ type: 'account', principal: p });
      } else out.push({ type: 'account', principal: p });
    }
  }
  return out;
}

/** Every statement of a trust (assume-role) policy, one entry per principal. */
export function trustFromStatements(statements: PolicyStatement[], source: string): Trust[] {
  const trust: Trust[] = [];
  statements.forEach((s, i) => {
    const base: Partial<Trust> = { effect: effectOf(s), source: statementSource(source, s, i) };
    const actions = strings(s.Action);
    if (actions) base.actions = actions;
    const conditions = conditionsOf(s);
    if (conditions) base.conditions = conditions as Trust['conditions'];
    if (s.NotPrincipal !== undefined) {
      // "everyone but these": as open as `*` for an Allow.
      trust.push({ ...base, type: 'any', principal: '*', notPrincipal: principalsOf(s.NotPrincipal).map((p) => p.principal) } as Trust);
      return;
    }
    for (const p of principalsOf(s.Principal)) trust.push({ ...base, ...p } as Trust);
  });
  return trust;
}
