// The MFA tab of the authentication settings in Chromium: the issuer is
// checked as it is typed, turning MFA on "immediately" is confirmed in the
// page's dialog and ends the portal's other sessions (not the admin's),
// saving another tab keeps the MFA section (PUT takes the whole document),
// and turning a method or MFA off asks first; Cancel saves nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openPage, useServerAndBrowser } from '../support/browser.mjs';
import { SHOTS, addUser, apiLogin, submitPassword, unexpected, waitForHome } from '../support/mfa.mjs';

const env = await useServerAndBrowser();

async function openMfaTab(page) {
  await page.goto(`${env.server.url}/settings/authentication.html?portal=agent`);
  await page.waitForSelector('body[data-ready="true"] #settings-form:not([hidden])');
  await page.click('#tab-mfa');
}

async function savedMfa(page) {
  return page.evaluate(async () => (await (await fetch('/api/settings/authentication/agent')).json()).mfa);
}

test('the MFA tab saves, confirms what weakens MFA or ends sessions, and keeps MFA when other tabs save', async () => {
  addUser(env.server, { email: 'admin@example.com', name: 'Ada Admin', role: 'Administrator' });
  addUser(env.server, { email: 'sam@example.com', name: 'Sam Agent', role: 'Agent' });
  const { client: sam } = await apiLogin(env.server, 'agent', 'sam@example.com');

  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, `${env.server.url}/login/agent.html`);
  await submitPassword(page, env.server, 'agent', 'admin@example.com');
  await waitForHome(page);
  await openMfaTab(page);
  assert.equal(await page.isChecked('input[name="authenticator_app"]'), false);
  assert.equal(await page.isChecked('input[name="email_otp"]'), false);
  assert.equal(await page.inputValue('input[name="issuer"]'), 'deskgate Helpdesk');
  assert.equal(await page.isChecked('input[name="enforcement"][value="next_login"]'), true);
  assert.match(await page.textContent('#mfa-summary'), /MFA is off/);

  // The issuer: no colon, checked while typing and again on save.
  await page.fill('input[name="issuer"]', 'Support: RTX');
  assert.match(await page.textContent('[data-error-for="mfa.issuer"]'), /colon/);
  assert.equal(await page.getAttribute('input[name="issuer"]', 'aria-invalid'), 'true');
  await page.click('#save');
  assert.match(await page.textContent('#save-status'), /Fix the highlighted field/);
  await page.fill('input[name="issuer"]', '');
  assert.match(await page.textContent('[data-error-for="mfa.issuer"]'), /1 to 64 characters/);
  await page.fill('input[name="issuer"]', 'RTX – Support Portal');
  assert.equal(await page.isVisible('[data-error-for="mfa.issuer"]'), false);

  // Both methods, at once: the dialog says sessions end; the admin's stays.
  await page.check('input[name="authenticator_app"]');
  await page.check('input[name="email_otp"]');
  assert.match(await page.textContent('#mfa-summary'), /choose between their app and an emailed code/);
  await page.check('input[name="enforcement"][value="immediately"]');
  await page.click('#save');
  await page.waitForSelector('#confirm-dialog[open]');
  assert.match(await page.textContent('#confirm-title'), /Require MFA for agents now\?/);
  assert.match(await page.textContent('#confirm-message'), /Every active session of the agent portal ends now, except yours/);
  await page.screenshot({ path: path.join(SHOTS, 'settings-mfa-confirm.png') });
  await page.click('#confirm-dialog [data-action="confirm"]');
  await page.waitForSelector('.save-ok');
  assert.match(await page.textContent('#save-status'), /Every other session of the agent portal has ended/);
  assert.equal((await sam.call('GET', '/api/me')).status, 401, "Sam's session ended");
  assert.deepEqual(await savedMfa(page), {
    authenticator_app: true, email_otp: true, issuer: 'RTX – Support Portal', enforcement: 'immediately',
  });

  // Another tab saves the whole document: MFA stays as it was.
  await openMfaTab(page);
  assert.equal(await page.isChecked('input[name="authenticator_app"]'), true);
  assert.equal(await page.isChecked('input[name="enforcement"][value="immediately"]'), true);
  await page.click('#tab-session');
  await page.fill('input[name="idle_timeout_minutes"]', '45');
  await page.click('#save');
  await page.waitForSelector('.save-ok');
  assert.equal(await page.isVisible('#confirm-dialog'), false);
  assert.equal((await savedMfa(page)).email_otp, true);

  // Turning email codes off asks first; Cancel saves nothing.
  await page.click('#tab-mfa');
  await page.uncheck('input[name="email_otp"]');
  await page.click('#save');
  await page.waitForSelector('#confirm-dialog[open]');
  assert.match(await page.textContent('#confirm-title'), /Turn off email codes for agents\?/);
  await page.click('#confirm-dialog [data-action="cancel"]');
  assert.equal(await page.textContent('#save-status'), 'Not saved.');
  assert.equal((await savedMfa(page)).email_otp, true);
  await page.click('#save');
  await page.waitForSelector('#confirm-dialog[open]');
  await page.click('#confirm-dialog [data-action="confirm"]');
  await page.waitForSelector('.save-ok');
  assert.equal((await savedMfa(page)).email_otp, false);

  // Turning MFA off altogether has its own, plainer warning.
  await page.uncheck('input[name="authenticator_app"]');
  await page.click('#save');
  await page.waitForSelector('#confirm-dialog[open]');
  assert.match(await page.textContent('#confirm-title'), /Turn off multi-factor authentication for agents\?/);
  assert.match(await page.textContent('#confirm-message'), /password alone/);
  await page.screenshot({ path: path.join(SHOTS, 'settings-mfa-disable-confirm.png') });
  await page.keyboard.press('Escape');
  assert.equal(await page.textContent('#save-status'), 'Not saved.');
  await page.click('#save');
  await page.click('#confirm-dialog [data-action="confirm"]');
  await page.waitForSelector('.save-ok');
  const off = await savedMfa(page);
  assert.equal(off.authenticator_app || off.email_otp, false);
  assert.equal(off.issuer, 'RTX – Support Portal');

  await openMfaTab(page);
  assert.equal(await page.isChecked('input[name="authenticator_app"]'), false);
  assert.equal(await page.isChecked('input[name="email_otp"]'), false);
  assert.deepEqual(unexpected(problems), []);
  await context.close();
});
