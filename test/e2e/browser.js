// Launches Debian's Chromium through playwright-core (no browser download: offline machines).
const { paths } = require('./install');

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * A browser with a fresh profile: playwright gives every launch its own temporary user-data-dir
 * and removes it, and the browser process, even when this process is interrupted.
 */
async function launchBrowser({ headless = true, viewport = { width: 1440, height: 900 } } = {}) {
  const { chromium } = require(paths.playwright);
  const browser = await chromium.launch({ executablePath: paths.chromium, headless, args: FLAGS });
  const context = await browser.newContext({ viewport });
  const close = () => browser.close().catch(() => undefined);
  return { context, close };
}

module.exports = { launchBrowser };
