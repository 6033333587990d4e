// The first hour of a new customer, in Chromium, on a fresh database with
// the demo data: the printed setup link → an Administrator, signed in →
// the mail server set up in the product, with a test email received by a
// real SMTP server → MFA on → a second agent invited, who enrolls → the
// audit log tells all of it in words. And without mail, the email step
// tells the truth and offers the app instead.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { launchBrowser, openPage } from '../support/browser.mjs';
import {
  PASSWORD, addUser, apiLogin, screenshot, setMfa, startSmtpSink, submitPassword, totpCode, unexpected,
  waitForHome,
} from '../support/mfa.mjs';
import { DESKGATE_BIN } from '../support/paths.mjs';
import { startServer } from '../support/server.mjs';

let browser;
let sink;

before(async () => {
  browser = await launchBrowser();
  sink = await startSmtpSink();
});

after(async () => {
  await browser?.close();
  await sink?.stop();
});

async function enroll(page) {
  await page.waitForSelector('#enroll-step #totp-qr svg');
  const secret = (await page.textContent('#totp-key')).replace(/\s/g, '');
  await page.fill('#totp-code', totpCode(secret));
  await page.click('#totp-confirm');
  await page.waitForSelector('#recovery-step');
  await page.check('#codes-saved');
  await page.click('#codes-continue');
  await waitForHome(page);
}

