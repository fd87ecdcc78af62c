import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium (tools/ci/install-chromium.sh installs it); `SM_CHROMIUM` points elsewhere. */
export const CHROMIUM_PATH = process.env.SM_CHROMIUM ?? '/usr/bin/chromium';

/** Headless, no sandbox (root in CI), no GPU, and nothing that phones home. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Starts the system Chromium through playwright-core (which never downloads a browser).
 * @throws Error saying how to install it when it is missing.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}: run tools/ci/install-chromium.sh (Debian's chromium package), or set SM_CHROMIUM to a Chromium binary`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}
