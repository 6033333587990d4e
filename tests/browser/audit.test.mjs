// The audit log page in Chromium: an administrator filters failed sign-ins
// and the export link carries the same filters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { openPage, useServerAndBrowser } from '../support/browser.mjs';
import { DESKGATE_BIN, ROOT } from '../support/paths.mjs';

const env = await useServerAndBrowser();
const PASSWORD = 'plum orchard lantern 42';

test('filtering the audit log and exporting it', async () => {
  execFileSync(DESKGATE_BIN, ['user', 'add', '--portal', 'agent', '--email', 'admin@example.com',
    '--role', 'Administrator', '--db', env.server.dbPath], { input: `${PASSWORD}\n` });
  for (const password of ['wrong one', 'wrong two']) {
    await fetch(`${env.server.url}/api/agent/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.com', password }),
    });
  }
  const { page, problems } = await openPage(env.browser, `${env.server.url}/login/agent.html`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.fill('input[name="email"]', 'admin@example.com');
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForSelector('#sign-out:not([hidden])');
  await page.click('text=Audit log');
  await page.waitForSelector('body[data-ready="true"] #rows tr');
  assert.ok(await page.locator('#rows tr[data-event="login.success"]').count() >= 1);

  await page.selectOption('select[name="event"]', 'login.failure');
  await page.click('button[type="submit"]');
  await page.waitForFunction(() => document.querySelectorAll('#rows tr').length === 2 &&
    [...document.querySelectorAll('#rows tr')].every((tr) => tr.dataset.event === 'login.failure'));
  assert.equal(await page.textContent('#summary'), '1–2 of 2');
  assert.match(await page.getAttribute('#export', 'href'), /event=login.failure/);
  const csv = await page.evaluate(async () => (await fetch(document.getElementById('export').href)).text());
  assert.equal(csv.trim().split('\r\n').length, 3);  // header + 2 rows
  await page.screenshot({ path: path.join(ROOT, 'build/screenshots/audit.png'), fullPage: true });
  assert.deepEqual(problems.filter((p) => !/status of 401/.test(p)), []);
  await page.close();
});
