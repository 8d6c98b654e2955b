// A synthetic repository for the secret-scan benchmark: N MB (default 200) of tracked files
// committed with git, holding planted credentials of every family and decoys that must not
// be reported, with a ground-truth file beside it.
//
//   generateRepo({ dir, sizeMB = 200, seed = 1, commit = true })
//     => { dir, trackedFiles, bytes, commit, truthFile, truth: { planted, decoys, ... } }
//
// Content: source in eleven languages (~8 KB a file), Markdown, YAML (configuration,
// Kubernetes, workflows, compose, Helm), JSON (configuration, lockfiles with integrity
// hashes), minified bundles and source maps (~15% of the bytes: from ~40 MB up, bundles of
// 2.5-6 MB whose main line is 2-5 MB and maps of one 2.5-8 MB line; smaller repositories get
// one smaller pair), binaries (PNG, JPEG, ZIP, fonts, SQLite, NUL-sniffed blobs), .env
// files, PEM files, GCP service-account keys, and the ready-aws fixture (agent-ready.yaml
// and the files it names), so `agent-ready audit agent-ready.yaml --only secrets` runs on
// the repository as it is. node_modules/ and .env.local are git-ignored and hold
// credential-shaped values (decoys of kind `ignored`).
//
// Planted: a fixed coverage set (every family of rules.md section 3 and the detector's
// extras, in .env, eleven languages, YAML scalars and block scalars, Kubernetes env pairs,
// bundle lines, source maps, PEM files, service-account JSON, Markdown, Dockerfiles,
// properties, XML, Terraform, INI, command lines: ~58 values), then random ones up to about
// one per MB; plus the known gaps, once each. Decoys: every kind in every context it fits,
// then random ones up to two per MB, plus every lockfile integrity hash.
//
// Size: the tracked files total exactly round(sizeMB * 2^20) bytes (the last filler file is
// padded to the byte); node_modules is extra. Deterministic: the same seed gives a
// byte-identical tree and, with fixed author, committer and dates and no user or system git
// configuration, the same commit id.
//
// Ground truth: `${dir}.truth.json`, BESIDE the repository (never inside it, so no scanner
// reads it and it takes nothing from the size). It holds locations only, never a value:
//   planted: [{ file, line, column, length, family, context, preview, sha256, expectMissed?, gap? }]
//   decoys:  [{ file, line, column, length, kind, context }]
// `line` and `column` are 1-based (columns in UTF-16 code units, as the detector counts),
// `family` is the detector's family id (families.ts), `preview` the detector's redaction
// (first 4 characters then `…`), `sha256` the hash of the planted text at that position.
// Planted values with `expectMissed: true` are shapes the detector is known to miss
// (secrets.mjs `knownGaps`, none today): a scanner that reports them is better than agent-ready.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng, base64, lower, upper } from './rng.mjs';
import {
  cleanString,
  contextsFor,
  decoyContexts,
  decoyKinds,
  knownGaps,
  hardShapes,
  languages,
  plantFamilies,
  renderDecoy,
  renderPlant,
  valueBuilders,
} from './secrets.mjs';

export const generatorVersion = 'agent-ready-bench-repo/1';

const MiB = 1024 * 1024;
const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
export const readyFixture = join(projectRoot, 'fixtures', 'ready-aws');

/** Fixed identity and dates: the commit id depends only on the tree. */
export const gitEnv = {
  GIT_AUTHOR_NAME: 'agent-ready bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00+00:00',
  GIT_COMMITTER_NAME: 'agent-ready bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00+00:00',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
  LC_ALL: 'C',
};

/** `git init`, add everything, one commit; returns the commit id. */
export function commitAll(dir, message) {
  const run = (args) =>
    execFileSync('git', ['-c', 'core.autocrlf=false', '-c', 'core.compression=1', '-c', 'commit.gpgsign=false', '-c', 'core.hooksPath=/dev/null', ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ...gitEnv },
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
  run(['init', '-q', '-b', 'main', '--template=']);
  run(['add', '-A']);
  run(['commit', '-q', '--no-verify', '-m', message]);
  return run(['rev-parse', 'HEAD']).trim();
}

export function listTracked(dir) {
  return execFileSync('git', ['-c', 'core.quotepath=off', 'ls-files', '-z'], { cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...gitEnv }, encoding: 'utf8', maxBuffer: 1 << 30 })
    .split('\0')
    .filter(Boolean);
}

/** Every file below `root`, relative and POSIX, sorted. */
export function walkFiles(root, skip = () => false) {
  const out = [];
  const visit = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      const rel = relative(root, full).split(sep).join('/');
      if (skip(rel)) continue;
      if (e.isDirectory()) visit(full);
      else if (e.isFile()) out.push(rel);
    }
  };
  visit(root);
  return out.sort();
}

// ---------------------------------------------------------------------------------------
// Vocabulary: words that never spell a detector keyword, so filler is never a candidate.

const nouns = (
  'account agent alert approval archive audit batch billing branch budget calendar case channel claim client cluster comment ' +
  'config contract customer dataset deadline deployment device document draft email entity event export feature feedback ' +
  'file filter flag folder form graph group handler header history invoice issue item job label layout ledger limit listing ' +
  'log mailbox member message metric model module note order owner page panel payment policy preview profile project prompt ' +
  'queue quota rating record region report request resource response result review role route rule schedule schema score ' +
  'search segment session setting shipment signal snapshot source span stage status step store stream summary task team ' +
  'template tenant thread ticket timeline topic trace user vendor version view widget workflow workspace'
).split(' ');
const verbs = (
  'apply archive assign build cancel check close collect compute create decode delete dispatch emit encode enqueue ensure ' +
  'evaluate export fetch filter find flush format handle import index init load map merge normalize notify open parse patch ' +
  'poll post process publish read record refresh reject release render replay report reset resolve retry route run save ' +
  'schedule scan select send serialize sort split start stop submit sync track transform update upload validate verify watch write'
).split(' ');
const adjectives = (
  'active archived async base cached current default draft empty enabled external failed final global hidden initial internal ' +
  'last latest legacy local main manual next open optional partial pending primary raw recent remote required shared stale ' +
  'strict temporary total unique valid'
).split(' ');
const orgs = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'vandelay', 'wonka', 'tyrell'];
const services = ['onboarding', 'billing', 'triage', 'ledger', 'notifier', 'scheduler', 'search', 'reporting', 'intake', 'routing', 'catalog', 'gateway'];
const packages = ['web', 'api', 'worker', 'agent-core', 'shared', 'admin', 'billing', 'notifier', 'sdk', 'ui-kit', 'evals', 'cli'];
const envs = ['prod', 'staging', 'dev', 'qa'];

const cap = (w) => w[0].toUpperCase() + w.slice(1);

class Words {
  constructor(rng) {
    this.rng = rng;
  }
  noun() {
    return this.rng.pick(nouns);
  }
  verb() {
    return this.rng.pick(verbs);
  }
  adj() {
    return this.rng.pick(adjectives);
  }
  camel() {
    return this.rng.chance(0.5) ? this.noun() + cap(this.noun()) : this.adj() + cap(this.noun());
  }
  fn() {
    return this.verb() + cap(this.noun()) + (this.rng.chance(0.3) ? cap(this.noun()) : '');
  }
  type() {
    return cap(this.noun()) + cap(this.rng.pick([this.noun(), 'service', 'store', 'client', 'handler', 'view', 'model']));
  }
  snake() {
    return `${this.noun()}_${this.noun()}`;
  }
  snakeFn() {
    return `${this.verb()}_${this.noun()}${this.rng.chance(0.3) ? `_${this.noun()}` : ''}`;
  }
  sentence(min = 6, max = 14) {
    const n = this.rng.int(min, max);
    const parts = [];
    for (let i = 0; i < n; i++) parts.push(this.rng.pick(i % 3 === 1 ? verbs : i % 3 === 2 ? adjectives : nouns));
    const s = parts.join(' ');
    return `${cap(s)}.`;
  }
  url() {
    return `https://${this.rng.pick(['api', 'app', 'internal', 'status'])}.${this.rng.pick(orgs)}.io/${this.noun()}/${this.noun()}`;
  }
}

// ---------------------------------------------------------------------------------------
// Source files: a header, units (functions, classes) and a footer per language. Snippets
// are inserted between units.

