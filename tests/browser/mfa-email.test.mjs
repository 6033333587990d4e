// Emailed codes at sign-in, in Chromium, with the server delivering mail to
// a real SMTP server on loopback (tests/support/smtp_sink.py): the code is
// read from the message that arrives. A contact whose portal has only email
// codes gets one sent at once; an agent whose portal offers both methods
// signs in by email, is offered the app's setup on the Security page, and
// later switches from the app to an emailed code. The Outbox page lists
// what was sent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, openPage } from '../support/browser.mjs';
import {
  addUser, apiLogin, codeFromMessage, isCodeMessage, screenshot, setMfa, signOut, startSmtpSink, submitPassword, totpCode,
  unexpected, waitForHome,
} from '../support/mfa.mjs';
import { startServer } from '../support/server.mjs';

const env = { sink: null, server: null, browser: null, admin: null };
// The server's clock runs this many seconds ahead of the system's
// (`serve --clock-file`), to get past the one-email-a-minute limit.
const clockFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'deskgate-clock-')), 'offset');
fs.writeFileSync(clockFile, '0');

before(async () => {
  env.sink = await startSmtpSink();
  env.server = await startServer({ args: [...env.sink.args, '--clock-file', clockFile] });
  env.browser = await launchBrowser();
  addUser(env.server, { email: 'admin@example.com', name: 'Ada Admin', role: 'Administrator' });
  env.admin = (await apiLogin(env.server, 'agent', 'admin@example.com')).client;
});

after(async () => {
  await env.browser?.close();
  await env.server?.stop();
  await env.sink?.stop();
  fs.rmSync(path.dirname(clockFile), { recursive: true, force: true });
});

test('a contact signs in with a code sent by email', async () => {
  addUser(env.server, { portal: 'contact', email: 'carla@example.com', name: 'Carla Contact' });
  await setMfa(env.admin, 'contact', { email_otp: true });

  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, `${env.server.url}/login/contact.html`);
  await submitPassword(page, env.server, 'contact', 'carla@example.com');
  await page.waitForSelector('#mfa-step:not([hidden])');
  // Email is the only method: the code is on its way without asking.
  await page.waitForSelector('#email-sent:not([hidden])');
  assert.match(await page.textContent('#email-sent'), /^We sent a code to c\S*@example\.com\.$/);
  assert.equal(await page.isDisabled('#resend'), true);
  assert.match(await page.textContent('#resend'), /^Resend code in \d+ s$/);
  assert.match(await page.textContent('#mfa-prompt'), /emailed/);
  for (const other of ['Use your authenticator app', 'Use a recovery code', 'Lost your recovery codes? Ask an administrator']) {
    assert.equal(await page.isVisible(`text=${other}`), false, other);
  }
  await screenshot(page, 'login-mfa-email', { mobile: true });

  const message = await env.sink.waitForMessage('carla@example.com');
  assert.match(message.headers, /^To: .*carla@example\.com/m);
  assert.match(message.headers, /^From: .*deskgate@example\.com/m);
  const code = codeFromMessage(message);
  await page.fill('#otp', String((Number(code) + 1) % 1000000).padStart(6, '0'));
  await page.click('#verify');
  await page.waitForSelector('#mfa-error:not([hidden])');
  assert.match(await page.textContent('#mfa-error'), /not valid/);
  await page.fill('#otp', code);
  await page.click('#verify');
  await waitForHome(page);
  assert.equal(await page.textContent('#greeting'), 'Welcome, Carla Contact');
  assert.deepEqual(unexpected(problems), []);
  await context.close();
});

