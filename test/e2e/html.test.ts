// End to end: the built CLI writes the HTML report for the not-ready fixture, and headless
// Chromium opens it from disk. The page must render the radar and the findings, print to PDF,
// make no request but for the file itself, and show injected markup as text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { assertBuilt, fixtureRepo, runCli } from '../helpers/cli';
import type { AuditReport } from '../../src/engine/result';
import { areas } from '../../src/engine/rule';

const chromiumPath = '/usr/bin/chromium';
// On a developer machine without Chromium the browser checks are skipped, saying why; in CI
// (.ci/run installs Chromium) they always run, so a missing browser fails rather than hides.
const skipBrowser = !existsSync(chromiumPath) && !process.env.CI;
if (skipBrowser) console.warn(`test/e2e/html.test.ts: skipping the browser checks: ${chromiumPath} is absent (CI installs it)`);

const made: string[] = [];
let browser: Browser | undefined;

const hostileName = '<script>alert(1)</script>';
const hostileSupervisor = '"><img src=x onerror=alert(2)>';
const hostileReason = '<script>alert(3)</script> postponed until the ERP migration';

function repo(prepare?: (dir: string) => void): string {
  const dir = fixtureRepo('not-ready-aws', prepare);
  made.push(dir);
  return dir;
}

/** Writes the HTML with the CLI (and the JSON of the same run) and returns the HTML's path. */
function writeReport(dir: string): { htmlPath: string; json: AuditReport } {
  const evidence = join(dir, 'evidence.json');
  const html = runCli(['audit', '-f', 'html', '--title', 'Acme Bank', '--evidence', evidence, '-o', 'report.html', '--report', 'json=report.json'], { cwd: dir });
  expect(html.stderr).toBe('');
  expect(html.code).toBe(1);
  return { htmlPath: join(dir, 'report.html'), json: JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as AuditReport };
}

interface OpenedPage {
  page: Page;
  requests: string[];
  dialogs: string[];
  url: string;
}

async function open(htmlPath: string): Promise<OpenedPage> {
  const context = await browser!.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const url = pathToFileURL(htmlPath).href;
  await page.goto(url, { waitUntil: 'load' });
  return { page, requests, dialogs, url };
}

beforeAll(async () => {
  assertBuilt();
  if (skipBrowser) return;
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('html report of the CLI', () => {
  it('is one self-contained file naming the client', () => {
    const { htmlPath } = writeReport(repo());
    const html = readFileSync(htmlPath, 'utf8');
    expect(html).toContain('<title>Agent readiness — Acme Bank</title>');
    expect(html).not.toMatch(/<(script|img|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/\ssrc\s*=|url\(|@import/i);
    expect(html).toContain(`content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:"`);
  });
});

describe.skipIf(skipBrowser)('html report in Chromium', () => {
  it('renders the radar, every failing finding and the plan, makes no request and prints to PDF', async () => {
    const { htmlPath, json } = writeReport(repo());
    const { page, requests, dialogs, url } = await open(htmlPath);
    expect(await page.title()).toBe('Agent readiness — Acme Bank');

    // The eight axes, labelled with the area titles, on screen.
    const axisLabels = page.locator('svg.radar text.axis-label');
    expect(await axisLabels.allTextContents()).toEqual(areas.map((a) => a.title));
    for (const a of areas) {
      const label = page.locator('svg.radar text', { hasText: new RegExp(`^${a.title}$`) });
      expect(await label.count()).toBe(1);
      expect(await label.isVisible()).toBe(true);
      const box = (await label.boundingBox())!;
      expect(box.width).toBeGreaterThan(10);
    }
    expect(await page.locator('svg.radar polygon.scores').isVisible()).toBe(true);

    // Every rule that fails in the JSON report is in the page, as a finding with its remediation.
    const failing = json.deployments[0]!.findings.filter((f) => f.status === 'fail');
    expect(failing.length).toBeGreaterThan(30);
    const text = (await page.textContent('body'))!;
    for (const f of failing) {
      expect(text).toContain(f.ruleId);
      const article = page.locator(`article#finding-1-${f.ruleId}`);
      expect(await article.isVisible(), f.ruleId).toBe(true);
      expect(await article.locator('.status-fail').textContent()).toContain('FAIL');
    }
    // Fenced remediation snippets are code blocks, not Markdown text.
    expect(await page.locator('article#finding-1-AR-ID-004 pre > code').textContent()).toContain('onTermination: delete-identity');
    expect(text).toContain('Phase 1: Within 30 days (by 2026-12-25) — critical');
    expect(text).toMatch(/Cloud evidence bundle: .*evidence\.json, gathered 2026-11-25 10:00 UTC/);

    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000);

    expect(requests).toEqual([url]);
    expect(dialogs).toEqual([]);
    await page.context().close();
  });

  it('shows markup injected through the manifest as text, with no script or image in the page', async () => {
    const dir = repo((d) => {
      const path = join(d, 'agent-ready.yaml');
      const yaml = readFileSync(path, 'utf8')
        .replace('  name: agent-invoice-triage-prod\n', `  name: ${JSON.stringify(hostileName)}\n`)
        .replace('  supervisor: agent-invoice-triage-prod', `  supervisor: ${JSON.stringify(hostileSupervisor)}`)
        .replace('reason: Access review postponed until the ERP migration', `reason: ${JSON.stringify(hostileReason)}`);
      expect(yaml).toContain(hostileName);
      expect(yaml).toContain(hostileReason);
      writeFileSync(path, yaml);
    });
    const { htmlPath, json } = writeReport(dir);
    // The values really are echoed by the audit: as the deployment name, in messages, as the waiver reason.
    const d = json.deployments[0]!;
    expect(d.name).toBe(hostileName);
    expect(d.findings.find((f) => f.ruleId === 'AR-ID-005')!.message).toContain(hostileSupervisor);
    expect(d.findings.find((f) => f.ruleId === 'AR-SC-003')!.waiver!.reason).toBe(hostileReason);

    const { page, requests, dialogs, url } = await open(htmlPath);
    const text = (await page.textContent('body'))!;
    expect(text).toContain(`Deployment: ${hostileName}`);
    expect(text).toContain(hostileSupervisor);
    expect(text).toContain(hostileReason);
    expect(await page.locator('h2', { hasText: `Deployment: ${hostileName}` }).isVisible()).toBe(true);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    // No element carries an event-handler attribute (a string, evaluated in the page).
    expect(await page.evaluate("[...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length")).toBe(0);
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([url]);
    await page.context().close();
  });
});