const sourceShapes = {
  ts: {
    header: (w) => [`import { ${w.type()}, ${w.type()} } from './${w.noun()}';`, `import type { ${w.type()} } from '../${w.noun()}/types';`, ''],
    unit(w, r) {
      switch (r.int(0, 3)) {
        case 0:
          return [
            `/** ${w.sentence()} */`,
            `export function ${w.fn()}(${w.noun()}: ${w.type()}, ${w.noun()}: number): ${w.type()} | undefined {`,
            `  const ${w.camel()} = ${w.noun()}.${w.fn()}(${r.int(1, 100)});`,
            `  if (!${w.camel()}) return undefined;`,
            `  for (const ${w.noun()} of ${w.camel()}.${w.noun()}s) {`,
            `    ${w.camel()}.push({ ${w.noun()}: ${w.noun()}.${w.noun()}, ${w.noun()}: ${r.int(0, 999)} });`,
            '  }',
            `  return ${w.camel()};`,
            '}',
            '',
          ];
        case 1:
          return [
            `export interface ${w.type()} {`,
            ...Array.from({ length: r.int(3, 8) }, () => `  ${w.camel()}${r.chance(0.3) ? '?' : ''}: ${r.pick(['string', 'number', 'boolean', 'Date', w.type(), `${w.type()}[]`])};`),
            '}',
            '',
          ];
        case 2:
          return [
            `export class ${w.type()} {`,
            `  private readonly ${w.camel()} = new Map<string, ${w.type()}>();`,
            '',
            `  constructor(private readonly ${w.camel()}: ${w.type()}) {}`,
            '',
            `  async ${w.fn()}(${w.noun()}Id: string): Promise<${w.type()}> {`,
            `    const ${w.noun()} = await this.${w.camel()}.${w.fn()}(${w.noun()}Id);`,
            `    this.${w.camel()}.set(${w.noun()}Id, ${w.noun()});`,
            `    return ${w.noun()};`,
            '  }',
            '}',
            '',
          ];
        default:
          return [`export const ${w.camel()} = [${Array.from({ length: r.int(2, 6) }, () => `'${w.noun()}'`).join(', ')}] as const;`, ''];
      }
    },
  },
  js: {
    header: (w) => [`'use strict';`, `const { ${w.fn()} } = require('./${w.noun()}');`, ''],
    unit(w, r) {
      return r.chance(0.6)
        ? [
            `// ${w.sentence()}`,
            `function ${w.fn()}(${w.noun()}, options = {}) {`,
            `  const ${w.noun()}s = ${w.noun()}.filter((x) => x.${w.noun()} !== ${r.int(0, 9)});`,
            `  return ${w.noun()}s.map((x) => ({ ...x, ${w.noun()}: options.${w.noun()} ?? ${r.int(0, 100)} }));`,
            '}',
            `module.exports.${w.fn()} = ${w.fn()};`,
            '',
          ]
        : [`const ${w.camel()} = Object.freeze({`, ...Array.from({ length: r.int(2, 6) }, () => `  ${w.camel()}: ${r.pick([`'${w.noun()}'`, String(r.int(0, 5000)), 'true', 'null'])},`), '});', ''];
    },
  },
  py: {
    header: (w) => [`"""${w.sentence()}"""`, 'from __future__ import annotations', '', 'import os', `from .${w.noun()} import ${w.type()}`, ''],
    unit(w, r) {
      return r.chance(0.6)
        ? [
            '',
            `def ${w.snakeFn()}(${w.noun()}: ${w.type()}, ${w.noun()}_count: int = ${r.int(1, 50)}) -> list[${w.type()}]:`,
            `    """${w.sentence()}"""`,
            `    ${w.snake()} = [x for x in ${w.noun()}.${w.noun()}s if x.${w.noun()} > ${r.int(0, 10)}]`,
            `    if not ${w.snake()}:`,
            '        return []',
            `    return sorted(${w.snake()}, key=lambda x: x.${w.noun()})`,
            '',
          ]
        : [
            '',
            `class ${w.type()}:`,
            `    """${w.sentence()}"""`,
            '',
            `    def __init__(self, ${w.noun()}: str, ${w.noun()}_id: int) -> None:`,
            `        self.${w.noun()} = ${w.noun()}`,
            `        self.${w.noun()}_id = ${w.noun()}_id`,
            '',
            `    def ${w.snakeFn()}(self) -> dict[str, object]:`,
            `        return {"${w.noun()}": self.${w.noun()}, "${w.noun()}": ${r.int(0, 99)}}`,
            '',
          ];
    },
  },
  go: {
    header: (w) => [`package ${w.noun()}`, '', 'import (', '\t"context"', '\t"fmt"', ')', ''],
    unit(w, r) {
      return r.chance(0.6)
        ? [
            `// ${cap(w.fn())} ${w.sentence().toLowerCase()}`,
            `func ${cap(w.fn())}(ctx context.Context, ${w.noun()} *${w.type()}) (*${w.type()}, error) {`,
            `\tif ${w.noun()} == nil {`,
            `\t\treturn nil, fmt.Errorf("${w.noun()} ${w.noun()}: missing ${w.noun()}")`,
            '\t}',
            `\tfor _, ${w.noun()} := range ${w.noun()}.${cap(w.noun())}s {`,
            `\t\t${w.noun()}.${cap(w.noun())} += ${r.int(1, 9)}`,
            '\t}',
            `\treturn &${w.type()}{${cap(w.noun())}: ${r.int(0, 99)}}, nil`,
            '}',
            '',
          ]
        : [`type ${w.type()} struct {`, ...Array.from({ length: r.int(2, 7) }, () => `\t${cap(w.noun())} ${r.pick(['string', 'int', 'bool', 'time.Time', `[]${w.type()}`])} \`json:"${w.noun()}"\``), '}', ''];
    },
  },
  java: {
    header: (w, r, path) => [`package com.${r.pick(orgs)}.${w.noun()};`, '', 'import java.util.List;', 'import java.util.Optional;', '', `public class ${path.slice(path.lastIndexOf('/') + 1, -5)} {`, ''],
    unit(w, r) {
      return [
        `    /** ${w.sentence()} */`,
        `    public Optional<${w.type()}> ${w.fn()}(List<${w.type()}> ${w.noun()}s, int ${w.noun()}) {`,
        `        for (${w.type()} ${w.noun()} : ${w.noun()}s) {`,
        `            if (${w.noun()}.get${cap(w.noun())}() > ${r.int(0, 99)}) {`,
        `                return Optional.of(${w.noun()});`,
        '            }',
        '        }',
        '        return Optional.empty();',
        '    }',
        '',
      ];
    },
    footer: () => ['}'],
  },
  rb: {
    header: () => ['# frozen_string_literal: true', '', "require 'json'", ''],
    unit(w, r) {
      return [
        `class ${w.type()}`,
        `  # ${w.sentence()}`,
        `  def ${w.snakeFn()}(${w.noun()}, ${w.noun()}_count = ${r.int(1, 20)})`,
        `    ${w.noun()}.select { |x| x.${w.noun()} > ${r.int(0, 9)} }.map(&:${w.noun()})`,
        '  end',
        'end',
        '',
      ];
    },
  },
  rs: {
    header: (w) => ['use std::collections::HashMap;', `use crate::${w.noun()}::${w.type()};`, ''],
    unit(w, r) {
      return r.chance(0.6)
        ? [
            `/// ${w.sentence()}`,
            `pub fn ${w.snakeFn()}(${w.noun()}: &${w.type()}, ${w.noun()}_count: usize) -> Option<${w.type()}> {`,
            `    let mut ${w.noun()}s: HashMap<String, usize> = HashMap::new();`,
            `    for ${w.noun()} in ${w.noun()}.${w.noun()}s.iter() {`,
            `        *${w.noun()}s.entry(${w.noun()}.name.clone()).or_insert(0) += ${r.int(1, 9)};`,
            '    }',
            '    None',
            '}',
            '',
          ]
        : ['#[derive(Debug, Clone)]', `pub struct ${w.type()} {`, ...Array.from({ length: r.int(2, 6) }, () => `    pub ${w.noun()}: ${r.pick(['String', 'u64', 'bool', `Vec<${w.type()}>`])},`), '}', ''];
    },
  },
  cs: {
    header: (w, r, path) => ['using System;', 'using System.Collections.Generic;', '', `namespace ${cap(r.pick(orgs))}.${cap(w.noun())};`, '', `public class ${path.slice(path.lastIndexOf('/') + 1, -3)}`, '{'],
    unit(w, r) {
      return [
        `    /// <summary>${w.sentence()}</summary>`,
        `    public IEnumerable<${w.type()}> ${cap(w.fn())}(IReadOnlyList<${w.type()}> ${w.noun()}s)`,
        '    {',
        `        foreach (var ${w.noun()} in ${w.noun()}s)`,
        '        {',
        `            if (${w.noun()}.${cap(w.noun())} > ${r.int(0, 99)}) yield return ${w.noun()};`,
        '        }',
        '    }',
        '',
      ];
    },
    footer: () => ['}'],
  },
  kt: {
    header: (w, r) => [`package com.${r.pick(orgs)}.${w.noun()}`, '', 'import kotlinx.coroutines.flow.Flow', ''],
    unit(w, r) {
      return r.chance(0.5)
        ? [`data class ${w.type()}(`, ...Array.from({ length: r.int(2, 5) }, () => `    val ${w.camel()}: ${r.pick(['String', 'Int', 'Boolean', 'Long'])},`), ')', '']
        : [`/** ${w.sentence()} */`, `fun ${w.fn()}(${w.noun()}s: List<${w.type()}>): List<${w.type()}> =`, `    ${w.noun()}s.filter { it.${w.noun()} > ${r.int(0, 99)} }.sortedBy { it.${w.noun()} }`, ''];
    },
  },
  php: {
    header: (w, r) => ['<?php', '', 'declare(strict_types=1);', '', `namespace ${cap(r.pick(orgs))}\\${cap(w.noun())};`, ''],
    unit(w, r) {
      return [
        `/** ${w.sentence()} */`,
        `function ${w.fn()}(array $${w.noun()}s, int $${w.noun()} = ${r.int(0, 50)}): array`,
        '{',
        `    return array_filter($${w.noun()}s, fn ($x) => $x['${w.noun()}'] > $${w.noun()});`,
        '}',
        '',
      ];
    },
  },
  sh: {
    header: () => ['#!/usr/bin/env bash', 'set -euo pipefail', ''],
    unit(w, r) {
      return [
        `# ${w.sentence()}`,
        `${w.snakeFn()}() {`,
        `  local ${w.noun()}="$1"`,
        `  echo "${w.verb()} ${w.noun()} \${${w.noun()}}" >&2`,
        `  ${r.pick(['curl -fsS', 'jq -r', 'grep -c', 'sort -u'])} "${w.noun()}-${r.int(1, 99)}.txt" || true`,
        '}',
        '',
      ];
    },
  },
};

