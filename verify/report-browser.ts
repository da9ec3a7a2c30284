// Opens an HTML report in headless Chromium (Debian's, driven by playwright-core) the way a
// person would open the file, and reads back what rendered: console errors, and every chart with
// the number of values it drew.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

export interface RenderedReport {
  readonly title: string;
  /** Console errors and uncaught exceptions of the page. */
  readonly errors: string[];
  readonly charts: { id: string; points: number }[];
  /** Charts that drew no value (the page says "no data" in them). */
  readonly empty: string[];
  readonly text: string;
}

/** Where screenshots are kept: CI keeps this directory as the run's artifacts. */
export const ARTIFACTS_DIR = path.resolve(process.env.FIREDRILL_ARTIFACTS ?? '.firedrill/artifacts');

function chromiumPath(): string {
  if (process.env.CHROMIUM_BIN) return process.env.CHROMIUM_BIN;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('no chromium on PATH: npm test installs Debian\'s (scripts/setup.sh --containers); or point CHROMIUM_BIN at one');
  }
}

/** Rendering is done when the page's script marked the body; a page whose script died never does. Generous: a big report on a busy machine takes Chromium 20 s. */
const RENDERED_WITHIN_MS = 45_000;

export async function openReport(file: string, screenshot?: string): Promise<RenderedReport> {
  // Root in a container has no user namespace for Chromium's sandbox.
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    let failed: () => void = () => undefined;
    const firstError = new Promise<false>((resolve) => (failed = () => resolve(false)));
    const fail = (message: string) => {
      errors.push(message);
      failed();
    };
    page.on('console', (m) => {
      if (m.type() === 'error') fail(m.text());
    });
    page.on('pageerror', (e) => fail(String(e)));
    // Nothing but the file itself may load: a report that needs the network is broken in the room.
    await page.route(/^(?!file:)/, (route) => {
      fail(`the page fetched ${route.request().url()}`);
      return route.abort();
    });
    await page.goto(`file://${path.resolve(file)}`);
    // A page whose script died is known at its first error; no need to wait out the deadline.
    const rendered = await Promise.race([page.waitForSelector('body[data-rendered="true"]', { timeout: RENDERED_WITHIN_MS }).then(() => true, () => false), firstError]);
    if (!rendered) errors.push(`the page's script did not finish within ${RENDERED_WITHIN_MS / 1000} s (body[data-rendered] never set)`);
    const charts = await page.$$eval('[data-chart]', (els) => els.map((e) => ({ id: e.getAttribute('data-chart') ?? '', points: Number(e.getAttribute('data-points') ?? 0) })));
    if (screenshot) {
      mkdirSync(path.dirname(screenshot), { recursive: true });
      await page.screenshot({ path: screenshot, fullPage: true });
    }
    return { title: await page.title(), errors, charts, empty: charts.filter((c) => c.points === 0).map((c) => c.id), text: await page.innerText('body') };
  } finally {
    await browser.close();
  }
}