test('an agent signs in by email, sets up the app, and later switches to email', async () => {
  addUser(env.server, { email: 'sam@example.com', name: 'Sam Agent', role: 'Agent' });
  await setMfa(env.admin, 'agent', { authenticator_app: true, email_otp: true });

  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, `${env.server.url}/login/agent.html`);
  await submitPassword(page, env.server, 'agent', 'sam@example.com');
  await page.waitForSelector('#email-sent:not([hidden])');
  const first = codeFromMessage(await env.sink.waitForMessage('sam@example.com', 15000, isCodeMessage));
  await page.fill('#otp', first);
  await page.click('#verify');

  // Not enrolled in the app yet: the Security page offers it straight away.
  await page.waitForURL(/\/account\/security\.html\?enroll=1$/);
  await page.waitForSelector('#suggestion:not([hidden])');
  await page.waitForSelector('#enroll-step #totp-qr svg');
  await screenshot(page, 'security-enroll', { mobile: true });
  const secret = (await page.textContent('#totp-key')).replace(/\s/g, '');
  await page.fill('#totp-code', totpCode(secret));
  await page.click('#totp-confirm');
  await page.waitForSelector('#recovery-step');
  assert.equal(await page.locator('#recovery-codes li').count(), 10);
  await page.check('#codes-saved');
  await page.click('#codes-continue');
  await page.waitForSelector('#overview:not([hidden])');
  assert.equal(await page.textContent('#app-badge'), 'Set up');
  assert.equal(await page.textContent('#start-enroll'), 'Move to a new phone');
  assert.match(await page.textContent('#codes-status-text'), /^10 unused codes left/);
  assert.equal(new URL(page.url()).search, '');

  // The next sign-in prefers the app; "Email me a code instead" switches.
  // A minute and a half later (one email a minute), and so also three TOTP
  // steps later, which this test does not use again.
  fs.writeFileSync(clockFile, '90');
  await page.goto(`${env.server.url}/home.html`);
  await waitForHome(page);
  await signOut(page);
  await submitPassword(page, env.server, 'agent', 'sam@example.com');
  await page.waitForSelector('#mfa-step:not([hidden])');
  assert.match(await page.textContent('#mfa-prompt'), /authenticator app/);
  await page.click('text=Email me a code instead');
  await page.waitForSelector('#email-sent:not([hidden])');
  assert.match(await page.textContent('#mfa-prompt'), /emailed/);
  assert.equal(await page.isVisible('text=Use your authenticator app'), true);
  assert.equal(await page.isVisible('text=Email me a code instead'), false);
  // Resending within the minute is refused by the server; the button waits.
  assert.equal(await page.isDisabled('#resend'), true);
  const second = codeFromMessage(await env.sink.waitForMessage('sam@example.com', 15000, isCodeMessage));
  assert.notEqual(second, first);
  await page.fill('#otp', second);
  await page.click('#verify');
  await waitForHome(page);
  assert.deepEqual(unexpected(problems), []);
  await context.close();
});

test('the Outbox lists the messages and their delivery, never their bodies', async () => {
  const context = await env.browser.newContext();
  const { page: home, problems } = await openPage(context, `${env.server.url}/login/agent.html`);
  await submitPassword(home, env.server, 'agent', 'admin@example.com');
  // The administrator is an agent too, and agents now have MFA: email it is.
  await home.waitForSelector('#mfa-step:not([hidden])');
  await home.waitForSelector('#email-sent:not([hidden])');
  await home.fill('#otp', codeFromMessage(await env.sink.waitForMessage('admin@example.com')));
  await home.click('#verify');
  await home.waitForURL(/\/(home|account\/security)\.html/);
  await home.goto(`${env.server.url}/home.html`);
  await waitForHome(home);
  await home.click('text=Outbox');
  await home.waitForSelector('body[data-ready="true"] #outbox:not([hidden])');
  assert.equal(await home.isVisible('#no-smtp'), false, 'a mail server is configured');
  const rows = await home.$$eval('#rows tr', (trs) => trs.map((tr) => ({
    state: tr.dataset.state, text: tr.textContent,
  })));
  assert.ok(rows.length >= 4, JSON.stringify(rows));
  for (const who of ['carla@example.com', 'sam@example.com', 'admin@example.com']) {
    assert.ok(rows.some((r) => r.text.includes(who)), who);
  }
  assert.ok(rows.some((r) => r.state === 'sent'));
  assert.ok(rows.every((r) => !/\b\d{6}\b/.test(r.text.replace(/\d{1,2}:\d{2}/g, ''))), 'no codes shown');
  await screenshot(home, 'outbox', { mobile: true });
  assert.deepEqual(unexpected(problems), []);
  await context.close();
});