const markdownShape = {
  header: (w) => [`# ${cap(w.noun())} ${w.noun()} ${w.noun()}`, '', w.sentence(10, 24), ''],
  unit(w, r) {
    switch (r.int(0, 4)) {
      case 0:
        return [`## ${cap(w.verb())} the ${w.noun()}`, '', `${w.sentence(12, 30)} ${w.sentence(8, 20)}`, ''];
      case 1:
        return [...Array.from({ length: r.int(3, 7) }, () => `- ${w.sentence(4, 10)}`), ''];
      case 2:
        return ['```bash', `npm run ${w.verb()} -- --${w.noun()} ${w.noun()}-${r.int(1, 9)}`, `${w.verb()} ${w.noun()} --${w.noun()}=${r.int(1, 99)}`, '```', ''];
      case 3:
        return [`| ${cap(w.noun())} | ${cap(w.noun())} | Notes |`, '| --- | --- | --- |', ...Array.from({ length: r.int(2, 6) }, () => `| ${w.noun()} | ${r.int(1, 500)} | ${w.sentence(3, 6)} |`), ''];
      default:
        return [`${w.sentence(10, 20)} Voir aussi « ${w.noun()} » — ${w.noun()} → ${w.noun()}.`, ''];
    }
  },
};

const yamlValue = (w, r) => r.pick([String(r.int(0, 5000)), 'true', 'false', w.noun(), `"${w.noun()}-${w.noun()}"`, w.url(), `${r.int(1, 60)}s`]);

const yamlConfigShape = {
  header: (w) => [`# ${w.sentence()}`],
  unit(w, r) {
    return [`${w.camel()}:`, ...Array.from({ length: r.int(2, 7) }, () => `  ${w.camel()}: ${yamlValue(w, r)}`)];
  },
};

const k8sShape = {
  header: () => [],
  unit(w, r) {
    const name = `${r.pick(services)}-${w.noun()}`;
    return [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      `  name: ${name}`,
      `  labels: { app: ${name}, tier: ${r.pick(['backend', 'frontend', 'worker'])} }`,
      'spec:',
      `  replicas: ${r.int(1, 6)}`,
      '  template:',
      '    spec:',
      '      containers:',
      `        - name: ${name}`,
      `          image: ghcr.io/${r.pick(orgs)}/${name}:${r.int(1, 9)}.${r.int(0, 30)}.${r.int(0, 9)}`,
      `          ports: [{ containerPort: ${r.pick([8080, 3000, 9090])} }]`,
      `          resources: { limits: { cpu: ${r.int(100, 2000)}m, memory: ${r.int(128, 4096)}Mi } }`,
      '---',
    ];
  },
};

function jsonLeaf(w, r) {
  return r.pick([String(r.int(0, 9999)), 'true', 'false', 'null', `"${w.noun()}"`, `"${w.url()}"`, `[${r.int(1, 9)}, ${r.int(10, 99)}]`]);
}

const jsonConfigShape = {
  unit(w, r) {
    const entries = Array.from({ length: r.int(2, 6) }, () => `  "${w.camel()}": ${jsonLeaf(w, r)}`);
    return [`"${w.camel()}${r.int(1, 999)}": {`, ...entries.map((e, i) => (i < entries.length - 1 ? `${e},` : e)), '}'];
  },
};

// ---------------------------------------------------------------------------------------
// Documents: units plus snippets, filled to a byte target.

const lineBytes = (lines) => {
  let n = 0;
  for (const l of lines) n += Buffer.byteLength(l) + 1;
  return n;
};

/**
 * Lines from `header`, filler `unit()`s and `snippets` (inserted between units at random,
 * indented by `indent`), then `footer`, up to `target` bytes. Returns the lines and the
 * snippets' marks with their final line indices.
 */
function fillDocument(rng, { header = [], footer = [], unit, snippets = [], target, indent = '' }) {
  const units = [];
  let bytes = lineBytes(header) + lineBytes(footer);
  for (const s of snippets) bytes += lineBytes(s.lines) + indent.length * s.lines.length;
  for (;;) {
    const u = unit();
    const b = lineBytes(u);
    if (bytes + b > target) break;
    units.push(u);
    bytes += b;
  }
  // Snippets go at random unit boundaries (after the header, before the footer).
  const slots = snippets.map(() => rng.int(0, units.length));
  const lines = [...header];
  const marks = [];
  for (let i = 0; i <= units.length; i++) {
    snippets.forEach((s, k) => {
      if (slots[k] !== i) return;
      const base = lines.length;
      for (const l of s.lines) lines.push(l === '' ? '' : indent + l);
      for (const m of s.marks) marks.push({ ...m, line: base + m.line });
    });
    if (i < units.length) lines.push(...units[i]);
  }
  lines.push(...footer);
  return { lines, marks };
}

/** Appends comment lines so the document is exactly `target` bytes (ASCII padding). */
function padExactly(lines, target, comment) {
  let bytes = lineBytes(lines);
  while (bytes < target) {
    const room = target - bytes - 1;
    if (room <= 0) {
      lines.push('');
      bytes += 1;
      continue;
    }
    let line = comment.slice(0, room);
    let i = 0;
    while (line.length < Math.min(room, 96)) line += (line.length ? ' ' : '') + nouns[(i++ * 7 + line.length) % nouns.length];
    line = line.slice(0, Math.min(room, 96));
    lines.push(line);
    bytes += line.length + 1;
  }
  if (bytes !== target) throw new Error(`padding missed: ${bytes} != ${target}`);
}

// ---------------------------------------------------------------------------------------
// The repository.

class RepoBuilder {
  constructor(dir) {
    this.dir = dir;
    this.paths = new Set();
    /** Folder -> its mkdir, so each is made once and files wait for their own. */
    this.dirs = new Map();
    this.pending = new Set();
    this.failure = undefined;
    this.bytes = 0;
    this.planted = [];
    this.decoys = [];
  }

  /** A path not used yet: `2`, `3`... before the extension on a collision (class names stay identifiers). */
  unique(path) {
    if (!this.paths.has(path)) {
      this.paths.add(path);
      return path;
    }
    const slash = path.lastIndexOf('/');
    const dot = path.indexOf('.', slash + 2);
    for (let n = 2; ; n++) {
      const p = dot === -1 ? `${path}${n}` : `${path.slice(0, dot)}${n}${path.slice(dot)}`;
      if (!this.paths.has(p)) {
        this.paths.add(p);
        return p;
      }
    }
  }

