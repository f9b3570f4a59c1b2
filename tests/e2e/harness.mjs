// Reusable harness for the dashboard's end-to-end scenarios: headless system Chromium driven by
// playwright-core, with every browser-side problem (console errors, uncaught exceptions, failed
// requests, HTTP >= 400) collected so a scenario fails on them without asking. See README.md.

import { createRequire } from 'node:module';
import { mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);

// ESM import ignores NODE_PATH, so resolve through CommonJS: the normal lookup first, then each
// NODE_PATH entry explicitly (relative entries are taken from the working directory).
function loadPlaywright() {
  try {
    return require('playwright-core');
  } catch (first) {
    const paths = (process.env.NODE_PATH || '')
      .split(path.delimiter)
      .filter(Boolean)
      .map((p) => path.resolve(p));
    if (!paths.length) throw first;
    try {
      return require(require.resolve('playwright-core', { paths }));
    } catch {
      throw new Error(
        `playwright-core not found (NODE_PATH=${process.env.NODE_PATH}); ` +
          'install it with tests/support/playwright.rs ensure() or npm install --prefix target/playwright playwright-core',
      );
    }
  }
}

const { chromium } = loadPlaywright();

export const DESKTOP = { width: 1280, height: 800 };
export const MOBILE = { width: 360, height: 740 };

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function chromiumPath() {
  const exe = process.env.PLASMA_CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(exe)) {
    throw new Error(`Chromium not found at ${exe}; set PLASMA_CHROMIUM_PATH`);
  }
  return exe;
}

// Browser-initiated favicon fetches are noise, never a page's problem.
function isFavicon(url) {
  try {
    return new URL(url).pathname === '/favicon.ico';
  } catch {
    return false;
  }
}

function joinUrl(baseUrl, p) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(p)) return p; // already absolute
  if (!baseUrl) throw new Error(`goto(${p}): no baseUrl (set BASE_URL)`);
  return baseUrl.replace(/\/+$/, '') + '/' + String(p).replace(/^\/+/, '');
}

// One browser context with its page; `shared` holds what all contexts of a session share.
async function openContext(shared) {
  const context = await shared.browser.newContext({
    viewport: { ...DESKTOP },
    ignoreHTTPSErrors: false,
  });
  const page = await context.newPage();
  const { problems, allowed } = shared;
  const isAllowed = (url) => isFavicon(url) || allowed.some((re) => re.test(url));
  const where = () => {
    try {
      return new URL(page.url()).pathname;
    } catch {
      return page.url();
    }
  };

  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // Chromium echoes every failed load as a console error; the 'response' and
    // 'requestfailed' handlers below already record those with method and URL.
    if (msg.text().startsWith('Failed to load resource')) return;
    const loc = msg.location();
    const at = loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : '';
    problems.push(`console.error on ${where()}: ${msg.text()}${at}`);
  });
  page.on('pageerror', (err) => {
    problems.push(`pageerror on ${where()}: ${err.stack || err.message || err}`);
  });
  page.on('requestfailed', (req) => {
    if (isAllowed(req.url())) return;
    const why = req.failure() ? req.failure().errorText : 'failed';
    problems.push(`requestfailed: ${req.method()} ${req.url()} ${why}`);
  });
  page.on('response', (res) => {
    if (res.status() < 400) return;
    if (isAllowed(res.url())) return;
    problems.push(`http ${res.status()}: ${res.request().method()} ${res.url()}`);
  });

  const handle = {
    browser: shared.browser,
    context,
    page,
    problems,

    // Pages that are meant to answer 4xx (e.g. a tenant probing another tenant's URL): their
    // responses and failures are not problems. Shared by all contexts of the session.
    expect4xx(regex) {
      allowed.push(regex instanceof RegExp ? regex : new RegExp(regex));
    },

    async goto(p, options = {}) {
      const response = await page.goto(joinUrl(shared.baseUrl, p), { waitUntil: 'load', ...options });
      return response ? response.status() : null;
    },

    // Full-page screenshots at 1280x800 and 360x740, and a horizontal-overflow check at 360 px.
    async shoot(name) {
      const dir = shared.screenshotDir;
      if (dir) await mkdir(dir, { recursive: true });
      await page.setViewportSize({ ...DESKTOP });
      if (dir) await page.screenshot({ path: path.join(dir, `${name}-desktop.png`), fullPage: true });
      await page.setViewportSize({ ...MOBILE });
      try {
        const scrollWidth = await page.evaluate(
          () =>
            new Promise((resolve) =>
              requestAnimationFrame(() => resolve(document.documentElement.scrollWidth)),
            ),
        );
        if (scrollWidth > MOBILE.width + 1) {
          problems.push(`${name}: horizontal overflow at 360px (scrollWidth ${scrollWidth})`);
        }
        if (dir) await page.screenshot({ path: path.join(dir, `${name}-360.png`), fullPage: true });
      } finally {
        await page.setViewportSize({ ...DESKTOP });
      }
    },

    // Another isolated context (own cookies and storage: e.g. a second tenant), same capture.
    async newSession() {
      const other = await openContext(shared);
      shared.contexts.push(other);
      return other;
    },

    async close() {
      await context.close().catch(() => {});
    },
  };
  return handle;
}

// Launches Chromium and opens the first context. `close()` on the returned session closes the
// browser (and every context opened with newSession()).
export async function session({ baseUrl = process.env.BASE_URL, screenshotDir = process.env.SCREENSHOT_DIR } = {}) {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const shared = { browser, baseUrl, screenshotDir, problems: [], allowed: [], contexts: [] };
  try {
    const first = await openContext(shared);
    return {
      ...first,
      async close() {
        await browser.close().catch(() => {});
      },
    };
  } catch (err) {
    await browser.close().catch(() => {});
    throw err;
  }
}

// The one line the Rust side reads (tests/support/playwright.rs Scenario::result).
export function report(result, problems) {
  const ok = problems.length === 0;
  process.stdout.write(JSON.stringify({ ok, problems, result: result === undefined ? null : result }) + '\n');
  process.exitCode = ok ? 0 : 1;
}

// Runs `fn(s)` in a fresh session (BASE_URL, SCREENSHOT_DIR from the environment unless given),
// turns a throw into a problem, always closes the browser, then reports fn's return value.
export async function scenario(fn, options = {}) {
  const problems = [];
  let result = null;
  let s = null;
  try {
    s = await session({
      baseUrl: options.baseUrl ?? process.env.BASE_URL,
      screenshotDir: options.screenshotDir ?? process.env.SCREENSHOT_DIR,
    });
    result = await fn(s);
  } catch (err) {
    problems.push(`exception: ${(err && err.stack) || err}`);
  } finally {
    if (s) {
      await s.close();
      problems.unshift(...s.problems);
    }
  }
  report(result, problems);
}
