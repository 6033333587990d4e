// Recovery codes in Chromium: an agent who is running out sees it on the
// Security page and asks an administrator (once per two hours); someone
// with the MFA recovery permission finds the request, views the unused
// codes, issues a new set, and resets the agent's MFA, which signs the
// agent out and sends them through enrollment again. Without the permission
// the page says why. The Outbox, with no mail server, says messages wait.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openPage, useServerAndBrowser } from '../support/browser.mjs';
import {
  SHOTS, addRole, addUser, apiClient, apiLogin, contextWithSession, enrollTotp, screenshot, setMfa, submitPassword,
  totpCode, unexpected, waitForHome,
} from '../support/mfa.mjs';

const env = await useServerAndBrowser();
const people = {};

async function signedIn(email) {
  const context = await env.browser.newContext();
  const opened = await openPage(context, `${env.server.url}/login/agent.html`);
  await submitPassword(opened.page, env.server, 'agent', email);
  await waitForHome(opened.page);
  return { context, ...opened };
}

// A sign-in through the API with a recovery code; the HTTP status of the verify.
async function recoverySignIn(email, code) {
  const { client, login } = await apiLogin(env.server, 'agent', email);
  assert.equal(login.status, 'mfa_required');
  return (await client.call('POST', '/api/agent/mfa/verify', { method: 'recovery', code })).status;
}