  /**
   * Writes a file. Up to 64 writes are in flight at once (one at a time, the generator waits
   * on the file system most of its run); `flush()` waits for the rest and reports a failure.
   */
  async write(path, content, { tracked = true } = {}) {
    if (tracked) this.bytes += typeof content === 'string' ? Buffer.byteLength(content) : content.length;
    const full = join(this.dir, path);
    const parent = dirname(full);
    let made = this.dirs.get(parent);
    if (!made) this.dirs.set(parent, (made = mkdir(parent, { recursive: true })));
    const task = made.then(() => writeFile(full, content));
    this.pending.add(task);
    task.then(
      () => this.pending.delete(task),
      (err) => {
        this.pending.delete(task);
        this.failure ??= err;
      },
    );
    if (this.pending.size >= 64) await Promise.race(this.pending).catch(() => {});
  }

  async flush() {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    if (this.failure) throw this.failure;
  }

  /** Writes `lines` (joined, trailing newline) and records their marks. */
  async writeDocument(path, lines, marks, opts) {
    await this.write(path, lines.join('\n') + '\n', opts);
    this.record(path, lines, marks);
  }

  record(path, lines, marks) {
    for (const m of marks) {
      const text = lines[m.line];
      const at = text.indexOf(m.text);
      if (at === -1) throw new Error(`mark not found on ${path}:${m.line + 1}`);
      this.recordAt(path, m.line + 1, at + 1, m);
    }
  }

  recordAt(file, line, column, m) {
    if (m.family) {
      const entry = {
        file,
        line,
        column,
        length: m.text.length,
        family: m.family,
        context: m.context,
        preview: `${m.text.slice(0, Math.min(4, Math.floor(m.text.length / 2)))}…`,
        sha256: createHash('sha256').update(m.text).digest('hex'),
      };
      if (m.expectMissed) Object.assign(entry, { expectMissed: true, gap: m.gap });
      this.planted.push(entry);
    } else {
      this.decoys.push({ file, line, column, length: m.text.length, kind: m.kind, context: m.context });
    }
  }
}

/** Attaches the context to every mark of a snippet. */
function tagged(snippet, context) {
  return { ...snippet, marks: snippet.marks.map((m) => ({ ...m, context })) };
}

/** The plant jobs: coverage of every family and context first, then random ones up to the count. */
function plantJobs(rng, count) {
  const coverage = [
    ['aws-pair', 'env'], ['aws-pair', 'ini'], ['aws-pair', 'bundle'], ['aws-pair', 'code-java'], ['aws-pair', 'yaml'],
    ['openai-api-key', 'code-py'], ['openai-api-key', 'yaml-block'], ['anthropic-api-key', 'env'], ['anthropic-api-key', 'code-ts'],
    ['google-api-key', 'bundle'], ['google-api-key', 'source-map'], ['azure-ad-client-secret', 'yaml'], ['azure-ad-client-secret', 'code-cs'],
    ['github-token', 'code-sh'], ['github-fine-grained-pat', 'yaml-block'], ['gitlab-token', 'code-rb'], ['gitlab-token', 'code-kt'],
    ['slack-token', 'code-js'], ['slack-token', 'json'], ['slack-webhook', 'bundle'], ['slack-webhook', 'markdown'],
    ['huggingface-token', 'code-py'], ['huggingface-token', 'code-rs'], ['private-key', 'pem'], ['private-key', 'yaml-block'], ['private-key', 'code-js'],
    ['gcp-service-account-key', 'sa-json'], ['gcp-service-account-key', 'yaml-block'], ['jwt', 'code-ts'], ['jwt', 'markdown'], ['jwt', 'bundle'],
    ['vault-token', 'code-go'], ['vault-token', 'env'],
    ['generic-secret', 'env'], ['generic-secret', 'k8s-env'], ['generic-secret', 'yaml-block'], ['generic-secret', 'bundle'],
    ['generic-secret', 'code-java'], ['generic-secret', 'code-py'], ['generic-secret', 'code-go'], ['generic-secret', 'code-rs'], ['generic-secret', 'code-php'],
    ['generic-secret', 'properties'], ['generic-secret', 'xml'], ['generic-secret', 'cli-flag'], ['generic-secret', 'tf'], ['generic-secret', 'dockerfile'], ['generic-secret', 'yaml'],
    ['stripe-secret-key', 'code-php'], ['npm-token', 'env'], ['pypi-token', 'dockerfile'], ['url-password', 'env'], ['url-password', 'yaml'],
  ].map(([family, context]) => ({ family, context }));
  const jobs = [...coverage];
  const planted = (job) => (job.family === 'aws-pair' ? 2 : 1);
  let n = jobs.reduce((a, j) => a + planted(j), 0);
  const weights = plantFamilies.map((f) => [f, f === 'generic-secret' ? 5 : f === 'aws-pair' || f === 'private-key' ? 2 : 1]);
  while (n < count) {
    const family = rng.weighted(weights);
    const job = { family, context: rng.pick(contextsFor(family)) };
    jobs.push(job);
    n += planted(job);
  }
  // The hard shapes, once each.
  for (const g of hardShapes) jobs.push({ family: g.family, context: g.context });
  return jobs;
}

function decoyJobs(rng, count) {
  const jobs = [];
  for (const kind of decoyKinds) for (const context of decoyContexts[kind]) jobs.push({ kind, context });
  while (jobs.length < count) {
    const kind = rng.pick(decoyKinds);
    jobs.push({ kind, context: rng.pick(decoyContexts[kind]) });
  }
  return jobs;
}

/** Where a snippet's context lives: a filler file kind, or a dedicated file kind. */
function homeOf(context, snippet) {
  if (snippet.lang) return `code-${snippet.lang}`;
  if (context === 'cli-flag') return 'code-sh';
  if (context.startsWith('code-')) return context;
  if (context === 'yaml') return 'yaml-config';
  if (context === 'json') return 'json-config';
  return context;
}

const perDedicatedFile = { env: 5, ini: 2, 'yaml-block': 3, 'k8s-env': 3, workflow: 4, compose: 4, helm: 4, dockerfile: 2, properties: 3, xml: 3, tf: 3, pem: 1, 'sa-json': 1 };

export async function generateRepo({ dir, sizeMB = 200, seed = 1, commit = true } = {}) {
  if (!dir) throw new Error('generateRepo: dir is required');
  if (!(sizeMB >= 0.5)) throw new Error('generateRepo: sizeMB must be at least 0.5');
  if (existsSync(dir) && (await readdir(dir)).length > 0) throw new Error(`generateRepo: ${dir} exists and is not empty`);
  await mkdir(dir, { recursive: true });
  const target = Math.round(sizeMB * MiB);
  const root = new Rng(`repo:${seed}`);
  const repo = new RepoBuilder(dir);
  const w = new Words(root.fork('words'));

  // 1. The ready-aws fixture: a manifest whose named files exist, for `audit --only secrets`.
  for (const rel of walkFiles(readyFixture, (p) => p === 'evidence.json')) {
    repo.paths.add(rel);
    await repo.write(rel, readFileSync(join(readyFixture, rel)));
  }
  repo.paths.add('.gitignore');
  await repo.write('.gitignore', ['node_modules/', '.env.local', '*.log', 'coverage/', '.DS_Store', ''].join('\n'));

  // 2. Plants and decoys, rendered, grouped by the kind of file that holds them.
  const plantRng = root.fork('plants');
  const decoyRng = root.fork('decoys');
  const byHome = new Map();
  const add = (home, s) => {
    if (!byHome.has(home)) byHome.set(home, []);
    byHome.get(home).push(s);
  };
  for (const job of plantJobs(plantRng, Math.max(30, Math.round(sizeMB)))) {
    const s = tagged(renderPlant(plantRng, job.family, job.context), job.context);
    add(homeOf(job.context, s), s);
  }
  for (const job of decoyJobs(decoyRng, Math.max(80, Math.round(2 * sizeMB)))) {
    const s = tagged(renderDecoy(decoyRng, job.kind, job.context), job.context);
    add(homeOf(job.context, s), s);
  }

  // 3. Dedicated files: small files whose whole point is the snippets they hold.
  const dedicatedRng = root.fork('dedicated');
  for (const [home, size] of Object.entries(perDedicatedFile)) {
    const snippets = byHome.get(home) ?? [];
    for (let i = 0; i < snippets.length; i += size) await writeDedicated(repo, dedicatedRng, w, home, snippets.slice(i, i + size));
  }

  // 4. Bundles and source maps (~15%), lockfiles (~6%), binaries (~5%).
  const budget = target - repo.bytes;
  await writeBundles(repo, root.fork('bundles'), w, Math.round(budget * 0.15), byHome.get('bundle') ?? [], byHome.get('source-map') ?? []);
  await writeLockfiles(repo, root.fork('lockfiles'), Math.round(budget * 0.06));
  await writeBinaries(repo, root.fork('binaries'), Math.round(budget * 0.05));

  // 5. Filler: source, Markdown, YAML, JSON, sized to land exactly on the target.
  await writeFiller(repo, root.fork('filler'), w, target, byHome);

  // 6. Git-ignored content with credential-shaped values.
  await writeIgnored(repo, root.fork('ignored'));
  await repo.flush();

  if (repo.bytes !== target) throw new Error(`size missed: ${repo.bytes} != ${target}`);
  const commitId = commit ? commitAll(dir, `Synthetic repository (seed ${seed}, ${sizeMB} MB)`) : undefined;
  const trackedFiles = commit ? listTracked(dir) : walkFiles(dir, (p) => p === '.git' || p === 'node_modules' || p === '.env.local');

  const order = (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column);
  const truth = {
    generator: generatorVersion,
    seed,
    sizeMB,
    bytes: repo.bytes,
    files: trackedFiles.length,
    commit: commitId ?? null,
    knownGaps,
    planted: repo.planted.sort(order),
    decoys: repo.decoys.sort(order),
  };
  const truthFile = `${dir.replace(/[\\/]+$/, '')}.truth.json`;
  await writeFile(truthFile, truthJson(truth));
  return { dir, trackedFiles, bytes: repo.bytes, commit: commitId ?? null, truthFile, truth };
}

