// Single sign-on in Chromium through a real OpenID provider (npm
// oidc-provider over HTTPS, tests/support/oidc_provider.mjs), for each portal
// and each portal-access mode: an administrator sets up the provider on the
// Portal Access tab, runs Test sign-in (a failed one explains itself, a
// passed one unlocks SSO-only), and people sign in with the provider's
// button; password sign-in stays where the mode allows it; a first single
// sign-on of an existing account is confirmed by its holder (a password
// sign-in, or the link mailed to them); a refused sign-in explains itself;
// signing out offers the provider's sign-out.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser } from '../support/browser.mjs';
import { addUser, PASSWORD, screenshot, startSmtpSink, submitPassword, waitForHome } from '../support/mfa.mjs';
import { startSsoWorld } from '../support/sso.mjs';

const accounts = [
  { sub: 'sub-ada', email: 'ada@example.com', name: 'Ada Admin' },
  { sub: 'sub-sam', email: 'sam@example.com', name: 'Sam Agent' },
  { sub: 'sub-mallory', email: 'mallory@example.com', name: 'Mallory' },
  { sub: 'sub-carol', email: 'carol@example.org', name: 'Carol Contact' },
  { sub: 'sub-nia', email: 'nia.home@example.net', name: 'Nia at home' },
];

let world;
let sink;
let browser;
let admin;

// The provider's certificate comes from the test's throwaway CA; deskgate
// itself verifies it (tests/interop/sso.test.mjs), the browser is told to accept it.
async function newPage() {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(msg.text()); });
  page.on('pageerror', (error) => problems.push(error.message));
  return { context, page, problems };
}

// The test provider's own sign-in form.
async function signInAtProvider(page, email) {
  await page.waitForURL((url) => url.origin === world.op.origin);
  await page.fill('input[name="email"]', email);
  await page.click('#op-sign-in');
}

async function openLogin(page, portal) {
  await page.goto(`${world.server.url}/login/${portal}.html`);
  await page.waitForSelector('body[data-ready="true"]');
}

async function openAccessTab(page, portal) {
  await page.goto(`${world.server.url}/settings/authentication.html?portal=${portal}`);
  await page.waitForSelector('body[data-ready="true"] #provider-section:not([hidden])');
}

async function chooseMode(page, mode) {
  await page.check(`input[name="mode"][value="${mode}"]`);
  await page.click('#save');
  await page.waitForSelector('#save-status.save-ok');
}

async function setUpProvider(page, portal) {
  await openAccessTab(page, portal);
  const client = world.clients[portal];
  await page.check('input[name="sso_kind"][value="oidc"]');
  await page.fill('#sso-issuer', world.op.issuer);
  await page.fill('#sso-client-id', client.client_id);
  await page.fill('#sso-client-secret', client.client_secret);
  await page.click('#save-provider');
  await page.waitForSelector('#provider-badge:text("Not tested")');
}

async function testSignIn(page, email) {
  await page.click('#test-sso');
  await signInAtProvider(page, email);
  await page.waitForURL(/\/settings\/authentication\.html\?portal=\w+$/);
  await page.waitForSelector('#sso-test-result:not([hidden])');
  return page.textContent('#sso-test-result');
}

before(async () => {
  sink = await startSmtpSink();
  world = await startSsoWorld({ accounts, serverArgs: sink.args });
  addUser(world.server, { email: 'ada@example.com', name: 'Ada Admin', role: 'Administrator' });
  addUser(world.server, { email: 'sam@example.com', name: 'Sam Agent', role: 'Agent' });
  addUser(world.server, { portal: 'contact', email: 'carol@example.org', name: 'Carol Contact' });
  browser = await launchBrowser();
  admin = await newPage();
  await submitPassword(admin.page, world.server, 'agent', 'ada@example.com');
  await waitForHome(admin.page);
});

after(async () => {
  await browser?.close();
  await world?.stop();
  await sink?.stop();
});

