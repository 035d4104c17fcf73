// Debian's Chromium driven by playwright-core, with software WebGL so MapLibre and deck.gl
// render headless (SwiftShader through ANGLE: the flags in launchBrowser()). Tests call
// chromiumAvailable() (through useBrowserApp()): under CI a missing browser fails the run
// rather than skipping it.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * True when we run under CI. Any value counts (CI=1, CI=true, CI=yes, even CI=false): CI systems
 * spell it differently, and a typo must not turn the browser tests into a silent skip. Only an
 * unset (or empty) CI lets a developer without Chromium skip them.
 */
export function underCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.CI ?? '') !== '';
}

/** Whether the browser tests can run: false only outside CI; under CI a missing browser throws. */
export function chromiumAvailable(env: NodeJS.ProcessEnv = process.env, exists = (p: string) => fs.existsSync(p)): boolean {
  const executable = env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (exists(executable)) return true;
  if (underCi(env)) throw new Error(`Chromium not found at ${executable}; .ci/run installs Debian's chromium`);
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