/** The truth as JSON with one planted value or decoy per line (tens of thousands of lockfile hashes). */
function truthJson(truth) {
  const { planted, decoys, ...head } = truth;
  const fields = Object.entries(head).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  const list = (items) => (items.length ? `[\n${items.map((x) => `    ${JSON.stringify(x)}`).join(',\n')}\n  ]` : '[]');
  return `{\n${fields.join(',\n')},\n  "planted": ${list(planted)},\n  "decoys": ${list(decoys)}\n}\n`;
}

// ---------------------------------------------------------------------------------------
// Dedicated files.

async function writeDedicated(repo, rng, w, home, snippets) {
  const svc = rng.pick(services);
  const env = rng.pick(envs);
  switch (home) {
    case 'env': {
      const path = repo.unique(rng.pick(['.env', `.env.${env}`, `services/${svc}/.env`, `deploy/${env}/${svc}.env`, `docker/.env.${env}`, `services/${svc}/.env.${env}`]));
      const { lines, marks } = fillDocument(rng, {
        header: [`# ${svc} (${env})`],
        unit: () => [rng.pick([`NODE_ENV=${env === 'prod' ? 'production' : 'development'}`, `PORT=${rng.int(3000, 9000)}`, `LOG_LEVEL=${rng.pick(['info', 'debug', 'warn'])}`, `${w.noun().toUpperCase()}_${w.noun().toUpperCase()}_ENABLED=${rng.pick(['true', 'false'])}`, `API_BASE_URL=${w.url()}`, `MAX_WORKERS=${rng.int(1, 32)}`, `REGION=${rng.pick(['eu-west-1', 'us-east-1'])}`])],
        snippets,
        target: rng.int(400, 1400),
      });
      return repo.writeDocument(path, lines, marks);
    }
    case 'ini': {
      const path = repo.unique(rng.pick(['deploy/aws/credentials', `ops/${svc}/aws-credentials.ini`, '.aws/credentials', `services/${svc}/config/aws.ini`]));
      const lines = [`; ${svc} ${env}`];
      const marks = [];
      for (const s of snippets) {
        const base = lines.length;
        lines.push(...s.lines, '');
        for (const m of s.marks) marks.push({ ...m, line: base + m.line });
      }
      return repo.writeDocument(path, lines, marks);
    }
    case 'yaml-block': {
      const path = repo.unique(`deploy/k8s/${svc}/${rng.pick(['configmap', 'secret', 'runtime-config'])}-${env}.yaml`);
      const secret = rng.chance(0.5);
      const lines = ['apiVersion: v1', `kind: ${secret ? 'Secret' : 'ConfigMap'}`, 'metadata:', `  name: ${svc}-${env}`, `  namespace: ${svc}`, secret ? 'type: Opaque' : '', secret ? 'stringData:' : 'data:'].filter(Boolean);
      lines.push(`  LOG_LEVEL: ${rng.pick(['info', 'debug'])}`);
      const marks = [];
      for (const s of snippets) {
        lines.push(`  ${s.blockKey}: |`);
        const base = lines.length;
        for (const l of s.lines) lines.push(l === '' ? '' : `    ${l}`);
        if (rng.chance(0.5)) lines.push(`    ${w.noun().toUpperCase()}_TIMEOUT=${rng.int(1, 90)}s`);
        for (const m of s.marks) marks.push({ ...m, line: base + m.line });
      }
      return repo.writeDocument(path, lines, marks);
    }
    case 'k8s-env': {
      const path = repo.unique(`deploy/k8s/${svc}/deployment-${env}.yaml`);
      const head = [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        `  name: ${svc}`,
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        `        - name: ${svc}`,
        `          image: ghcr.io/${rng.pick(orgs)}/${svc}:${rng.int(1, 9)}.${rng.int(0, 20)}.0`,
        '          env:',
        '            - name: LOG_LEVEL',
        '              value: info',
      ];
      const { lines, marks } = fillDocument(rng, { header: head, unit: () => [`            - name: ${w.noun().toUpperCase()}_${w.noun().toUpperCase()}`, `              value: "${rng.pick([w.noun(), String(rng.int(1, 500))])}"`], snippets, target: rng.int(900, 1600), indent: '            ' });
      return repo.writeDocument(path, lines, marks);
    }
    case 'workflow': {
      const path = repo.unique(`.github/workflows/${rng.pick(['ci', 'release', 'deploy', 'nightly', 'evals'])}-${svc}.yml`);
      const envs_ = snippets.filter((s) => s.envEntry);
      const steps = snippets.filter((s) => !s.envEntry);
      const lines = [`name: ${svc} ${rng.pick(['ci', 'deploy'])}`, 'on: [push, workflow_dispatch]', 'jobs:', '  build:', '    runs-on: ubuntu-latest', '    env:', `      NODE_VERSION: "20"`];
      const marks = [];
      const put = (list) => {
        for (const s of list) {
          const base = lines.length;
          lines.push(...s.lines);
          for (const m of s.marks) marks.push({ ...m, line: base + m.line });
        }
      };
      put(envs_);
      lines.push('    steps:', '      - uses: actions/checkout@v4');
      put(steps);
      lines.push('      - run: npm ci && npm test');
      return repo.writeDocument(path, lines, marks);
    }
    case 'compose': {
      const path = repo.unique(rng.pick([`docker-compose.${env}.yml`, `services/${svc}/docker-compose.yml`, `deploy/compose/${svc}.yml`]));
      const lines = ['services:', `  ${svc}:`, `    image: ghcr.io/${rng.pick(orgs)}/${svc}:latest`, '    environment:', '      LOG_LEVEL: info'];
      const marks = [];
      for (const s of snippets) {
        const base = lines.length;
        lines.push(...s.lines);
        for (const m of s.marks) marks.push({ ...m, line: base + m.line });
      }
      lines.push(`    ports: ["${rng.int(3000, 9000)}:8080"]`);
      return repo.writeDocument(path, lines, marks);
    }
    case 'helm': {
      const path = repo.unique(`charts/${svc}/templates/${rng.pick(['secret', 'external-config', 'env-secret'])}.yaml`);
      const lines = ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: {{ include "chart.fullname" . }}', 'type: Opaque', 'data:'];
      const marks = [];
      for (const s of snippets) {
        const base = lines.length;
        lines.push(...s.lines);
        for (const m of s.marks) marks.push({ ...m, line: base + m.line });
      }
      return repo.writeDocument(path, lines, marks);
    }
    case 'dockerfile': {
      const path = repo.unique(rng.pick([`services/${svc}/Dockerfile`, `docker/${svc}.Dockerfile`]));
      const { lines, marks } = fillDocument(rng, {
        header: [`FROM node:20-slim AS ${rng.pick(['build', 'base'])}`, 'WORKDIR /app', 'COPY package*.json ./'],
        unit: () => [rng.pick(['RUN npm ci --omit=dev', `COPY ${w.noun()}/ ./${w.noun()}/`, `RUN mkdir -p /var/${w.noun()}`, `EXPOSE ${rng.int(3000, 9000)}`, `LABEL org.opencontainers.image.title="${svc}"`])],
        footer: ['USER node', `CMD ["node", "dist/${svc}.js"]`],
        snippets,
        target: rng.int(400, 900),
      });
      return repo.writeDocument(path, lines, marks);
    }
    case 'properties': {
      const path = repo.unique(`services/${svc}/src/main/resources/application-${env}.properties`);
      const { lines, marks } = fillDocument(rng, {
        header: [`# ${svc} ${env}`],
        unit: () => [`app.${w.noun()}.${w.noun()}=${rng.pick([w.noun(), String(rng.int(1, 9000)), 'true'])}`],
        snippets,
        target: rng.int(500, 1500),
      });
      return repo.writeDocument(path, lines, marks);
    }
    case 'xml': {
      const path = repo.unique(rng.pick([`config/${svc}-${env}.xml`, `legacy/${svc}/conf/${rng.pick(['context', 'datasource', 'settings'])}.xml`]));
      const { lines, marks } = fillDocument(rng, {
        header: ['<?xml version="1.0" encoding="UTF-8"?>', `<configuration service="${svc}">`],
        unit: () => [`    <${w.noun()}>${rng.pick([w.noun(), String(rng.int(1, 999))])}</${w.noun()}>`.replace(/<(\w+)>([^<]*)<\/\w+>/, '<$1>$2</$1>')],
        footer: ['</configuration>'],
        snippets,
        target: rng.int(500, 1500),
      });
      return repo.writeDocument(path, lines, marks);
    }
    case 'tf': {
      const path = repo.unique(`infra/${env}/${rng.pick(['main', 'database', 'providers', 'integrations'])}.tf`);
      const lines = [`# ${svc} ${env}`];
      const marks = [];
      for (const s of snippets) {
        lines.push(rng.pick([`resource "aws_db_instance" "${svc}" {`, 'provider "aws" {', `module "${svc}" {`]));
        lines.push(`  ${rng.pick(['identifier', 'alias', 'source'])} = "${svc}-${env}"`);
        const base = lines.length;
        lines.push(...s.lines);
        for (const m of s.marks) marks.push({ ...m, line: base + m.line });
        lines.push('}', '');
      }
      return repo.writeDocument(path, lines, marks);
    }
    case 'pem': {
      const s = snippets[0];
      const isKey = s.marks.some((m) => m.family);
      const path = repo.unique(
        isKey
          ? rng.pick([`certs/${svc}-${env}.pem`, `keys/${svc}.key`, `deploy/ssh/id_rsa`, `secrets/${svc}-tls.key`, `config/jwt/${env}-private.pem`])
          : rng.pick([`certs/${svc}-${env}.crt`, `certs/ca-bundle.pem`, `keys/${svc}.pub.pem`]),
      );
      return repo.writeDocument(path, s.lines, s.marks);
    }
    case 'sa-json': {
      const s = snippets[0];
      const path = repo.unique(rng.pick([`config/gcp/${s.project ?? svc}-sa.json`, `secrets/${svc}-service-account.json`, `deploy/gcp/${env}-credentials.json`]));
      return repo.writeDocument(path, s.lines, s.marks);
    }
    default:
      throw new Error(`no dedicated file for ${home}`);
  }
}