test('agent portal: password only, then a tested provider, both (Sam links his account), SSO-only, then both', async () => {
  const { page } = admin;
  // Password only: no button.
  const visitor = await newPage();
  await openLogin(visitor.page, 'agent');
  assert.equal(await visitor.page.isVisible('#sso-button'), false);
  assert.equal(await visitor.page.isVisible('#login-form'), true);

  await setUpProvider(page, 'agent');
  // A test in which the provider signs in someone else fails, and says why.
  const failed = await testSignIn(page, 'sam@example.com');
  assert.match(failed, /^Test sign-in failed\. The provider signed you in as sam@example\.com, which is not your account here/);
  assert.match(await page.textContent('input[name="mode"][value="sso"] + span .mode-need'), /Run Test sign-in below first/);
  await screenshot(page, 'sso-settings-test-failed');

  const passed = await testSignIn(page, 'ada@example.com');
  assert.match(passed, /^Test sign-in succeeded\./);
  assert.match(await page.textContent('#test-status'), /^Tested by you/);
  assert.match(await page.textContent('input[name="mode"][value="sso"] + span .mode-need'), /^Ready: you completed a Test sign-in/);
  await screenshot(page, 'sso-settings-tested', { mobile: true });

  // Both: Sam's first single sign-on names his account, which only he can
  // link: the page asks for his password once, and that links it.
  await chooseMode(page, 'both');
  await openLogin(visitor.page, 'agent');
  await visitor.page.click('#sso-button');
  await signInAtProvider(visitor.page, 'sam@example.com');
  await visitor.page.waitForURL(/\/login\/agent\.html$/);
  await visitor.page.waitForSelector('body[data-ready="true"] #sso-link:not([hidden])');
  assert.match(await visitor.page.textContent('#sso-link'),
    /^Link your single sign-on account\. Your identity provider signed you in, but your deskgate account \(s•••@example\.com\) is not linked to it yet.* Sign in below with your password once/);
  assert.equal(await visitor.page.evaluate(async () => (await fetch('/api/me')).status), 401);
  await screenshot(visitor.page, 'sso-login-link-pending');
  await screenshot(visitor.page, 'sso-login-link-pending', { mobile: true });
  await visitor.page.fill('input[name="email"]', 'sam@example.com');
  await visitor.page.fill('input[name="password"]', PASSWORD);
  await visitor.page.click('#login-form button[type="submit"]');
  await waitForHome(visitor.page);
  await visitor.page.click('#sign-out');
  await visitor.page.waitForURL(/\/login\/agent\.html$/);

  await openAccessTab(page, 'agent');
  await chooseMode(page, 'sso');

  // SSO-only: only the button; the provider signs Sam in (linked now).
  await openLogin(visitor.page, 'agent');
  assert.equal(await visitor.page.textContent('#sso-button-text'), 'Sign in with single sign-on');
  assert.equal(await visitor.page.isVisible('#login-form'), false);
  await screenshot(visitor.page, 'sso-login-sso-only-real');
  // Still signed in at the provider from a moment ago: straight through.
  await visitor.page.click('#sso-button');
  await waitForHome(visitor.page);
  assert.equal(await visitor.page.textContent('#greeting'), 'Welcome, Sam Agent');

  // Signing out offers the provider's sign-out, which comes back here.
  await visitor.page.click('#sign-out');
  await visitor.page.waitForURL(/\/login\/agent\.html$/);
  await visitor.page.waitForSelector('#provider-sign-out:not([hidden])');
  await screenshot(visitor.page, 'sso-login-signed-out-real');
  await visitor.page.click('#provider-sign-out-link');
  await visitor.page.waitForURL((url) => url.origin === world.op.origin);
  await visitor.page.click('#op-sign-out');
  await visitor.page.waitForURL(/\/login\/agent\.html/);
  await visitor.page.waitForSelector('body[data-ready="true"] #sso-button');
  assert.equal(await visitor.page.evaluate(async () => (await fetch('/api/me')).status), 401);

  // Both: the button and the password form; each signs in.
  await openAccessTab(page, 'agent');
  await chooseMode(page, 'both');
  await openLogin(visitor.page, 'agent');
  assert.equal(await visitor.page.isVisible('#sso-button'), true);
  assert.equal(await visitor.page.isVisible('#login-form'), true);
  await submitPassword(visitor.page, world.server, 'agent', 'sam@example.com');
  await waitForHome(visitor.page);
  await visitor.page.click('#sign-out');
  await visitor.page.waitForURL(/\/login\/agent\.html$/);
  // A password session has no provider to sign out of.
  assert.equal(await visitor.page.isVisible('#provider-sign-out'), false);
  await visitor.page.click('#sso-button');
  await signInAtProvider(visitor.page, 'sam@example.com');
  await waitForHome(visitor.page);

  // Someone without an agent account is turned away with an explanation.
  const stranger = await newPage();
  await openLogin(stranger.page, 'agent');
  await stranger.page.click('#sso-button');
  await signInAtProvider(stranger.page, 'mallory@example.com');
  await stranger.page.waitForURL(/\/login\/agent\.html$/);
  await stranger.page.waitForSelector('#sso-error:not([hidden])');
  assert.match(await stranger.page.textContent('#sso-error'), /account/i);
  assert.equal(new URL(stranger.page.url()).search, '', 'the reason is dropped from the address');
  await screenshot(stranger.page, 'sso-login-refused-real');

  for (const p of [visitor, stranger]) {
    assert.deepEqual(p.problems.filter((x) => !/status of 40[13]/.test(x)), []);
    await p.context.close();
  }
});

