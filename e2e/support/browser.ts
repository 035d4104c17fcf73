// Debian's Chromium driven by playwright-core, with software WebGL so MapLibre and deck.gl
// render headless (flags from FACTS.md). Tests call requireChromium(): under CI a missing
// browser fails the run rather than skipping it.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  if (fs.existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') throw new Error(`Chromium not found at ${CHROMIUM}; .ci/run installs Debian's chromium`);
  return false;
}

export async function launchBrowser(): Promise<Browser & { cleanup(): Promise<void> }> {
  // No --user-data-dir: playwright-core ≥ 1.5x refuses it in launch() (it wants
  // launchPersistentContext), and launch() already gives every run a fresh temporary profile.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-gpu-sandbox',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
      '--disable-quic',
    ],
  });
  return Object.assign(browser, {
    async cleanup() {
      await browser.close();
    },
  });
}

export const ARTIFACTS = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../artifacts');
