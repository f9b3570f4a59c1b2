// Self-test of harness.mjs against pages served here (always its own server on 127.0.0.1:0;
// BASE_URL is ignored): interaction, screenshots, the 360 px overflow check, problem capture,
// 4xx allowances and a second isolated context. Prints ok:true when the harness behaves.
//
//   NODE_PATH=target/playwright/node_modules SCREENSHOT_DIR=/tmp/shots node tests/e2e/selftest.mjs

import http from 'node:http';
import assert from 'node:assert/strict';
import { scenario } from './harness.mjs';

const HEAD = '<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">';

const PAGES = {
  '/': `<!doctype html><html><head>${HEAD}<title>Selftest</title>
<style>
  body { font-family: sans-serif; margin: 0 auto; padding: 1rem; max-width: 40rem; }
  form { display: flex; flex-wrap: wrap; gap: .5rem; }
  input { flex: 1 1 12rem; min-width: 0; padding: .5rem; }
  button { padding: .5rem 1rem; }
</style></head><body>
<h1>Plasma harness selftest</h1>
<form id="greet">
  <label for="name">Name</label>
  <input id="name" name="name" autocomplete="off">
  <button type="submit">Greet</button>
</form>
<p id="out">Nobody greeted yet.</p>
<script>
  document.getElementById('greet').addEventListener('submit', (e) => {
    e.preventDefault();
    document.getElementById('out').textContent = 'Hello, ' + document.getElementById('name').value + '!';
  });
  document.cookie = 'tenant=a; path=/';
</script>
</body></html>`,
  '/noisy': `<!doctype html><html><head>${HEAD}<title>Noisy</title></head><body>
<p>Problems on purpose.</p>
<img src="/broken.png" alt="">
<script>console.error('boom');</script>
</body></html>`,
  '/wide': `<!doctype html><html><head>${HEAD}<title>Wide</title></head><body>
<div style="width: 900px">too wide for a phone</div>
</body></html>`,
};

function serve() {
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://x');
    if (pathname === '/broken.png') {
      res.writeHead(500, { 'content-type': 'text/plain' });
      return res.end('server error on purpose');
    }
    if (pathname.startsWith('/forbidden')) {
      res.writeHead(403, { 'content-type': 'text/html' });
      return res.end(`<!doctype html><html><head>${HEAD}</head><body>Forbidden</body></html>`);
    }
    const page = PAGES[pathname];
    res.writeHead(page ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page || 'not found');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function until(cond, what, ms = 5000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const server = await serve();
const baseUrl = `http://127.0.0.1:${server.address().port}`;
try {
  await scenario(
    async (s) => {
      // Interaction on a clean page, then screenshots at both widths.
      assert.equal(await s.goto('/'), 200);
      await s.page.fill('#name', 'Ada');
      await s.page.click('button[type=submit]');
      await s.page.waitForFunction(() => document.getElementById('out').textContent === 'Hello, Ada!');
      await s.shoot('selftest');
      assert.deepEqual(s.problems, [], 'a clean page records no problems');

      // A console error and a 500 subresource are captured, nothing else.
      assert.equal(await s.goto('/noisy'), 200);
      await until(() => s.problems.length >= 2, 'two problems from /noisy');
      await s.page.waitForTimeout(300); // anything extra would arrive now
      const noisy = s.problems.splice(0).sort();
      assert.equal(noisy.length, 2, `exactly two problems, got ${JSON.stringify(noisy)}`);
      assert.match(noisy[0], /^console\.error on \/noisy: boom/);
      assert.match(noisy[1], /^http 500: GET http:\/\/127\.0\.0\.1:\d+\/broken\.png$/);

      // The 360 px overflow check.
      await s.goto('/wide');
      await s.shoot('wide');
      const wide = s.problems.splice(0);
      assert.equal(wide.length, 1, JSON.stringify(wide));
      assert.match(wide[0], /^wide: horizontal overflow at 360px \(scrollWidth 9\d\d\)$/);

      // A 403 is a problem unless allowed.
      assert.equal(await s.goto('/forbidden/first'), 403);
      assert.deepEqual(s.problems.splice(0), [`http 403: GET ${baseUrl}/forbidden/first`]);
      s.expect4xx(/\/forbidden\//);
      assert.equal(await s.goto('/forbidden/second'), 403);

      // A second context is isolated (no cookie from the first) and shares capture and allowances.
      const other = await s.newSession();
      assert.equal(await other.goto('/forbidden/third'), 403);
      assert.equal(await other.page.evaluate(() => document.cookie), '');
      assert.equal(await s.page.evaluate(() => document.cookie), 'tenant=a');
      await other.goto('/noisy');
      await until(() => s.problems.length >= 2, 'problems from the second context');
      s.problems.splice(0);
      await other.close();

      return { checked: ['interaction', 'screenshots', 'capture', 'overflow', 'expect4xx', 'isolation'] };
    },
    { baseUrl },
  );
} finally {
  server.close();
}