test('contact portal: email only, Microsoft and email, then SSO only', async () => {
  const { page } = admin;
  const visitor = await newPage();
  await openLogin(visitor.page, 'contact');
  assert.equal(await visitor.page.isVisible('#sso-button'), false);

  await setUpProvider(page, 'contact');
  await chooseMode(page, 'microsoft_and_email');
  await openLogin(visitor.page, 'contact');
  assert.equal(await visitor.page.isVisible('#login-form'), true);
  await visitor.page.click('#sso-button');
  await signInAtProvider(visitor.page, 'carol@example.org');
  // Carol's first single sign-on: a link to confirm it comes to her address,
  // and works in this browser.
  await visitor.page.waitForSelector('body[data-ready="true"] #sso-link:not([hidden])');
  assert.match(await visitor.page.textContent('#sso-link'), /Or open the link we emailed to c•••@example\.org/);
  const mail = await sink.waitForMessage('carol@example.org');
  const link = mail.body.match(/(http:\/\/\S+#sso_link=[A-Za-z0-9_-]{43})/)[1];
  // Opened from the mail: a new tab of the same browser.
  const tab = await visitor.context.newPage();
  await tab.bringToFront();
  await tab.goto(link);
  await waitForHome(tab);
  await tab.close();
  await visitor.page.bringToFront();
  await visitor.page.goto(`${world.server.url}/home.html`);
  await waitForHome(visitor.page);
  assert.equal(await visitor.page.textContent('#greeting'), 'Welcome, Carol Contact');
  await visitor.page.click('#sign-out');
  await visitor.page.waitForURL(/\/login\/contact\.html$/);

  // On the contact portal any account at the provider completes the test.
  await openAccessTab(page, 'contact');
  assert.match(await testSignIn(page, 'ada@example.com'), /^Test sign-in succeeded\./);
  await chooseMode(page, 'sso_only');
  await openLogin(visitor.page, 'contact');
  assert.equal(await visitor.page.isVisible('#login-form'), false);
  // Carol left deskgate but is still signed in at the provider: straight through.
  await visitor.page.click('#sso-button');
  await waitForHome(visitor.page);
  assert.equal(await visitor.page.evaluate(async () => (await fetch('/api/me')).json()).then((m) => m.portal),
    'contact');
  assert.deepEqual(visitor.problems.filter((x) => !/status of 40[13]/.test(x)), []);
  assert.deepEqual(admin.problems.filter((x) => !/status of 40[0-9]/.test(x)), []);
  await visitor.context.close();
});

test('contact portal, SSO only: an invited contact accepts by signing in at the provider', async () => {
  // Runs after the contact portal went SSO-only above.
  const invited = await admin.page.evaluate(async () => (await fetch('/api/invitations', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ portal: 'contact', email: 'nia@customer.example', name: 'Nia Newcomer' }),
  })).json());
  assert.equal(invited.mailed, true, JSON.stringify(invited));
  const mail = await sink.waitForMessage('nia@customer.example');
  const link = mail.body.match(/(http:\/\/\S+\/invite\.html#token=[\w-]+)/)[1];

  const nia = await newPage();
  await nia.page.goto(link);
  await nia.page.waitForSelector('body[data-ready="true"]');
  assert.equal(await nia.page.textContent('h1'), 'Welcome, Nia Newcomer');
  assert.equal(await nia.page.isVisible('#invite-form'), false);
  assert.equal(await nia.page.textContent('#sso-button-text'), 'Continue with single sign-on');
  assert.match(await nia.page.textContent('#sso-hint'), /becomes the way you sign in to nia@customer\.example/);
  await screenshot(nia.page, 'invite-sso', { mobile: true });
  await nia.page.click('#sso-button');
  await signInAtProvider(nia.page, 'nia.home@example.net');
  await waitForHome(nia.page);
  assert.equal(await nia.page.textContent('#greeting'), 'Welcome, Nia Newcomer');

  // The link is used up: opened again it says so.
  const again = await newPage();
  await again.page.goto(link);
  await again.page.waitForSelector('body[data-ready="true"] #link-error:not([hidden])');
  assert.match(await again.page.textContent('#link-error'), /invalid, expired, already used or withdrawn/);
  // A refused provider sign-in comes back with its reason in words.
  await again.page.goto(`${world.server.url}/invite.html?portal=contact&sso_error=account`);
  await again.page.waitForSelector('body[data-ready="true"] #link-error:not([hidden])');
  assert.match(await again.page.textContent('#link-error'), /linked to another deskgate account already/);
  assert.deepEqual(nia.problems, []);
  await nia.context.close();
  await again.context.close();
});
