// The authentication settings page in Chromium: an administrator changes
// the session timeout (a bad value is shown next to its field), the change
// persists, and an agent without the permission is told so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { openPage, useServerAndBrowser } from '../support/browser.mjs';
import { DESKGATE_BIN, ROOT } from '../support/paths.mjs';

const env = await useServerAndBrowser();
const PASSWORD = 'plum orchard lantern 42';

function addUser(email, role) {
  execFileSync(DESKGATE_BIN, ['user', 'add', '--portal', 'agent', '--email', email, '--role', role,
    '--db', env.server.dbPath], { input: `${PASSWORD}\n` });
}

async function signIn(email) {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, `${env.server.url}/login/agent.html`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForSelector('#sign-out:not([hidden])');
  return { page, problems, context };
}

test('an administrator edits session and password settings', async () => {
  addUser('admin@example.com', 'Administrator');
  const { page, problems, context } = await signIn('admin@example.com');
  await page.click('text=Agent Authentication');
  await page.waitForSelector('body[data-ready="true"] #settings-form:not([hidden])');
  assert.equal(await page.isChecked('input[name="mode"][value="password"]'), true);
  assert.equal(await page.isDisabled('input[name="mode"][value="sso"]'), true);

  await page.click('#tab-session');
  await page.fill('input[name="idle_timeout_minutes"]', '3');
  await page.click('#save');
  await page.waitForSelector('[data-error-for="session.idle_timeout_minutes"]:not([hidden])');
  assert.match(await page.textContent('[data-error-for="session.idle_timeout_minutes"]'), /from 5 to 1440/);
  assert.equal(await page.getAttribute('input[name="idle_timeout_minutes"]', 'aria-invalid'), 'true');

  await page.fill('input[name="idle_timeout_minutes"]', '45');
  await page.click('#tab-password');
  await page.fill('input[name="min_length"]', '14');
  await page.check('input[name="require_symbol"]');
  assert.equal(await page.isVisible('[data-advice-for="composition"]'), true);
  await page.fill('#try-password', 'short one');
  assert.equal(await page.getAttribute('#checklist [data-rule="min_length"]', 'data-status'), 'fail');
  await page.screenshot({ path: path.join(ROOT, 'build/screenshots/settings-password.png'), fullPage: true });
  await page.click('#save');
  await page.waitForSelector('.save-ok');

  await page.reload();
  await page.waitForSelector('body[data-ready="true"] #settings-form:not([hidden])');
  assert.equal(await page.inputValue('input[name="idle_timeout_minutes"]'), '45');
  assert.equal(await page.inputValue('input[name="min_length"]'), '14');
  assert.equal(await page.isChecked('input[name="require_symbol"]'), true);
  await page.click('#tab-session');
  await page.screenshot({ path: path.join(ROOT, 'build/screenshots/settings-session.png'), fullPage: true });
  assert.deepEqual(problems.filter((p) => !/status of 400/.test(p)), []);
  await context.close();
});

test('an agent without the permission sees why the settings are hidden', async () => {
  addUser('agent@example.com', 'Agent');
  const { page, context } = await signIn('agent@example.com');
  assert.equal(await page.isVisible('text=Agent Authentication'), false);
  await page.goto(`${env.server.url}/settings/authentication.html?portal=contact`);
  await page.waitForSelector('body[data-ready="true"]');
  assert.match(await page.textContent('#load-error'), /Access to Agent & Contact Authentication/);
  assert.equal(await page.isVisible('#settings-form'), false);
  await context.close();
});