test('setup link → Administrator → mail with a test email → MFA on → a second agent enrolls → the audit log in words', async () => {
  const server = await startServer({
    prepare: (db) => execFileSync(DESKGATE_BIN, ['seed', '--assets', '40', '--software', '10', '--db', db]),
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, problems } = await openPage(context, await server.setupLink());
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('input[name="name"]', 'Ada Admin');
    await page.fill('input[name="email"]', 'ada@example.com');
    await page.fill('input[name="password"]', PASSWORD);
    await page.click('#create');
    await page.click('#done:not([hidden]) #continue-home');
    await waitForHome(page);
    assert.equal(await page.textContent('#greeting'), 'Welcome, Ada Admin');

    // Mail, from Home.
    await page.click('a[href="/settings/mail.html"]');
    await page.waitForSelector('body[data-ready="true"] #content:not([hidden])');
    assert.match(await page.textContent('#health'), /Mail is not set up/);
    await page.fill('input[name="host"]', 'bad host');
    await page.fill('input[name="port"]', '0');
    await page.click('#save');
    await page.waitForSelector('#host-error:not(:empty)');
    assert.notEqual(await page.textContent('#port-error'), '', 'every bad field at once');
    assert.notEqual(await page.textContent('#from-error'), '');
    await page.fill('input[name="host"]', '127.0.0.1');
    assert.equal(await page.textContent('#host-error'), '', 'cleared once the field changes');
    await page.fill('input[name="port"]', String(sink.port));
    await page.uncheck('input[name="starttls"]');
    await page.fill('input[name="from"]', 'Helpdesk <helpdesk@example.com>');
    await page.click('#save');
    await page.waitForSelector('#save-status.save-ok');
    assert.match(await page.textContent('#health'), /No mail has been delivered/);
    await page.click('#send-test');
    await page.waitForSelector('#test-result.notice-ok');
    const test = await sink.waitForMessage('ada@example.com');
    assert.match(test.headers, /Subject: deskgate test email/);
    await page.waitForFunction(() => /Mail works/.test(document.getElementById('health').textContent));
    await screenshot(page, 'mail-settings', { mobile: true });

    // MFA on for agents: the tab knows mail works, so it does not warn.
    await page.goto(`${server.url}/settings/authentication.html?portal=agent`);
    await page.waitForSelector('body[data-ready="true"] #settings-form:not([hidden])');
    await page.click('#tab-mfa');
    await page.check('input[name="authenticator_app"]');
    await page.check('input[name="email_otp"]');
    assert.equal(await page.isVisible('#mail-warning'), false);
    await page.click('#save');
    await page.waitForSelector('.save-ok');

    // A second agent: invited by mail, enrolls at the first sign-in.
    await page.goto(`${server.url}/admin/agents.html`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.click('#invite-open');
    await page.fill('#invite-form input[name="name"]', 'Bo Second');
    await page.fill('#invite-form input[name="email"]', 'bo@example.com');
    await page.click('#invite-send');
    await page.waitForSelector('#invite-done .notice-ok');
    const invitation = await sink.waitForMessage('bo@example.com');
    const link = invitation.body.match(/(http:\/\/\S+\/invite\.html#token=[\w-]+)/)[1];
    const boContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const bo = await openPage(boContext, link);
    await bo.page.waitForSelector('body[data-ready="true"]');
    await bo.page.fill('input[name="password"]', 'copper kettle meadow 19');
    await bo.page.click('#accept');
    // Both methods are on and mail works: the emailed code first...
    await bo.page.waitForSelector('#mfa-step:not([hidden])');
    const code = (await sink.waitForMessage('bo@example.com')).body.match(/\b(\d{6})\b/)[1];
    assert.match(await bo.page.textContent('#email-sent'), /We sent a code to b•••@example\.com/);
    await bo.page.fill('#otp', code);
    await bo.page.click('#verify');
    // ...then the app, offered straight away on the Security page.
    await bo.page.waitForURL(/\/account\/security\.html\?enroll=1$/);
    await bo.page.waitForSelector('#enroll-step #totp-qr svg');
    const secret = (await bo.page.textContent('#totp-key')).replace(/\s/g, '');
    await bo.page.fill('#totp-code', totpCode(secret));
    await bo.page.click('#totp-confirm');
    await bo.page.waitForSelector('#recovery-step');
    await bo.page.check('#codes-saved');
    await bo.page.click('#codes-continue');
    await bo.page.waitForSelector('#overview:not([hidden])');
    assert.equal(await bo.page.textContent('#app-badge'), 'Set up');
    assert.deepEqual(unexpected(bo.problems), []);
    await boContext.close();

    // The audit log, in words.
    await page.goto(`${server.url}/admin/audit.html`);
    await page.waitForSelector('body[data-ready="true"] #rows tr');
    const log = await page.textContent('#rows');
    for (const words of ['Created the first Administrator (setup link)', 'Changed the mail server settings',
      'Sent a test email', "Changed the agent portal's authentication settings", 'mfa › authenticator app: off → on',
      'Invited to the agent portal', 'Accepted their invitation', 'Signed in to the agent portal',
      'Emailed a sign-in code', 'Set up an authenticator app']) {
      assert.ok(log.includes(words), `the log says "${words}"`);
    }
    await screenshot(page, 'audit-words', { mobile: true });
    assert.deepEqual(unexpected(problems), []);
    await context.close();
  } finally {
    await server.stop();
  }
});

test('without mail, the email step says so and offers the authenticator app instead', async () => {
  const server = await startServer();
  try {
    addUser(server, { email: 'ada@example.com', name: 'Ada Admin', role: 'Administrator' });
    addUser(server, { email: 'sam@example.com', name: 'Sam Agent', role: 'Agent' });
    const { client } = await apiLogin(server, 'agent', 'ada@example.com');
    await setMfa(client, 'agent', { authenticator_app: true, email_otp: true, enforcement: 'next_login' });

    // The MFA tab warns, loudly with email codes on.
    const adminContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const admin = await openPage(adminContext, `${server.url}/login/agent.html`);
    await submitPassword(admin.page, server, 'agent', 'ada@example.com');
    await admin.page.waitForSelector('#mfa-step:not([hidden]), #enroll-step:not([hidden])');
    await admin.page.waitForSelector('#app-instead:not([hidden])');
    await admin.page.click('#use-app');
    await enroll(admin.page);
    await admin.page.goto(`${server.url}/settings/authentication.html?portal=agent`);
    await admin.page.waitForSelector('body[data-ready="true"] #settings-form:not([hidden])');
    await admin.page.click('#tab-mfa');
    await admin.page.waitForSelector('#mail-warning:not([hidden])');
    assert.match(await admin.page.textContent('#mail-warning'), /Mail is not set up on this deskgate/);
    assert.equal(await admin.page.getAttribute('#mail-warning a', 'href'), '/settings/mail.html');
    await screenshot(admin.page, 'settings-mfa-mail-warning');

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, problems } = await openPage(context, `${server.url}/login/agent.html`);
    await submitPassword(page, server, 'agent', 'sam@example.com');
    await page.waitForSelector('#mfa-step:not([hidden])');
    await page.waitForFunction(() => /Mail is not set up on this deskgate yet/
      .test(document.getElementById('email-sent').textContent));
    assert.doesNotMatch(await page.textContent('#email-sent'), /We sent/);
    await screenshot(page, 'login-email-no-mail', { mobile: true });
    await page.click('#use-app');
    await enroll(page);
    assert.equal(await page.textContent('#greeting'), 'Welcome, Sam Agent');
    assert.deepEqual(unexpected(problems), []);
    await context.close();
    await adminContext.close();
  } finally {
    await server.stop();
  }
});

test('the settings form reports every bad field at once, clears each as it is fixed, and asks before leaving unsaved changes', async () => {
  const server = await startServer();
  try {
    addUser(server, { email: 'ada@example.com', name: 'Ada Admin', role: 'Administrator' });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, problems } = await openPage(context, `${server.url}/login/agent.html`);
    await submitPassword(page, server, 'agent', 'ada@example.com');
    await waitForHome(page);
    await page.goto(`${server.url}/settings/authentication.html?portal=agent`);
    await page.waitForSelector('body[data-ready="true"] #settings-form:not([hidden])');
    await page.click('#tab-password');
    await page.fill('input[name="min_length"]', '4');
    await page.click('#tab-session');
    await page.fill('input[name="idle_timeout_minutes"]', '2');
    await page.fill('input[name="absolute_timeout_hours"]', '0');
    await page.click('#save');
    await page.waitForSelector('#save-status.save-error');
    assert.match(await page.textContent('#save-status'), /Fix the 3 highlighted fields/);
    const shown = (path) => page.$eval(`[data-error-for="${path}"]`, (el) => !el.hidden);
    for (const path of ['password.min_length', 'session.idle_timeout_minutes', 'session.absolute_timeout_hours']) {
      assert.equal(await shown(path), true, path);
    }
    assert.equal(await page.getAttribute('#tab-password', 'aria-selected'), 'true', 'the first problem\'s tab');
    // Fixed, an error goes at once; the others stay.
    await page.click('#tab-session');
    await page.fill('input[name="idle_timeout_minutes"]', '45');
    assert.equal(await shown('session.idle_timeout_minutes'), false);
    assert.equal(await shown('session.absolute_timeout_hours'), true);
    await screenshot(page, 'settings-errors');

    // The other portal, with changes unsaved: asked first; Cancel stays.
    await page.click('#switch-contact');
    await page.waitForSelector('#confirm-dialog[open]');
    assert.match(await page.textContent('#confirm-title'), /Leave without saving\?/);
    await page.click('#confirm-dialog [data-action="cancel"]');
    assert.match(page.url(), /portal=agent/);
    await page.click('#switch-contact');
    await page.click('#confirm-dialog [data-action="confirm"]');
    await page.waitForURL(/portal=contact/);
    await page.waitForSelector('body[data-ready="true"] #settings-form:not([hidden])');
    // Nothing was saved, and with nothing changed the switch is direct.
    const saved = await page.evaluate(async () => (await (await fetch('/api/settings/authentication/agent')).json()).session);
    assert.equal(saved.idle_timeout_minutes, 30);
    await page.click('#switch-agent');
    await page.waitForURL(/portal=agent/);
    await page.waitForSelector('body[data-ready="true"] #settings-form:not([hidden])');

    // Any other way out asks too: the top bar's Home, and the mail page's Settings link.
    await page.click('#tab-password');
    await page.fill('input[name="min_length"]', '14');
    await page.click('.topbar a[href="/home.html"]');
    await page.waitForSelector('#confirm-dialog[open]');
    await page.click('#confirm-dialog [data-action="cancel"]');
    assert.match(page.url(), /settings\/authentication\.html/);
    await page.click('.topbar a[href="/home.html"]');
    await page.click('#confirm-dialog [data-action="confirm"]');
    await waitForHome(page);
    await page.goto(`${server.url}/settings/mail.html`);
    await page.waitForSelector('body[data-ready="true"] #mail-form');
    await page.click('.topbar a[href="/home.html"]');  // nothing typed: straight through
    await waitForHome(page);
    await page.goto(`${server.url}/settings/mail.html`);
    await page.waitForSelector('body[data-ready="true"] #mail-form');
    await page.fill('input[name="host"]', 'smtp.example.com');
    await page.click('.topbar a[href="/home.html"]');
    await page.waitForSelector('#confirm-dialog[open]');
    assert.match(await page.textContent('#confirm-message'), /mail server settings are not saved/);
    await page.click('#confirm-dialog [data-action="cancel"]');
    assert.match(page.url(), /settings\/mail\.html/);
    assert.deepEqual(unexpected(problems), []);
    await context.close();
  } finally {
    await server.stop();
  }
});