test('running low, asking for codes, and an administrator views, reissues and resets', async () => {
  addRole(env.server, 'Security desk', ['manage_agent_mfa']);
  addUser(env.server, { email: 'admin@example.com', name: 'Ada Admin', role: 'Administrator' });
  addUser(env.server, { email: 'helen@example.com', name: 'Helen Desk', role: 'Security desk' });
  addUser(env.server, { email: 'rob@example.com', name: 'Rob Agent', role: 'Agent' });
  addUser(env.server, { email: 'pat@example.com', name: 'Pat Agent', role: 'Agent' });
  // Helen and Pat sign in before agents need the app (it applies at next sign-in).
  people.helen = await signedIn('helen@example.com');
  people.pat = await signedIn('pat@example.com');
  people.admin = (await apiLogin(env.server, 'agent', 'admin@example.com')).client;
  await setMfa(people.admin, 'agent', { authenticator_app: true, enforcement: 'next_login' });

  // Rob enrolls and spends seven of his ten codes.
  const rob = apiClient(env.server);
  const login = await rob.call('POST', '/api/agent/login', { email: 'rob@example.com', password: 'plum orchard lantern 42' });
  assert.equal(login.body.status, 'mfa_setup_required');
  const { codes, secret } = await enrollTotp(rob, 'agent');
  assert.equal(codes.length, 10);
  for (const code of codes.slice(0, 7)) assert.equal(await recoverySignIn('rob@example.com', code), 200);

  // The eighth in the browser; two are left, and the Security page warns.
  const robContext = await env.browser.newContext();
  const { page, problems } = await openPage(robContext, `${env.server.url}/login/agent.html`);
  await submitPassword(page, env.server, 'agent', 'rob@example.com');
  await page.waitForSelector('#mfa-step:not([hidden])');
  await page.click('text=Use a recovery code');
  await page.fill('#recovery-code', codes[7]);
  await page.click('#verify');
  await waitForHome(page);
  await page.click('text=Sign-in security');
  await page.waitForSelector('body[data-ready="true"] #overview:not([hidden])');
  assert.equal(await page.textContent('#app-badge'), 'Set up');
  assert.equal(await page.textContent('#start-enroll'), 'Move to a new phone');
  assert.equal(await page.textContent('#codes-badge'), '2 left');
  assert.match(await page.textContent('#codes-low'), /Only 2 recovery codes left/);
  assert.equal(await page.textContent('#email-badge'), 'Off');
  await screenshot(page, 'security', { mobile: true });

  await page.click('#request-codes');
  await page.waitForSelector('#request-status.notice-ok');
  assert.match(await page.textContent('#request-status'), /Request sent/);
  await page.click('#request-codes');
  await page.waitForSelector('#request-status.notice-error');
  assert.match(await page.textContent('#request-status'), /recently\. You can ask again in/);

  // Moving to a new phone first asks for a code from the current app.
  await page.click('#start-enroll');
  await page.waitForSelector('#current-code-form');
  await page.fill('#current-code', '000000');
  await page.click('#current-code-form button[type="submit"]');
  await page.waitForSelector('#current-code-error:not([hidden])');
  assert.match(await page.textContent('#current-code-error'), /not valid/);
  await page.fill('#current-code', totpCode(secret, 1));  // the next step: enrollment used this one
  await page.click('#current-code-form button[type="submit"]');
  await page.waitForSelector('#totp-qr svg');
  await page.reload();
  await page.waitForSelector('body[data-ready="true"] #overview:not([hidden])');

  // Helen (MFA recovery permission, no authentication settings).
  const helen = people.helen.page;
  await helen.reload();
  await helen.waitForSelector('body[data-ready="true"] #sign-out:not([hidden])');
  assert.equal(await helen.isVisible('text=MFA recovery'), true);
  assert.equal(await helen.isVisible('text=Outbox'), false);
  // Home tells her someone is waiting.
  await helen.waitForSelector('#recovery-waiting');
  assert.equal(await helen.textContent('#recovery-waiting'), '1 waiting');
  await helen.click('text=MFA recovery');
  await helen.waitForSelector('body[data-ready="true"] #content:not([hidden])');
  const request = helen.locator('#requests tr', { hasText: 'rob@example.com' });
  assert.equal(await request.count(), 1);
  await request.locator('text=Open').click();
  await helen.waitForSelector('#person:not([hidden])');
  assert.equal(await helen.textContent('#person-name'), 'Rob Agent');
  assert.equal(await helen.textContent('#person-codes'), '2');
  assert.equal(await helen.textContent('#person-totp'), 'Set up');
  await helen.click('#view-codes');
  await helen.waitForSelector('#recovery-codes');
  assert.deepEqual(await helen.$$eval('#recovery-codes li', (li) => li.map((x) => x.textContent)), codes.slice(8));
  await screenshot(helen, 'admin-mfa', { mobile: true });

  // A new set: confirmed in the page's own dialog; the request is handled.
  await helen.click('#new-codes');
  await helen.waitForSelector('#confirm-dialog[open]');
  assert.match(await helen.textContent('#confirm-title'), /Generate new recovery codes/);
  await helen.screenshot({ path: path.join(SHOTS, 'admin-mfa-confirm.png') });
  await helen.click('#confirm-dialog [data-action="confirm"]');
  await helen.locator('#person-status.notice-ok', { hasText: 'New codes issued' }).waitFor();
  const fresh = await helen.$$eval('#recovery-codes li', (li) => li.map((x) => x.textContent));
  assert.equal(fresh.length, 10);
  assert.equal(await helen.textContent('#person-codes'), '10');
  await helen.waitForSelector('#no-requests:not([hidden])');
  assert.equal(await recoverySignIn('rob@example.com', codes[8]), 401, 'the old set is dead');
  assert.equal(await recoverySignIn('rob@example.com', fresh[0]), 200);

  // Reset: Cancel changes nothing; Reset MFA removes the app and the codes.
  await helen.click('#reset-mfa');
  await helen.waitForSelector('#confirm-dialog[open]');
  await helen.click('#confirm-dialog [data-action="cancel"]');
  assert.equal(await helen.isVisible('#confirm-dialog'), false);
  assert.equal(await helen.textContent('#person-totp'), 'Set up');
  await helen.click('#reset-mfa');
  await helen.waitForSelector('#confirm-dialog[open]');
  assert.match(await helen.textContent('#confirm-title'), /Reset MFA for rob@example\.com/);
  await helen.click('#confirm-dialog [data-action="confirm"]');
  await helen.locator('#person-status.notice-ok', { hasText: 'MFA reset' }).waitFor();
  assert.equal(await helen.textContent('#person-totp'), 'Not set up');
  assert.equal(await helen.textContent('#person-codes'), '0');

  // An Administrator's MFA, and her own, are not Helen's to handle: the
  // actions are off and the page says why, before any click.
  for (const [email, why] of [['admin@example.com', /Only an Administrator can handle another Administrator's MFA/],
    ['helen@example.com', /You cannot handle your own second factor here/]]) {
    await helen.fill('#lookup-form input[name="email"]', email);
    await helen.click('#lookup-form button[type="submit"]');
    await helen.waitForSelector(`#person-meta:has-text("${email}")`);
    assert.match(await helen.textContent('#cannot-handle'), why);
    for (const id of ['#view-codes', '#new-codes', '#reset-mfa']) {
      assert.equal(await helen.isDisabled(id), true, id);
      assert.match(await helen.getAttribute(id, 'title'), why);
    }
  }
  await helen.screenshot({ path: path.join(SHOTS, 'admin-mfa-cannot-handle.png') });
  assert.deepEqual(unexpected(people.helen.problems), []);

  // Rob was signed out everywhere and enrolls again at his next sign-in.
  await page.reload();
  await page.waitForURL(/\/login\/agent\.html$/);
  await submitPassword(page, env.server, 'agent', 'rob@example.com');
  await page.waitForSelector('#enroll-step #totp-qr svg');
  assert.deepEqual(unexpected(problems), []);
  await robContext.close();

  // Pat has no such permission: no link, and the page says why.
  const pat = people.pat.page;
  assert.equal(await pat.isVisible('text=MFA recovery'), false);
  await pat.goto(`${env.server.url}/admin/mfa.html`);
  await pat.waitForSelector('body[data-ready="true"]');
  assert.match(await pat.textContent('#load-error'), /Access to Agent Recovery Code and Reset MFA/);
  assert.equal(await pat.isVisible('#content'), false);
  await screenshot(pat, 'admin-mfa-no-permission');
  await people.pat.context.close();
});

test('without a mail server the Outbox shows codes waiting', async () => {
  await setMfa(people.admin, 'contact', { email_otp: true });
  addUser(env.server, { portal: 'contact', email: 'carla@example.com', name: 'Carla Contact' });
  const { client: carla, login } = await apiLogin(env.server, 'contact', 'carla@example.com');
  assert.deepEqual(login.methods, ['email']);
  const sent = await carla.call('POST', '/api/contact/mfa/email/send');
  assert.equal(sent.status, 200, JSON.stringify(sent.body));

  const context = await contextWithSession(env.browser, env.server, people.admin);
  const { page, problems } = await openPage(context, `${env.server.url}/admin/outbox.html`);
  await page.waitForSelector('body[data-ready="true"] #outbox:not([hidden])');
  assert.match(await page.textContent('#no-smtp'), /No mail server is configured: messages wait here\./);
  const row = page.locator('#rows tr', { hasText: 'carla@example.com' });
  assert.equal(await row.getAttribute('data-state'), 'queued');
  assert.match(await row.textContent(), /Queued/);
  await screenshot(page, 'outbox-no-smtp', { mobile: true });
  assert.deepEqual(unexpected(problems), []);
  await context.close();

  // Helen may recover MFA but not read the outbox.
  const helen = people.helen.page;
  await helen.goto(`${env.server.url}/admin/outbox.html`);
  await helen.waitForSelector('body[data-ready="true"]');
  assert.match(await helen.textContent('#load-error'), /Access to Agent & Contact Authentication/);
  await people.helen.context.close();
});