// ---------------------------------------------------------------------------------------
// Bundles and source maps: single lines of up to 8 MB.

function minifiedPool(rng, w, n) {
  const id = () => rng.string(1, lower) + (rng.chance(0.5) ? rng.string(1, `${lower}${upper}$_`) : '');
  const pool = [];
  for (let i = 0; i < n; i++) {
    const parts = [];
    const count = rng.int(3, 12);
    for (let k = 0; k < count; k++) {
      parts.push(
        rng.pick([
          () => `function ${id()}(${id()},${id()}){return ${id()}.${w.noun()}(${id()})||${rng.int(0, 99)}}`,
          () => `var ${id()}=${id()}("${w.noun()}"),${id()}=${id()}.${w.camel()};`,
          () => `${id()}.prototype.${w.fn()}=function(${id()}){this.${w.camel()}=${id()},this.${w.noun()}=[]};`,
          () => `if(!${id()}.${w.noun()})throw new Error("${w.sentence(3, 6)}");`,
          () => `${id()}[${rng.int(0, 999)}]=function(${id()},${id()},${id()}){"use strict";${id()}.d(${id()},{${w.camel()}:function(){return ${id()}}})};`,
          () => `const ${id()}=[${Array.from({ length: rng.int(2, 6) }, () => `"${w.noun()}"`).join(',')}];`,
          () => `${id()}=${id()}?.${w.noun()}??{${w.noun()}:${rng.int(0, 9)},${w.noun()}:!${rng.int(0, 1)}};`,
        ])(),
      );
    }
    pool.push(parts.join(''));
  }
  return pool;
}

/** A minified line of about `size` characters with `snippets` (one-line fragments) at random offsets. */
function minifiedLine(rng, pool, size, snippets) {
  const order = snippets.map((s) => ({ s, at: Math.floor(rng.float() * size) })).sort((x, y) => x.at - y.at);
  const parts = [];
  const marks = [];
  let length = 0;
  let k = 0;
  const put = (s) => {
    const text = s.lines[0];
    for (const m of s.marks) marks.push({ ...m, offset: length + text.indexOf(m.text) });
    parts.push(text);
    length += text.length;
  };
  while (length < size) {
    while (k < order.length && order[k].at <= length) put(order[k++].s);
    const p = rng.pick(pool);
    parts.push(p);
    length += p.length;
  }
  while (k < order.length) put(order[k++].s);
  return { text: parts.join(''), marks };
}

