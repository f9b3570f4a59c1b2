// The dashboard end to end, as its people use it: sign in, research with a cited answer,
// a monitor's mentions from a feed, a draft from brief to approved and scheduled, a workflow
// that waits for approval approved from the page, every page photographed at desktop and
// 360 px, and another tenant trying tenant A's URLs directly.
import { scenario } from './harness.mjs';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

async function signIn(s, tenant, subject, role) {
  await s.goto('/app/signin');
  await s.page.fill('#tenant', tenant);
  await s.page.fill('#subject', subject);
  await s.page.selectOption('#role', role);
  await Promise.all([s.page.waitForURL(/\/app$/), s.page.click('button[type=submit]')]);
}

// Reload `path` until `check(page)` holds, for work the platform does in the background.
async function until(s, path, what, check, seconds = 45) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    await s.goto(path);
    if (await check(s.page)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} on ${path}`);
    await s.page.waitForTimeout(400);
  }
}

const text = (page, selector) => page.locator(selector).innerText();

await scenario(async (s) => {
  const page = s.page;
  const found = {};
  await s.goto('/app/signin');
  await s.shoot('signin');
  await signIn(s, 'acme', 'ada', 'admin');
  await s.shoot('home');

  // Research: upload with progress, wait for indexing, ask, follow a citation.
  await s.goto('/app/research');
  await page.setInputFiles('#file', env('UPLOAD_FILE'));
  await page.fill('#tags', 'launch');
  await Promise.all([page.waitForURL(/notice=/), page.click('#upload button[type=submit]')]);
  if (!(await text(page, '.notice')).includes('Uploaded')) throw new Error('no upload notice');
  await until(s, '/app/research', 'the document to be indexed', async (p) => (await p.content()).includes('badge indexed'));
  await page.fill('#q', 'Where does the Aurora sensor launch?');
  await page.selectOption('#mode', 'local');
  await Promise.all([page.waitForURL(/q=/), page.click('form[action="/app/research"] button')]);
  const answer = await text(page, '#answer');
  if (!answer.includes('Oslo')) throw new Error(`the answer lacks Oslo: ${answer}`);
  const cite = page.locator('#answer a[href^="#cite-"]').first();
  if ((await cite.count()) === 0) throw new Error('the answer has no citation link');
  await cite.click();
  await s.shoot('research');
  const source = page.locator('ol.citations a').first();
  found.document = await source.getAttribute('href');
  await Promise.all([page.waitForURL(/\/app\/research\/documents\//), source.click()]);
  await s.shoot('document');
  await s.goto('/app/research/graph?q=Aurora');
  const entity = page.locator('main ul a').first();
  if ((await entity.count()) > 0) {
    await Promise.all([page.waitForURL(/id=/), entity.click()]);
    if ((await page.locator('main svg').count()) === 0) throw new Error('no graph diagram');
    found.entity = new URL(page.url()).pathname + new URL(page.url()).search;
  }
  await s.shoot('graph');

  // Brand: a monitor on the fixture feed, scanned, its mentions triaged in bulk.
  await s.goto('/app/brand');
  await page.fill('#name', 'Aurora watch');
  await page.fill('#names', 'Aurora');
  await page.fill('#feed', env('FEED_URL'));
  await Promise.all([page.waitForURL(/\/app\/brand\/monitors\//), page.click('form[action="/app/brand"] button')]);
  const monitor = new URL(page.url()).pathname;
  found.monitor = monitor;
  await Promise.all([page.waitForURL(/notice=/), page.click(`form[action="${monitor}/scan"] button`)]);
  await until(s, monitor, 'mentions from the feed', async (p) => (await p.locator('input[name=mention]').count()) >= 2);
  await page.check('input[data-select-all]');
  await page.selectOption('#action', 'review');
  await Promise.all([page.waitForURL(/notice=/), page.click(`form[action="${monitor}/triage"] button[type=submit]`)]);
  if (!(await text(page, '.notice')).includes('2 mentions updated')) throw new Error('bulk review failed');
  if ((await page.locator('main svg').count()) < 2) throw new Error('analytics charts missing');
  await s.shoot('brand-monitor');
  await Promise.all([page.waitForURL(/notice=/), page.click(`form[action="${monitor}/reports"] button`)]);
  const report = page.locator(`a[href^="${monitor}/reports/"]`).first();
  await Promise.all([page.waitForURL(/\/reports\//), report.click()]);
  found.report = new URL(page.url()).pathname;
  if ((await page.locator('svg').count()) < 2) throw new Error('the report has no charts');
  await s.shoot('brand-report');
  await s.goto('/app/brand');
  await s.shoot('brand');

  // Content: a brief becomes a draft with its findings; ada submits, bob approves and
  // schedules it.
  await s.goto('/app/content');
  await page.fill('#pname', 'Aurora voice');
  await page.fill('#banned', 'cheap');
  await Promise.all([page.waitForURL(/notice=/), page.click('form[action="/app/content/profiles"] button')]);
  await page.fill('#topic', 'The Aurora sensor launch in Oslo');
  await page.selectOption('#profile', { label: 'Aurora voice' });
  await Promise.all([page.waitForURL(/\/app\/content\/items\//), page.click('form[action="/app/content/drafts"] button')]);
  const item = new URL(page.url()).pathname;
  found.item = item;
  if ((await page.locator('#draft-text').count()) === 0) throw new Error('no draft text');
  if ((await page.locator('#score').count()) === 0) throw new Error('no compliance score');
  // A banned word shows up marked in the text, with its finding listed.
  const draftText = await page.inputValue('#body');
  await page.fill('#body', `${draftText}\nAnd it is cheap.`);
  await Promise.all([page.waitForURL(/notice=Saved/), page.click(`form[action="${item}"] button`)]);
  const marked = await page.locator('#draft-text mark.finding').allInnerTexts();
  if (!marked.some((m) => m.toLowerCase().includes('cheap'))) throw new Error(`cheap is not highlighted: ${marked}`);
  if ((await page.locator('#findings li').count()) === 0) throw new Error('no findings listed');
  await s.shoot('content-findings');
  await page.fill('#body', draftText);
  await Promise.all([page.waitForURL(/notice=Saved/), page.click(`form[action="${item}"] button`)]);
  await Promise.all([page.waitForURL(/notice=/), page.click('button:has-text("Submit for review")')]);
  if ((await page.locator('button:has-text("Approve")').count()) !== 0) throw new Error('the submitter is offered Approve');
  await s.shoot('content-item');
  const bob = await s.newSession();
  await signIn(bob, 'acme', 'bob', 'admin');
  await bob.goto(item);
  await Promise.all([bob.page.waitForURL(/notice=/), bob.page.click('button:has-text("Approve")')]);
  await bob.page.fill('#at', '2030-01-07T09:30');
  await bob.page.fill('#tz', 'Europe/Oslo');
  await Promise.all([bob.page.waitForURL(/notice=Scheduled/), bob.page.click(`form[action="${item}/schedule"] button`)]);
  if (!(await text(bob.page, '#publish-status')).includes('scheduled')) throw new Error('not scheduled');
  await bob.close();
  await s.goto('/app/content/calendar?view=week&date=2030-01-07');
  if ((await page.locator(`.calendar a[href="${item}"]`).count()) !== 1) throw new Error('the week lacks the post');
  await s.shoot('calendar-week');
  await s.goto('/app/content/calendar?view=month&date=2030-01-07');
  if ((await page.locator(`.calendar a[href="${item}"]`).count()) !== 1) throw new Error('the calendar lacks the post');
  await s.shoot('calendar');
  await s.goto('/app/content');
  await s.shoot('content');

  // Agents: a definition with a mistake is refused with the step and field; the fixed one
  // runs, waits for approval, and is approved from the page.
  await s.goto('/app/agents');
  await page.fill('#name', 'launch-brief');
  await page.fill('#definition', 'steps:\n  - id: find\n    type: tool\n    tool: research.search\n    retry: {attempts: 99}\n');
  // The editor answers a refused definition with 400 and the errors beside it.
  s.expect4xx(/\/app\/agents$/);
  await page.click('form[action="/app/agents"] button');
  await page.waitForSelector('#definition-errors');
  const errors = await text(page, '#definition-errors');
  if (!errors.includes('find') || !errors.includes('retry.attempts')) throw new Error(`errors: ${errors}`);
  await s.shoot('agents-errors');
  await page.fill('#definition', 'steps:\n  - id: find\n    type: tool\n    tool: research.search\n    input: {query: $.input.topic}\n  - id: review\n    type: approval\n    prompt: Share the findings?\n    input: {hits: $.steps.find.output}\n');
  await Promise.all([page.waitForURL(/\/app\/agents\/workflows\//), page.click('form[action="/app/agents"] button')]);
  found.workflow = new URL(page.url()).pathname;
  await s.shoot('workflow');
  await page.fill('#input', '{"topic": "Aurora launch"}');
  await Promise.all([page.waitForURL(/\/app\/agents\/executions\//), page.click('button:has-text("Run")')]);
  const execution = new URL(page.url()).pathname;
  found.execution = execution;
  await until(s, execution, 'the approval', async (p) => (await p.locator('section.approval').count()) === 1);
  if (!(await text(page, '#status')).includes('waiting approval')) throw new Error('the run is not shown as waiting');
  await s.shoot('execution-waiting');
  await s.goto('/app/agents');
  if ((await page.locator('#pending a').count()) !== 1) throw new Error('the pending approval is not listed');
  await s.shoot('agents');
  await s.goto(execution);
  await Promise.all([page.waitForURL(/notice=/), page.click('button[value=approved]')]);
  await until(s, execution, 'the run to succeed', async (p) => (await p.locator('#status .badge.succeeded').count()) === 1);
  if (!(await text(page, '#output')).includes('"decision": "approved"')) throw new Error('the output lacks the decision');
  await s.shoot('execution');

  await s.goto('/app/admin');
  if ((await page.locator('#rate-limit').count()) === 0) throw new Error('no rate-limit figure');
  await s.shoot('admin');

  // A viewer of tenant A sees no button they cannot use.
  const viewer = await s.newSession();
  await signIn(viewer, 'acme', 'val', 'viewer');
  await viewer.goto('/app/research');
  if ((await viewer.page.locator('#upload').count()) !== 0) throw new Error('a viewer sees the upload form');
  await viewer.goto(monitor);
  if ((await viewer.page.locator('input[name=mention], button:has-text("Scan now")').count()) !== 0) throw new Error('a viewer sees triage');
  await viewer.goto(item);
  if ((await viewer.page.locator('main form button').count()) !== 0) throw new Error('a viewer sees content actions');
  if ((await viewer.page.locator('nav a[href="/app/agents"], nav a[href="/app/admin"]').count()) !== 0) throw new Error('a viewer sees agents or admin');
  await viewer.shoot('viewer-item');
  await viewer.close();

  // Tenant B, trying tenant A's pages directly, finds nothing of A's.
  const b = await s.newSession();
  await signIn(b, 'globex', 'eve', 'admin');
  const mine = [found.document, found.monitor, found.item, found.workflow, found.execution];
  for (const path of mine) {
    const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    s.expect4xx(new RegExp(`${escaped}$`));
    const status = await b.goto(path);
    if (status !== 404) throw new Error(`tenant B got ${status} for ${path}`);
    const html = await b.page.content();
    for (const secret of ['Aurora', 'Oslo', 'ada']) {
      if (html.includes(secret)) throw new Error(`tenant B sees ${secret} on ${path}`);
    }
  }
  // A's entity in the graph explorer and A's report (which sends B back to A's monitor,
  // not found): nothing of A's either.
  s.expect4xx(new RegExp(`${found.monitor}\\?error=`));
  for (const path of [found.entity, found.report].filter(Boolean)) {
    await b.goto(path);
    const html = await b.page.content();
    if (html.includes('Aurora') || html.includes('Nordlys')) throw new Error(`tenant B sees A's data on ${path}`);
  }
  for (const path of ['/app/research', '/app/brand', '/app/content', '/app/agents', '/app/admin']) {
    await b.goto(path);
    const html = await b.page.content();
    if (html.includes('Aurora')) throw new Error(`tenant B's ${path} shows tenant A's data`);
  }
  await b.shoot('tenant-b');
  await b.close();
  return found;
});
