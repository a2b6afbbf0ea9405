// docs/screenshot.png: the landing page of a build as a person sees it, in
// headless Chromium (Debian's chromium package, driven by playwright-core).
// Usage: npx tsx pipeline/tools/screenshot.ts [out/index.html] [docs/screenshot.png] [--full]
// Without --full: the top of the page down to the pictures (what a visitor sees first).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const full = process.argv.includes('--full');
  const page = path.resolve(args[0] ?? 'out/index.html');
  const target = path.resolve(args[1] ?? 'docs/screenshot.png');
  mkdirSync(path.dirname(target), { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const tab = await browser.newPage({ viewport: { width: 1200, height: 2750 }, deviceScaleFactor: 1 });
    await tab.goto(pathToFileURL(page).href);
    // Show what hovering a meeting gives: its date, people and evidence sentence under the network.
    const edge = tab.locator('svg.network g.edge').first();
    if ((await edge.count()) > 0) await edge.locator('path.hit').dispatchEvent('mouseover');
    await tab.screenshot({ path: target, fullPage: full });
  } finally {
    await browser.close();
  }
  process.stdout.write(`${target}\n`);
}

await main();
