// First run to signed in, in Chromium: the setup link creates the first
// administrator, who signs in to the agent portal, sees their name, and signs out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openPage, useServerAndBrowser } from '../support/browser.mjs';
import { ROOT } from '../support/paths.mjs';

const env = await useServerAndBrowser();
const shots = path.join(ROOT, 'build/screenshots');
const PASSWORD = 'plum orchard lantern 42';

test('first-run setup, agent sign-in, and sign-out', async () => {
  fs.mkdirSync(shots, { recursive: true });
  const link = await env.server.setupLink();
  const { page, problems } = await openPage(env.browser, link);
  await page.waitForSelector('body[data-ready="true"]');
  await page.fill('input[name="name"]', 'Ada Admin');
  await page.fill('input[name="email"]', 'ada@example.com');
  await page.fill('input[name="password"]', 'ada');
  assert.equal(await page.getAttribute('#checklist [data-rule="personal_info"]', 'data-status'), 'fail');
  await page.click('#create');
  assert.match(await page.textContent('#password-error'), /at least 12 characters/);
  await page.fill('input[name="password"]', PASSWORD);
  await page.screenshot({ path: path.join(shots, 'setup.png'), fullPage: true });
  await page.click('#create');
  await page.waitForSelector('#done:not([hidden])');
  assert.equal(new URL(page.url()).hash, '', 'the used token is dropped from the address bar');

  // The link works once only.
  const again = await openPage(env.browser, link);
  await again.page.waitForSelector('body[data-ready="true"]');
  await again.page.fill('input[name="name"]', 'Mallory');
  await again.page.fill('input[name="email"]', 'mallory@example.com');
  await again.page.fill('input[name="password"]', 'another long passphrase 7');
  await again.page.click('#create');
  await again.page.waitForSelector('#form-error:not([hidden])');
  assert.match(await again.page.textContent('#form-error'), /invalid, expired or already used/);
  await again.page.close();

  await page.goto(`${env.server.url}/login/agent.html`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.fill('input[name="email"]', 'ada@example.com');
  await page.fill('input[name="password"]', 'wrong password here');
  await page.click('button[type="submit"]');
  await page.waitForSelector('#form-error:not([hidden])');
  assert.equal(await page.textContent('#form-error'), 'The email or password is incorrect.');
  await page.screenshot({ path: path.join(shots, 'login-agent.png'), fullPage: true });

  await page.fill('input[name="password"]', PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForSelector('body[data-ready="true"] #sign-out:not([hidden])');
  assert.equal(await page.textContent('#greeting'), 'Welcome, Ada Admin');
  assert.match(await page.textContent('#summary'), /agent portal as Administrator/);
  await page.screenshot({ path: path.join(shots, 'home.png'), fullPage: true });

  await page.click('#sign-out');
  await page.waitForURL(/\/login\/agent\.html$/);
  const me = await page.evaluate(async () => (await fetch('/api/me')).status);
  assert.equal(me, 401);
  // 401s from the failed login and the final /api/me are expected console noise.
  assert.deepEqual(problems.filter((p) => !/status of 401/.test(p)), []);
  await page.close();
});

test('a page followed while signed out comes back after sign-in, on the portal last used', async () => {
  // Ada exists from the test above: sign in once so this browser knows its portal.
  const { page } = await openPage(env.browser, `${env.server.url}/account/sessions.html`);
  await page.waitForURL(/\/login\/agent\.html$/);
  await page.waitForSelector('body[data-ready="true"]');
  await page.fill('input[name="email"]', 'ada@example.com');
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForURL(/\/account\/sessions\.html$/);

  // An explicit ?next= works the same; one that leaves the site, or points
  // at sign-in, goes home instead.
  await page.evaluate(() => fetch('/api/logout', { method: 'POST' }));
  await page.goto(`${env.server.url}/login/agent.html?next=${encodeURIComponent('/account/security.html')}`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.fill('input[name="email"]', 'ada@example.com');
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForURL(/\/account\/security\.html$/);
  for (const next of ['//evil.example/x', 'https://evil.example/', '/login/agent.html', '/\\evil.example',
    '/\t/evil.example', '/\n/evil.example', '/%2e%2e/login/agent.html']) {
    await page.evaluate(() => fetch('/api/logout', { method: 'POST' }));
    await page.goto(`${env.server.url}/login/agent.html?next=${encodeURIComponent(next)}`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('input[name="email"]', 'ada@example.com');
    await page.fill('input[name="password"]', PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/home\.html(\?status=ok)?$/);
  }
  await page.close();
});
