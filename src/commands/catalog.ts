// `agent-ready checks` and `agent-ready explain RULE`: the catalogue, with external modules
// (--checks-dir, and the policy file's plugins when run inside a repository).
import { resolve } from 'node:path';
import { registryWithExternal, type RuleRegistry } from '../engine/registry';
import { findRepoRoot } from '../manifest/discover';
import { loadPolicy, policyFileName } from '../manifest/policy';
import { InputError } from '../manifest/input-error';
import { catalogJson, catalogMarkdown, catalogTerminal, explainText } from '../report/catalog';
import { useColor } from './color';

export interface CatalogFlags {
  checksDir: string[];
  config?: string;
  repo?: string;
  format?: string;
  color?: boolean;
}

async function registryFor(flags: CatalogFlags): Promise<RuleRegistry> {
  const cwd = process.cwd();
  const root = flags.repo ? resolve(cwd, flags.repo) : (findRepoRoot(cwd) ?? cwd);
  const { policy, path } = loadPolicy(flags.config ? resolve(cwd, flags.config) : undefined, root, flags.config ?? policyFileName);
  return registryWithExternal(cwd, flags.checksDir, [{ root, policy, ...(path ? { path } : {}) }]);
}

export async function checksCommand(flags: CatalogFlags): Promise<number> {
  const rules = (await registryFor(flags)).rules();
  const format = flags.format ?? 'terminal';
  if (format === 'json') process.stdout.write(catalogJson(rules));
  else if (format === 'markdown') process.stdout.write(catalogMarkdown(rules));
  else if (format === 'terminal') process.stdout.write(catalogTerminal(rules, useColor(flags.color, process.stdout)));
  else throw new InputError({ file: '--format', message: `"${format}" is not one of terminal, json, markdown` });
  return 0;
}

export async function explainCommand(id: string, flags: CatalogFlags): Promise<number> {
  const registry = await registryFor(flags);
  const rule = registry.get(id.toUpperCase());
  if (!rule) {
    const close = registry.rules().filter((r) => r.meta.id.startsWith(id.toUpperCase().slice(0, 5))).map((r) => r.meta.id);
    throw new InputError({ file: id, message: `no such rule${close.length ? ` (did you mean ${close.slice(0, 5).join(', ')}?)` : ''}; \`agent-ready checks\` lists them` });
  }
  process.stdout.write(explainText(rule, useColor(flags.color, process.stdout)));
  return 0;
}
