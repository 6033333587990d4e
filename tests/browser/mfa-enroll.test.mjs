// Authenticator-app MFA end to end in Chromium: an administrator turns the
// app on for agents in the MFA tab; an agent signs in, is asked to set it up
// in the sign-in card, scans the QR code (a screenshot read by zbarimg, the
// code computed by otplib), downloads the 10 recovery codes, and continues
// home. Then the agent signs in again with an app code, and once more with a
// recovery code from the downloaded file; a used code is refused, and the
// challenge's "ask an administrator" works once per two hours.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openPage, useServerAndBrowser } from '../support/browser.mjs';
import {
  RECOVERY_CODE, SHOTS, addUser, decodeQr, screenshot, signOut, submitPassword, totpCode, unexpected, waitForHome,
} from '../support/mfa.mjs';

const env = await useServerAndBrowser();
const ISSUER = 'RTX – Support Portal';
const EMAIL = 'jane.doe@example.com';

function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

test('enrollment at sign-in, then sign-in with the app and with a recovery code', async () => {
  addUser(env.server, { email: 'admin@example.com', name: 'Ada Admin', role: 'Administrator' });
  addUser(env.server, { email: EMAIL, name: 'Jane Doe', role: 'Agent' });

  // The administrator turns the authenticator app on for agents.
  const adminContext = await env.browser.newContext();
  const admin = await openPage(adminContext, `${env.server.url}/login/agent.html`);
  await submitPassword(admin.page, env.server, 'agent', 'admin@example.com');
  await waitForHome(admin.page);
  await admin.page.click('text=Agent Authentication');
  await admin.page.waitForSelector('body[data-ready="true"] #settings-form:not([hidden])');
  await admin.page.click('#tab-mfa');
  assert.equal(await admin.page.isChecked('input[name="authenticator_app"]'), false);
  await admin.page.check('input[name="authenticator_app"]');
  await admin.page.fill('input[name="issuer"]', ISSUER);
  await admin.page.check('input[name="enforcement"][value="next_login"]');
  assert.match(await admin.page.textContent('#mfa-summary'), /set it up at their next sign-in/);
  await screenshot(admin.page, 'settings-mfa', { mobile: true });
  await admin.page.click('#save');
  await admin.page.waitForSelector('.save-ok');
  assert.deepEqual(unexpected(admin.problems), []);
  await adminContext.close();

  // Jane signs in: after the password, the app's setup in the same card.
  const context = await env.browser.newContext({ acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.url });
  const { page, problems } = await openPage(context, `${env.server.url}/login/agent.html`);
  await submitPassword(page, env.server, 'agent', EMAIL);
  await page.waitForSelector('#enroll-step #totp-qr svg');
  assert.equal(await page.isVisible('#login-form'), false);
  assert.equal(await page.getAttribute('#totp-code', 'inputmode'), 'numeric');
  assert.equal(await page.getAttribute('#totp-code', 'autocomplete'), 'one-time-code');
  await screenshot(page, 'login-enroll', { mobile: true });

  // The QR code, photographed and decoded, is the otpauth URI of the shown key.
  const qrFile = path.join(SHOTS, 'login-enroll-qr.png');
  await page.locator('#totp-qr').screenshot({ path: qrFile });
  const uri = new URL(decodeQr(qrFile));
  assert.equal(uri.protocol, 'otpauth:');
  assert.equal(uri.host, 'totp');
  assert.equal(decodeURIComponent(uri.pathname.slice(1)), `${ISSUER}:${EMAIL}`);
  assert.equal(uri.searchParams.get('issuer'), ISSUER);
  const secret = uri.searchParams.get('secret');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  assert.equal((await page.textContent('#totp-key')).replace(/\s/g, ''), secret);

  // A wrong code is refused in place; the right one gives the recovery codes.
  const code = totpCode(secret);
  await page.fill('#totp-code', String((Number(code) + 500000) % 1000000).padStart(6, '0'));
  await page.click('#totp-confirm');
  await page.waitForSelector('#totp-error:not([hidden])');
  await page.fill('#totp-code', code);
  await page.click('#totp-confirm');
  await page.waitForSelector('#recovery-step');
  const shown = await page.$$eval('#recovery-codes li', (items) => items.map((li) => li.textContent));
  assert.equal(shown.length, 10);
  for (const c of shown) assert.match(c, RECOVERY_CODE);
  assert.equal(await page.isDisabled('#codes-continue'), true);
  await screenshot(page, 'login-recovery-codes', { mobile: true });

  // Download .txt: a header naming the account and the day, then the codes.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-codes')]);
  assert.equal(download.suggestedFilename(), 'deskgate-recovery-codes.txt');
  const lines = fs.readFileSync(await download.path(), 'utf8').trimEnd().split('\n');
  assert.match(lines[0], new RegExp(`${EMAIL.replace(/\./g, '\\.')}.*${today()}`));
  const fileCodes = lines.slice(1);
  assert.equal(fileCodes.length, 10);
  for (const c of fileCodes) assert.match(c, RECOVERY_CODE);
  assert.deepEqual(fileCodes, shown);
  await page.click('#copy-codes');
  await page.waitForSelector('#codes-status.save-ok');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), shown.join('\n'));

  await page.check('#codes-saved');
  await page.click('#codes-continue');
  await waitForHome(page);
  assert.equal(await page.textContent('#greeting'), 'Welcome, Jane Doe');
  await signOut(page);

  // Signing in again asks for a code from the app. The step used to enroll
  // is spent, so the code is the next step's (the server takes ±1 step).
  await submitPassword(page, env.server, 'agent', EMAIL);
  await page.waitForSelector('#mfa-step:not([hidden])');
  assert.match(await page.textContent('#mfa-prompt'), /authenticator app/);
  assert.equal(await page.isVisible('text=Use a recovery code'), true);
  assert.equal(await page.isVisible('text=Email me a code instead'), false, 'email codes are off');
  assert.equal(await page.getAttribute('#otp', 'autocomplete'), 'one-time-code');
  await screenshot(page, 'login-mfa-totp', { mobile: true });
  await page.fill('#otp', '12345');
  await page.click('#verify');
  assert.match(await page.textContent('#mfa-error'), /6-digit/);
  await page.fill('#otp', totpCode(secret, 1));
  await page.click('#verify');
  await waitForHome(page);
  await signOut(page);

  // And with a recovery code from the file, which then works no more.
  await submitPassword(page, env.server, 'agent', EMAIL);
  await page.waitForSelector('#mfa-step:not([hidden])');
  await page.click('text=Use a recovery code');
  assert.equal(await page.isVisible('#otp'), false);
  assert.equal(await page.isVisible('text=Use your authenticator app'), true);
  await page.fill('#recovery-code', fileCodes[3]);
  await screenshot(page, 'login-mfa-recovery');
  await page.click('#verify');
  await waitForHome(page);
  await signOut(page);

  await submitPassword(page, env.server, 'agent', EMAIL);
  await page.waitForSelector('#mfa-step:not([hidden])');
  await page.click('text=Use a recovery code');
  await page.fill('#recovery-code', fileCodes[3]);
  await page.click('#verify');
  await page.waitForSelector('#mfa-error:not([hidden])');
  assert.match(await page.textContent('#mfa-error'), /not valid/);
  // Lost phone and codes: ask an administrator from the challenge itself.
  await page.click('text=Lost your recovery codes? Ask an administrator');
  await page.waitForSelector('#ask-admin-status:not([hidden])');
  assert.match(await page.textContent('#ask-admin-status'), /Request sent/);
  // Typing is forgiving: upper case, no hyphens.
  await page.fill('#recovery-code', fileCodes[4].replace(/-/g, '').toUpperCase());
  await page.click('#verify');
  await waitForHome(page);
  await signOut(page);

  // A second request within two hours: the server's answer, as it is.
  await submitPassword(page, env.server, 'agent', EMAIL);
  await page.waitForSelector('#mfa-step:not([hidden])');
  await page.click('text=Lost your recovery codes? Ask an administrator');
  await page.waitForSelector('#ask-admin-status.notice-error');
  assert.match(await page.textContent('#ask-admin-status'), /^You asked for new recovery codes recently\. You can ask again in /);
  await screenshot(page, 'login-mfa-ask-admin');

  assert.deepEqual(unexpected(problems), []);
  await context.close();
});
