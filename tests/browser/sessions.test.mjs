// The sessions page in Chromium: two browsers signed in as the same agent;
// one ends the other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { openPage, useServerAndBrowser } from '../support/browser.mjs';
import { DESKGATE_BIN, ROOT } from '../support/paths.mjs';

const env = await useServerAndBrowser();
const PASSWORD = 'plum orchard lantern 42';

async function signedInPage() {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, `${env.server.url}/login/agent.html`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.fill('input[name="email"]', 'jane@example.com');
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForSelector('#sign-out:not([hidden])');
  return { page, problems, context };
}

test('ending another session from the sessions page', async () => {
  execFileSync(DESKGATE_BIN, ['user', 'add', '--portal', 'agent', '--email', 'jane@example.com',
    '--db', env.server.dbPath], { input: `${PASSWORD}\n` });
  const first = await signedInPage();
  const second = await signedInPage();
  await first.page.click('text=Your sessions');
  await first.page.waitForSelector('body[data-ready="true"]');
  assert.equal(await first.page.locator('.session').count(), 2);
  assert.match(await first.page.textContent('.session[data-current="true"]'), /Chrome on Linux/);
  await first.page.screenshot({ path: path.join(ROOT, 'build/screenshots/sessions.png'), fullPage: true });
  await first.page.click('#end-others');
  await first.page.waitForSelector('text=Signed out of 1 other session.');
  // The message shows before the list reloads: wait for the list itself.
  await first.page.waitForFunction(() => document.querySelectorAll('.session').length === 1);
  assert.equal(await first.page.locator('.session').count(), 1);

  const status = await second.page.evaluate(async () => (await fetch('/api/me')).status);
  assert.equal(status, 401);
  assert.deepEqual(first.problems, []);
  await first.context.close();
  await second.context.close();
});
