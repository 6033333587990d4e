// The password requirements page in real Chromium against a real server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openPage, useServerAndBrowser } from '../support/browser.mjs';
import { ROOT } from '../support/paths.mjs';

const env = await useServerAndBrowser();

async function openPolicyPage() {
  const opened = await openPage(env.browser, `${env.server.url}/password-policy.html`);
  await opened.page.waitForSelector('body[data-ready="true"]');
  return opened;
}

const ruleStatus = (page, rule) =>
  page.getAttribute(`#checklist [data-rule="${rule}"]`, 'data-status');

test('the module loads and typing updates the checklist', async () => {
  const { page, problems } = await openPolicyPage();
  assert.equal(await ruleStatus(page, 'min_length'), 'fail');

  await page.fill('#password', 'sunshine');
  assert.equal(await ruleStatus(page, 'common'), 'fail');
  assert.match(await page.textContent('#length-hint'), /^8 characters$/);

  await page.fill('#password', 'plum orchard lantern 42');
  assert.equal(await ruleStatus(page, 'min_length'), 'pass');
  assert.equal(await ruleStatus(page, 'common'), 'pass');
  assert.match(await page.textContent('#verdict'), /meets the policy/);

  // Typing key by key goes through the same path as fill().
  await page.fill('#password', '');
  await page.type('#password', 'jane');
  assert.equal(await ruleStatus(page, 'personal_info'), 'fail');
  assert.deepEqual(problems, []);
  await page.close();
});

test('policy changes apply live, and bad values name the field', async () => {
  const { page, problems } = await openPolicyPage();
  await page.fill('#password', 'plum orchard lantern 42');
  assert.equal(await page.$('#checklist [data-rule="uppercase"]'), null, 'off rules are hidden');

  await page.check('input[name="require_uppercase"]');
  assert.equal(await ruleStatus(page, 'uppercase'), 'fail');
  assert.equal(await page.isVisible('[data-advice-for="composition"]'), true);

  await page.fill('input[name="min_length"]', '4');
  assert.match(await page.textContent('#policy-error'), /min_length: must be an integer from 8 to 128/);
  assert.equal(await page.getAttribute('input[name="min_length"]', 'aria-invalid'), 'true');

  await page.fill('input[name="min_length"]', '30');
  assert.equal(await page.isVisible('#policy-error'), false);
  assert.equal(await ruleStatus(page, 'min_length'), 'fail');
  assert.match(await page.textContent('#policy-json'), /"min_length": 30/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('screenshot of the page for review', async () => {
  const { page, problems } = await openPolicyPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.check('input[name="require_digit"]');
  await page.fill('#password', 'Jane-2024');
  const out = path.join(ROOT, 'build/screenshots');
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, 'password-policy.png');
  await page.screenshot({ path: file, fullPage: true });
  assert.ok(fs.statSync(file).size > 10000);
  assert.deepEqual(problems, []);
  await page.close();
});