async function writeBundles(repo, rng, w, budget, bundleSnippets, mapSnippets) {
  // Sizes: pairs of a bundle (2-6 MiB) and its map (1-1.4x, at most 8 MiB) while the budget
  // allows; a small repository gets one pair scaled to its budget.
  const pairs = [];
  let left = budget;
  while (left >= 6 * MiB) {
    const b = Math.round(rng.range(2.5, Math.min(6, left / MiB / 2.2)) * MiB);
    const m = Math.min(8 * MiB, Math.round(b * rng.range(1, 1.4)));
    pairs.push([b, m]);
    left -= b + m;
  }
  if (pairs.length === 0) pairs.push([Math.round(budget * 0.45), Math.round(budget * 0.55)]);
  else pairs[pairs.length - 1][1] = Math.min(8 * MiB, pairs[pairs.length - 1][1] + left);

  const pool = minifiedPool(rng, w, 400);
  const segments = Array.from({ length: 4000 }, () => cleanString(rng, rng.int(4, 9), base64));
  const plants = bundleSnippets.filter((s) => s.marks.some((m) => m.family));
  const decoys = bundleSnippets.filter((s) => !s.marks.some((m) => m.family));
  for (let i = 0; i < pairs.length; i++) {
    const [bundleSize, mapSize] = pairs[i];
    const name = `${rng.pick(['main', 'app', 'vendor', 'runtime', 'admin', 'widget'])}.${rng.hex(8)}`;
    const base = repo.unique(`${rng.pick(['public/assets', 'static/js', 'web/dist/assets'])}/${name}.js`);
    const mine = (list) => list.filter((_, k) => k % pairs.length === i);
    // Line 2 holds the planted values, line 3 (a second chunk) the decoys: one line never mixes them.
    const main = minifiedLine(rng, pool, Math.round(bundleSize * 0.8), mine(plants));
    const chunk = minifiedLine(rng, pool, Math.round(bundleSize * 0.2), mine(decoys));
    const banner = `/*! ${name}.js | (c) ${cap(rng.pick(orgs))} | MIT */`;
    const chunkHead = `(self.webpackChunk=self.webpackChunk||[]).push([[${rng.int(100, 999)}],{`;
    const tail = `//# sourceMappingURL=${name}.js.map`;
    await repo.write(base, `${banner}\n${main.text}\n${chunkHead}${chunk.text}}]);\n${tail}\n`);
    for (const m of main.marks) repo.recordAt(base, 2, m.offset + 1, m);
    for (const m of chunk.marks) repo.recordAt(base, 3, chunkHead.length + m.offset + 1, m);

    // The map: sources, sourcesContent (with the source-map plants), names, then mappings.
    const sources = Array.from({ length: rng.int(3, 8) }, () => `webpack://${rng.pick(packages)}/./src/${w.noun()}/${w.camel()}.ts`);
    const contents = sources.map(() => Array.from({ length: rng.int(3, 10) }, () => `export const ${w.camel()} = ${rng.int(0, 999)};`).join('\n'));
    const own = mine(mapSnippets);
    for (const s of own) {
      sources.push(`webpack://${rng.pick(packages)}/./src/config/${w.camel()}.ts`);
      contents.push(s.source);
    }
    const head = `{"version":3,"file":"${name}.js","sources":${JSON.stringify(sources)},"sourcesContent":${JSON.stringify(contents)},"names":${JSON.stringify(Array.from({ length: 40 }, () => w.camel()))},"mappings":"`;
    const parts = [];
    let length = head.length + 2;
    while (length < mapSize) {
      const seg = rng.pick(segments) + (rng.chance(0.1) ? ';' : ',');
      parts.push(seg);
      length += seg.length;
    }
    const mapLine = `${head}${parts.join('').replace(/[,;]$/, '')}"}`;
    await repo.write(`${base}.map`, `${mapLine}\n`);
    for (const s of own) {
      for (const m of s.marks) {
        const at = mapLine.indexOf(m.text);
        if (at === -1) throw new Error('source-map mark not found');
        repo.recordAt(`${base}.map`, 1, at + 1, m);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// Lockfiles: integrity hashes (decoys) by the thousand.

async function writeLockfiles(repo, rng, budget) {
  let left = budget;
  let first = true;
  while (left > 2048) {
    const size = first ? Math.min(left, Math.max(2048, Math.round(rng.range(0.3, 0.6) * budget))) : Math.min(left, rng.int(64 * 1024, 3 * MiB));
    const kind = first ? 'npm' : rng.pick(['npm', 'npm', 'yarn', 'pnpm']);
    const dirName = first ? '' : `packages/${rng.pick(packages)}/`;
    const path = repo.unique(`${dirName}${{ npm: 'package-lock.json', yarn: 'yarn.lock', pnpm: 'pnpm-lock.yaml' }[kind]}`);
    const lines = [];
    const marks = [];
    const pkgName = () => (rng.chance(0.3) ? `@${rng.pick(orgs)}/` : '') + `${rng.pick(nouns)}-${rng.pick(nouns)}${rng.chance(0.3) ? `-${rng.pick(adjectives)}` : ''}`;
    const version = () => `${rng.int(0, 12)}.${rng.int(0, 30)}.${rng.int(0, 20)}`;
    const integrity = () => `sha512-${cleanString(rng, 86, base64)}==`;
    if (kind === 'npm') lines.push('{', `  "name": "${rng.pick(packages)}",`, `  "version": "${version()}",`, '  "lockfileVersion": 3,', '  "requires": true,', '  "packages": {', `    "": { "name": "${rng.pick(packages)}", "license": "UNLICENSED" },`);
    if (kind === 'yarn') lines.push('# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.', '# yarn lockfile v1', '');
    if (kind === 'pnpm') lines.push("lockfileVersion: '9.0'", '', 'packages:', '');
    let bytes = lineBytes(lines) + 8;
    while (bytes < size) {
      const name = pkgName();
      const v = version();
      const hash = integrity();
      const entry = [];
      let at;
      if (kind === 'npm') {
        const git = rng.chance(0.02);
        entry.push(`    "node_modules/${name}": {`, `      "version": "${v}",`);
        if (git) {
          const sha = rng.gitSha();
          entry.push(`      "resolved": "git+ssh://git@github.com/${rng.pick(orgs)}/${name.replace(/^@[^/]+\//, '')}.git#${sha}",`);
          marks.push({ line: lines.length + entry.length - 1, text: sha, kind: 'git-sha', context: 'lockfile' });
        } else entry.push(`      "resolved": "https://registry.npmjs.org/${name}/-/${name.replace(/^@[^/]+\//, '')}-${v}.tgz",`);
        at = entry.length;
        entry.push(`      "integrity": "${hash}",`);
        if (rng.chance(0.4)) entry.push('      "dev": true,');
        entry.push(`      "license": "${rng.pick(['MIT', 'ISC', 'Apache-2.0', 'BSD-3-Clause'])}"`, '    },');
      } else if (kind === 'yarn') {
        entry.push(`"${name}@^${v}":`, `  version "${v}"`, `  resolved "https://registry.yarnpkg.com/${name}/-/${name.replace(/^@[^/]+\//, '')}-${v}.tgz#${rng.hex(40)}"`);
        at = entry.length;
        entry.push(`  integrity ${hash}`, '');
      } else {
        entry.push(`  ${name.startsWith('@') ? `'${name}@${v}'` : `${name}@${v}`}:`);
        at = entry.length;
        entry.push(`    resolution: {integrity: ${hash}}`, `    engines: {node: '>=${rng.pick([14, 16, 18])}'}`, '');
      }
      marks.push({ line: lines.length + at, text: hash, kind: 'integrity-hash', context: 'lockfile' });
      lines.push(...entry);
      bytes += lineBytes(entry);
    }
    if (kind === 'npm') {
      lines[lines.length - 1] = '    }';
      lines.push('  }', '}');
    }
    const text = lines.join('\n') + '\n';
    await repo.write(path, text);
    repo.record(path, lines, marks);
    left -= Buffer.byteLength(text);
    first = false;
  }
}

// ---------------------------------------------------------------------------------------
// Binaries: NUL bytes in the first 8 KiB, or a binary extension.

function pngBytes(rng, size, text) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    return Buffer.concat([len, Buffer.from(type, 'latin1'), data, rng.bytes(4)]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(rng.int(16, 2048), 0);
  ihdr.writeUInt32BE(rng.int(16, 2048), 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (text) parts.push(chunk('tEXt', Buffer.from(`Comment\0${text}`, 'latin1')));
  const used = parts.reduce((a, b) => a + b.length, 0) + 12 + 12;
  parts.push(chunk('IDAT', rng.bytes(Math.max(16, size - used))), chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(parts);
}

const binaryKinds = [
  { ext: 'png', dir: 'assets/img', head: null },
  { ext: 'jpg', dir: 'docs/img', head: [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00] },
  { ext: 'zip', dir: 'dist-artifacts', head: [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00] },
  { ext: 'woff2', dir: 'assets/fonts', head: [0x77, 0x4f, 0x46, 0x32, 0x00, 0x01, 0x00, 0x00] },
  { ext: 'ico', dir: 'public', head: [0x00, 0x00, 0x01, 0x00, 0x01, 0x00] },
  { ext: 'sqlite', dir: 'data', head: [...Buffer.from('SQLite format 3\0', 'latin1')] },
  { ext: 'dat', dir: 'assets/blobs', head: [0x00, 0x00, 0x00, 0x01, 0x7f, 0x45, 0x4c, 0x46] },
];

async function writeBinaries(repo, rng, budget) {
  let left = budget;
  let planted = 0;
  while (left > 512) {
    const kind = planted < 2 ? binaryKinds[planted === 0 ? 0 : 6] : rng.pick(binaryKinds);
    const size = Math.min(left, rng.logNormal(24 * 1024, 1.3, 600, 3 * MiB));
    const name = `${rng.pick(nouns)}-${rng.pick(nouns)}`;
    const path = repo.unique(`${kind.dir}/${name}.${kind.ext}`);
    // The first two hold a credential-shaped value: binaries are skipped, so it is a decoy.
    let text;
    if (planted < 2) {
      const family = planted === 0 ? 'github-token' : 'openai-api-key';
      text = `${family === 'github-token' ? 'GITHUB_TOKEN' : 'OPENAI_API_KEY'}=${valueBuilders[family](rng)}`;
    }
    let data;
    if (kind.ext === 'png') data = pngBytes(rng, size, text);
    else {
      const head = Buffer.from(kind.head);
      const mid = text ? Buffer.from(`\n${text}\n`, 'latin1') : Buffer.alloc(0);
      data = Buffer.concat([head, rng.bytes(Math.min(64, Math.max(0, size - head.length))), mid, rng.bytes(Math.max(0, size - head.length - 64 - mid.length))]);
    }
    await repo.write(path, data);
    if (text) {
      const value = text.slice(text.indexOf('=') + 1);
      const at = data.indexOf(Buffer.from(value, 'latin1'));
      const before = data.subarray(0, at);
      let line = 1;
      let lineStart = 0;
      for (let i = 0; i < before.length; i++) if (before[i] === 0x0a) (line++, (lineStart = i + 1));
      repo.recordAt(path, line, at - lineStart + 1, { text: value, kind: 'binary', context: kind.ext });
      planted++;
    }
    left -= data.length;
  }
}

// ---------------------------------------------------------------------------------------
// Filler: the bulk of the repository.

const languageWeights = { ts: 25, js: 12, py: 18, go: 12, java: 10, rb: 5, rs: 5, cs: 5, kt: 3, php: 3, sh: 2 };

function sourcePath(rng, w, lang) {
  const svc = rng.pick(services);
  const pkg = rng.pick(packages);
  switch (lang) {
    case 'ts':
      return `packages/${pkg}/src/${w.noun()}/${w.camel()}.ts`;
    case 'js':
      return rng.chance(0.8) ? `packages/${pkg}/lib/${w.camel()}.js` : `scripts/${w.verb()}-${w.noun()}.js`;
    case 'py':
      return `services/${svc}/${svc}/${w.noun()}/${w.snake()}.py`;
    case 'go':
      return `internal/${w.noun()}/${w.snake()}.go`;
    case 'java':
      return `services/${svc}/src/main/java/com/${rng.pick(orgs)}/${svc}/${w.noun()}/${w.type()}.java`;
    case 'rb':
      return `apps/${svc}/app/${rng.pick(['models', 'services', 'jobs', 'controllers'])}/${w.snake()}.rb`;
    case 'rs':
      return `crates/${w.noun()}-${w.noun()}/src/${w.snake()}.rs`;
    case 'cs':
      return `src/${cap(rng.pick(orgs))}.${cap(svc)}/${cap(w.noun())}/${w.type()}.cs`;
    case 'kt':
      return `android/app/src/main/kotlin/com/${rng.pick(orgs)}/${w.noun()}/${w.type()}.kt`;
    case 'php':
      return `legacy/${svc}/src/${cap(w.noun())}/${w.type()}.php`;
    default:
      return `scripts/${w.noun()}/${w.verb()}-${w.noun()}.sh`;
  }
}

async function writeFiller(repo, rng, w, target, byHome) {
  // The last file (exact padding) keeps a reserve, so files that overshoot their size never
  // leave it less than nothing.
  const reserve = 16 * 1024;
  const remaining = target - repo.bytes - reserve;
  if (remaining < 64 * 1024) throw new Error(`generateRepo: no room left for filler (${remaining} bytes): sizeMB too small`);
  // Plan files by kind until each kind's share of the remaining bytes is used.
  const shares = [['source', 0.7], ['markdown', 0.13], ['yaml', 0.09], ['json', 0.08]];
  const plan = [];
  for (const [kind, share] of shares) {
    let left = remaining * share;
    const kinds = kind === 'source' ? [...languages] : [kind === 'yaml' ? 'yaml-config' : kind === 'json' ? 'json-config' : 'markdown'];
    // One file of each language first, so every code context has a home.
    const queue = [...kinds];
    while (left > 0) {
      let home = queue.shift();
      if (!home) {
        if (kind === 'source') home = rng.weighted(Object.entries(languageWeights));
        else if (kind === 'yaml') home = rng.chance(0.6) ? 'yaml-config' : 'yaml-k8s';
        else home = kinds[0];
      }
      const median = kind === 'source' ? 6500 : kind === 'markdown' ? 5000 : 3000;
      const size = Math.max(600, Math.min(Math.ceil(left), rng.logNormal(median, 0.7, 600, 48 * 1024)));
      plan.push({ home: kind === 'source' ? `code-${home}` : home, size });
      left -= size;
    }
  }
  // Snippets go to random files of their kind.
  const byKind = new Map();
  plan.forEach((p, i) => {
    if (!byKind.has(p.home)) byKind.set(p.home, []);
    byKind.get(p.home).push(i);
  });
  const snippetsOf = plan.map(() => []);
  for (const [home, snippets] of byHome) {
    const files = byKind.get(home);
    if (!files) continue;
    for (const s of snippets) snippetsOf[rng.pick(files)].push(s);
  }
  for (const home of byHome.keys()) {
    if (!byKind.has(home) && !(home in perDedicatedFile) && home !== 'bundle' && home !== 'source-map') throw new Error(`no file for context ${home}`);
  }
  // The last file takes the exact remainder: Markdown, padded to the byte.
  plan.push({ home: 'markdown-last', size: 0 });
  snippetsOf.push([]);

  let carry = 0;
  for (let i = 0; i < plan.length; i++) {
    const { home, size } = plan[i];
    const last = home === 'markdown-last';
    const want = last ? target - repo.bytes : Math.max(300, size + carry);
    if (last && want < 1024) throw new Error(`generateRepo: the filler overshot (${want} bytes left for the last file)`);
    const fr = rng;
    let path;
    let doc;
    if (home.startsWith('code-')) {
      const lang = home.slice(5);
      path = repo.unique(sourcePath(fr, w, lang));
      const shape = sourceShapes[lang];
      doc = fillDocument(fr, {
        header: shape.header(w, fr, path),
        footer: shape.footer ? shape.footer() : [],
        unit: () => shape.unit(w, fr),
        snippets: snippetsOf[i],
        target: want,
      });
    } else if (home === 'markdown' || last) {
      path = repo.unique(last ? 'docs/CHANGELOG.md' : rng.chance(0.15) ? `packages/${rng.pick(packages)}/README.md` : `docs/${w.noun()}/${w.verb()}-${w.noun()}.md`);
      doc = fillDocument(fr, { header: markdownShape.header(w), unit: () => markdownShape.unit(w, fr), snippets: snippetsOf[i], target: want });
      if (last) padExactly(doc.lines, want, '<!-- padding -->');
    } else if (home === 'yaml-config') {
      path = repo.unique(rng.chance(0.5) ? `config/${rng.pick(envs)}/${w.noun()}-${w.noun()}.yaml` : `services/${rng.pick(services)}/config/${w.noun()}.yml`);
      doc = fillDocument(fr, { header: yamlConfigShape.header(w), unit: () => yamlConfigShape.unit(w, fr), snippets: snippetsOf[i], target: want });
    } else if (home === 'yaml-k8s') {
      path = repo.unique(`deploy/k8s/${rng.pick(services)}/${w.noun()}-${rng.pick(envs)}.yaml`);
      doc = fillDocument(fr, { unit: () => k8sShape.unit(w, fr), snippets: [], target: want });
    } else {
      path = repo.unique(rng.chance(0.7) ? `config/${w.noun()}-${w.noun()}.json` : `packages/${rng.pick(packages)}/config/${w.noun()}.json`);
      doc = jsonDocument(fr, w, snippetsOf[i], want);
    }
    const before = repo.bytes;
    await repo.writeDocument(path, doc.lines, doc.marks);
    carry = want - (repo.bytes - before);
  }
}

/** A JSON object of members (filler and snippets), valid JSON, about `target` bytes. */
function jsonDocument(rng, w, snippets, target) {
  const members = [];
  let bytes = 4;
  for (const s of snippets) bytes += lineBytes(s.lines) + 2 * s.lines.length + 1;
  for (;;) {
    const m = jsonConfigShape.unit(w, rng);
    const b = lineBytes(m) + 2 * m.length + 1;
    if (bytes + b > target && members.length > 0) break;
    members.push({ lines: m, marks: [] });
    bytes += b;
  }
  for (const s of snippets) members.splice(rng.int(0, members.length), 0, { lines: s.lines, marks: s.marks });
  const lines = ['{'];
  const marks = [];
  members.forEach((m, k) => {
    const base = lines.length;
    m.lines.forEach((l, j) => lines.push(`  ${l}${j === m.lines.length - 1 && k < members.length - 1 ? ',' : ''}`));
    for (const mk of m.marks) marks.push({ ...mk, line: base + mk.line });
  });
  lines.push('}');
  return { lines, marks };
}

// ---------------------------------------------------------------------------------------
// Ignored: node_modules/ and .env.local, outside what git tracks.

async function writeIgnored(repo, rng) {
  const openai = valueBuilders['openai-api-key'](rng);
  const id = valueBuilders['aws-access-key-id'](rng);
  const secret = valueBuilders['aws-secret-access-key'](rng);
  const slack = valueBuilders['slack-token'](rng);
  const files = [
    ['node_modules/@acme/llm-sdk/package.json', ['{', '  "name": "@acme/llm-sdk",', '  "version": "3.2.1",', '  "main": "dist/index.js"', '}'], []],
    ['node_modules/@acme/llm-sdk/dist/index.js', ['"use strict";', `const DEFAULT_KEY = "${openai}";`, 'module.exports = { DEFAULT_KEY };'], [[1, openai]]],
    ['node_modules/env-fixture/.env', [`AWS_ACCESS_KEY_ID=${id}`, `AWS_SECRET_ACCESS_KEY=${secret}`], [[0, id], [1, secret]]],
    ['node_modules/.package-lock.json', ['{', '  "name": "bench",', '  "lockfileVersion": 3', '}'], []],
    ['.env.local', ['# local overrides, never committed', `SLACK_BOT_TOKEN=${slack}`], [[1, slack]]],
  ];
  for (const [path, lines, marks] of files) {
    await repo.write(path, lines.join('\n') + '\n', { tracked: false });
    for (const [line, text] of marks) repo.recordAt(path, line + 1, lines[line].indexOf(text) + 1, { text, kind: 'ignored', context: path.startsWith('node_modules') ? 'node_modules' : 'gitignored' });
  }
}
