// A forced password change in Chromium: an administrator requires it, the
// agent signs in, lands on the change-password page, and can continue only
// after choosing a new password that meets the policy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { openPage, useServerAndBrowser } from '../support/browser.mjs';
import { DESKGATE_BIN, ROOT } from '../support/paths.mjs';

const env = await useServerAndBrowser();
const PASSWORD = 'plum orchard lantern 42';

async function api(method, url, body, cookie) {
  const response = await fetch(`${env.server.url}${url}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, cookie: response.headers.get('set-cookie')?.split(';')[0], body: await response.json() };
}

test('a required password change comes first, with a live checklist', async () => {
  for (const [email, role] of [['admin@example.com', 'Administrator'], ['sam@example.com', 'Agent']]) {
    execFileSync(DESKGATE_BIN, ['user', 'add', '--portal', 'agent', '--email', email, '--name', 'Sam Agent',
      '--role', role, '--db', env.server.dbPath], { input: `${PASSWORD}\n` });
  }
  const admin = await api('POST', '/api/agent/login', { email: 'admin@example.com', password: PASSWORD });
  const sam = await api('POST', '/api/agent/login', { email: 'sam@example.com', password: PASSWORD });
  const me = await api('GET', '/api/me', null, sam.cookie);
  const reset = await api('POST', `/api/people/${me.body.id}/require-password-change`, {}, admin.cookie);
  assert.equal(reset.status, 200);

  const { page, problems } = await openPage(env.browser, `${env.server.url}/login/agent.html`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.fill('input[name="email"]', 'sam@example.com');
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForURL(/\/account\/password\.html$/);
  await page.waitForSelector('body[data-ready="true"]');
  assert.match(await page.textContent('#reason'), /must be changed before you continue/);

  await page.fill('input[name="current_password"]', PASSWORD);
  await page.fill('input[name="new_password"]', 'sam rocks');
  assert.equal(await page.getAttribute('#checklist [data-rule="personal_info"]', 'data-status'), 'fail');
  await page.click('button[type="submit"]');
  assert.match(await page.textContent('#new_password-error'), /at least 12 characters/);
  await page.fill('input[name="current_password"]', 'wrong current password');
  await page.fill('input[name="new_password"]', 'quiet harbour compass 17');
  await page.click('button[type="submit"]');
  await page.waitForSelector('#current_password-error:not([hidden])');
  assert.match(await page.textContent('#current_password-error'), /incorrect/);
  await page.screenshot({ path: path.join(ROOT, 'build/screenshots/change-password.png'), fullPage: true });

  await page.fill('input[name="current_password"]', PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForSelector('#done:not([hidden])');
  await page.click('#done a');
  await page.waitForSelector('body[data-ready="true"] #sign-out:not([hidden])');
  assert.equal(await page.textContent('#greeting'), 'Welcome, Sam Agent');
  assert.deepEqual(problems.filter((p) => !/status of 400/.test(p)), []);
  await page.close();
});
