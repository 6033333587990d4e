// Single sign-on in Chromium, for everything that needs no identity provider
// to answer: an administrator sets up a provider in Settings › Portal Access
// (field errors come back next to their field; the secret is stored, never
// shown), the single-sign-on-only mode is refused until the admin has run a
// Test sign-in, "both" puts the provider's button above the password form on
// the sign-in page, and a provider that cannot be reached gives a clear
// error there and in the Test sign-in. The sign-in page also explains each
// ?sso_error= reason and offers the provider's sign-out after signing out.
// (Sign-ins through a real provider are tested with tests/support/oidc_provider.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser } from '../support/browser.mjs';
import { addUser, screenshot, submitPassword, waitForHome } from '../support/mfa.mjs';

const env = await useServerAndBrowser();
// Refused requests (400 bad field, 409 unreachable provider) are expected here.
const unexpected = (problems) => problems.filter((p) => !/status of (400|401|403|404|409|429)/.test(p));

async function signedInAdmin(email) {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(msg.text()); });
  page.on('pageerror', (error) => problems.push(error.message));
  await submitPassword(page, env.server, 'agent', email);
  await waitForHome(page);
  return { context, page, problems };
}

async function openAccessTab(page, portal) {
  await page.goto(`${env.server.url}/settings/authentication.html?portal=${portal}`);
  await page.waitForSelector('body[data-ready="true"] #settings-form:not([hidden])');
  await page.waitForSelector('#provider-section:not([hidden])');
}

async function savedSso(page, portal) {
  return page.evaluate(async (p) => (await fetch(`/api/settings/sso/${p}`)).json(), portal);
}

async function savedMode(page, portal) {
  return page.evaluate(async (p) => (await (await fetch(`/api/settings/authentication/${p}`)).json())
    .portal_access.mode, portal);
}

const modeNote = (page, mode) => page.textContent(`input[name="mode"][value="${mode}"] + span .mode-need`);

test('an administrator sets up an OpenID provider; SSO-only waits for a test; "both" offers the button', async () => {
  addUser(env.server, { email: 'ada@example.com', name: 'Ada Admin', role: 'Administrator' });
  const { context, page, problems } = await signedInAdmin('ada@example.com');
  await openAccessTab(page, 'agent');

  // Nothing set up: the single sign-on modes wait for a provider.
  assert.equal(await page.textContent('#provider-badge'), 'Not set up');
  assert.equal(await page.isDisabled('input[name="mode"][value="sso"]'), true);
  assert.equal(await page.isDisabled('input[name="mode"][value="both"]'), true);
  assert.match(await modeNote(page, 'sso'), /Set up the identity provider below first/);
  assert.equal(await page.textContent('#redirect-url'), `${env.server.url}/api/agent/sso/callback`);
  assert.match(await page.textContent('#test-status'), /Save the provider first/);
  assert.equal(await page.isDisabled('#test-sso'), true);
  assert.equal(await page.isVisible('#remove-provider'), false);
  assert.equal(await page.isVisible('#create-contacts-field'), false, 'agents are never created by SSO');

  // Another provider: an http:// issuer is refused next to its field.
  await page.check('input[name="sso_kind"][value="oidc"]');
  assert.equal(await page.isVisible('#sso-tenant'), false);
  assert.equal(await page.isVisible('#sso-allowed-tenants'), false);
  await page.fill('#sso-issuer', 'http://id.example.test');
  await page.fill('#sso-client-id', 'deskgate-agents');
  await page.fill('#sso-client-secret', 'orchard-secret-value');
  assert.match(await page.textContent('#test-status'), /Save the provider first/);
  await page.click('#save-provider');
  await page.waitForSelector('[data-error-for="sso.issuer"]:not([hidden])');
  assert.match(await page.textContent('[data-error-for="sso.issuer"]'), /starting with https:\/\//);
  assert.equal(await page.getAttribute('#sso-issuer', 'aria-invalid'), 'true');
  assert.match(await page.textContent('#provider-status'), /Fix the highlighted field/);
  assert.equal((await savedSso(page, 'agent')).configured, false);

  // A bad domain too, then both fixed. Saving does not contact the issuer.
  await page.fill('#sso-issuer', 'https://id.example.test');
  await page.fill('#sso-allowed-domains', 'example.com, not a domain');
  await page.click('#save-provider');
  await page.waitForSelector('[data-error-for="sso.allowed_domains"]:not([hidden])');
  assert.equal(await page.isVisible('[data-error-for="sso.issuer"]'), false);
  await page.fill('#sso-allowed-domains', 'Example.com,\nexample.org');
  // Enter in one of its fields saves the provider, never the rest of the page.
  await page.press('#sso-client-id', 'Enter');
  await page.waitForSelector('#provider-status.save-ok');
  assert.equal(await page.textContent('#save-status'), '');
  assert.match(await page.textContent('#provider-status'), /Saved\. Next, run Test sign-in/);
  assert.equal(await page.textContent('#provider-badge'), 'Not tested');
  assert.equal(await page.inputValue('#sso-client-secret'), '');
  assert.equal(await page.textContent('#sso-secret-hint'), 'A secret is stored. Enter a new one to replace it.');
  assert.equal(await page.inputValue('#sso-allowed-domains'), 'example.com\nexample.org');
  assert.equal(await page.textContent('#test-status'), 'Not tested since the last change.');
  assert.equal(await page.isEnabled('#test-sso'), true);
  const stored = await savedSso(page, 'agent');
  assert.equal(stored.client_secret_set, true);
  assert.equal(stored.provider.issuer, 'https://id.example.test');
  assert.equal(stored.tested, null);

  // Saving again without a change sends nothing (it would clear a test).
  await page.click('#save-provider');
  assert.equal(await page.textContent('#provider-status'), 'No changes to save.');
  assert.equal((await savedSso(page, 'agent')).updated_at, stored.updated_at);
  // Unsaved edits hold the test back: it runs with the saved settings.
  await page.fill('#sso-client-id', 'deskgate-agents-2');
  assert.equal(await page.isDisabled('#test-sso'), true);
  assert.match(await page.textContent('#test-status'), /save the provider first/);
  await page.fill('#sso-client-id', 'deskgate-agents');
  assert.equal(await page.isEnabled('#test-sso'), true);

  // After a reload: the same values, the secret stored and never shown.
  await openAccessTab(page, 'agent');
  assert.equal(await page.isChecked('input[name="sso_kind"][value="oidc"]'), true);
  assert.equal(await page.inputValue('#sso-issuer'), 'https://id.example.test');
  assert.equal(await page.inputValue('#sso-client-id'), 'deskgate-agents');
  assert.equal(await page.textContent('#sso-secret-hint'), 'A secret is stored. Enter a new one to replace it.');
  assert.equal((await page.content()).includes('orchard-secret-value'), false);
  assert.equal(await page.textContent('#provider-badge'), 'Not tested');

  // The modes: offered now; single sign-on only says what it needs first.
  assert.equal(await page.isEnabled('input[name="mode"][value="sso"]'), true);
  assert.equal(await page.isEnabled('input[name="mode"][value="both"]'), true);
  assert.match(await modeNote(page, 'sso'), /Run Test sign-in below first/);
  assert.match(await page.textContent('input[name="mode"][value="sso"] + span strong'), /^Single sign-on only$/);
  await screenshot(page, 'sso-settings-provider', { mobile: true });

  // The server refuses SSO-only without this admin's test, under the modes.
  await page.check('input[name="mode"][value="sso"]');
  await page.click('#save');
  await page.waitForSelector('[data-error-for="portal_access.mode"]:not([hidden])');
  assert.match(await page.textContent('[data-error-for="portal_access.mode"]'), /Complete a Test sign-in/);
  assert.match(await page.textContent('#save-status'), /Fix the highlighted field/);
  assert.equal(await savedMode(page, 'agent'), 'password');
  await screenshot(page, 'sso-settings-refused');

  // "Both" saves.
  await page.check('input[name="mode"][value="both"]');
  await page.click('#save');
  await page.waitForSelector('#save-status.save-ok');
  assert.equal(await savedMode(page, 'agent'), 'both');
  assert.equal(await page.isVisible('[data-error-for="portal_access.mode"]'), false);

  // The Test sign-in, with a provider nobody can reach: a clear error, no navigation.
  await page.click('#test-sso');
  await page.waitForSelector('#test-error:not([hidden])');
  assert.match(await page.textContent('#test-error'), /The test could not start\..*id\.example\.test/);
  assert.match(page.url(), /\/settings\/authentication\.html\?portal=agent$/);
  assert.equal(await page.isEnabled('#test-sso'), true);

  // The provider stays while a mode uses it.
  await page.click('#remove-provider');
  assert.match(await page.textContent('#provider-status'), /choose email and password sign-in above and save/);
  assert.equal(await page.isVisible('#confirm-dialog'), false);
  assert.equal((await savedSso(page, 'agent')).configured, true);

  // The sign-in page in "both": the button above an "or" and the password form.
  const visitor = await env.browser.newContext();
  const login = await visitor.newPage();
  const loginProblems = [];
  login.on('console', (msg) => { if (msg.type() === 'error') loginProblems.push(msg.text()); });
  login.on('pageerror', (error) => loginProblems.push(error.message));
  await login.goto(`${env.server.url}/login/agent.html`);
  await login.waitForSelector('body[data-ready="true"]');
  assert.equal(await login.isVisible('#sso-button'), true);
  assert.equal((await login.textContent('#sso-button')).trim(), 'Sign in with single sign-on');
  assert.equal(await login.isVisible('#or-divider'), true);
  assert.equal(await login.isVisible('#login-form'), true);
  assert.equal(await login.isVisible('input[name="password"]'), true);
  const above = await login.evaluate(() => document.getElementById('sso-button')
    .compareDocumentPosition(document.getElementById('login-form')) & Node.DOCUMENT_POSITION_FOLLOWING);
  assert.ok(above, 'the button comes before the password form');

  // The provider cannot be reached: said plainly, the page stays usable.
  await login.click('#sso-button');
  await login.waitForSelector('#sso-error:not([hidden])');
  assert.match(await login.textContent('#sso-error'), /^Single sign-on could not start\./);
  // The public page is not told the provider's host name or TLS details (the admin's test is).
  assert.match(await login.textContent('#sso-error .error-detail'), /the identity provider cannot be reached/);
  assert.doesNotMatch(await login.textContent('#sso-error'), /id\.example\.test/);
  assert.equal(await login.isEnabled('#sso-button'), true);
  assert.equal((await login.textContent('#sso-button')).trim(), 'Sign in with single sign-on');
  assert.match(login.url(), /\/login\/agent\.html$/);
  assert.equal(await login.isVisible('#login-form'), true);
  await screenshot(login, 'sso-login-unreachable', { mobile: true });

  // Password sign-in still works beside it, and clears the SSO error.
  await login.fill('input[name="email"]', 'ada@example.com');
  await login.fill('input[name="password"]', 'not the password');
  await login.click('#login-form button[type="submit"]');
  await login.waitForSelector('#form-error:not([hidden])');
  assert.equal(await login.isVisible('#sso-error'), false);
  await visitor.close();

  assert.deepEqual(unexpected(problems), []);
  assert.deepEqual(unexpected(loginProblems), []);
  await context.close();
});

test('the contact portal takes a Microsoft Entra provider and shows "Sign in with Microsoft"', async () => {
  addUser(env.server, { email: 'eve@example.com', name: 'Eve Admin', role: 'Administrator' });
  const { context, page, problems } = await signedInAdmin('eve@example.com');
  await openAccessTab(page, 'contact');
  assert.equal(await page.isChecked('input[name="sso_kind"][value="entra"]'), true, 'Entra is the default');
  assert.equal(await page.isVisible('#sso-issuer'), false);
  assert.equal(await page.isVisible('#create-contacts-field'), true);
  assert.equal(await page.textContent('#redirect-url'), `${env.server.url}/api/contact/sso/callback`);
  assert.match(await page.textContent('#sso-secret-hint'), /Value \(not its Secret ID\)/);

  await page.fill('#sso-tenant', 'not a tenant');
  await page.fill('#sso-client-id', '11111111-2222-3333-4444-555555555555');
  await page.click('#save-provider');
  await page.waitForSelector('[data-error-for="sso.tenant"]:not([hidden])');
  assert.match(await page.textContent('[data-error-for="sso.tenant"]'), /directory \(tenant\) id/);
  await page.fill('#sso-tenant', 'contoso.onmicrosoft.com');
  await page.fill('#sso-allowed-tenants', 'contoso');
  await page.click('#save-provider');
  await page.waitForSelector('[data-error-for="sso.allowed_tenants"]:not([hidden])');
  assert.equal(await page.isVisible('[data-error-for="sso.tenant"]'), false);
  assert.match(await page.textContent('[data-error-for="sso.allowed_tenants"]'), /tenant id \(GUID\)/);
  await page.fill('#sso-allowed-tenants', '');
  await page.check('#sso-create-contacts');
  await page.click('#save-provider');
  await page.waitForSelector('#provider-status.save-ok');
  const stored = await savedSso(page, 'contact');
  assert.equal(stored.provider.kind, 'entra');
  assert.equal(stored.provider.tenant, 'contoso.onmicrosoft.com');
  assert.equal(stored.provider.create_contacts, true);
  assert.equal(stored.client_secret_set, false);

  assert.match(await page.textContent('input[name="mode"][value="sso_only"] + span strong'),
    /^Microsoft Entra single sign-on only$/);
  await page.check('input[name="mode"][value="microsoft_and_email"]');
  await page.click('#save');
  await page.waitForSelector('#save-status.save-ok');
  await screenshot(page, 'sso-settings-entra', { mobile: true });

  const visitor = await env.browser.newContext();
  const login = await visitor.newPage();
  await login.goto(`${env.server.url}/login/contact.html`);
  await login.waitForSelector('body[data-ready="true"]');
  assert.equal((await login.textContent('#sso-button')).trim(), 'Sign in with Microsoft');
  assert.equal(await login.isVisible('#login-form'), true);
  await screenshot(login, 'sso-login-both', { mobile: true });
  await visitor.close();

  assert.deepEqual(unexpected(problems), []);
  await context.close();
});

test('the sign-in page explains ?sso_error= and drops it from the address', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  // The contact portal as if Microsoft were set up (the messages name it).
  await page.route('**/api/contact/login-options', (route) => route.fulfill({
    json: { password: true, sso: true, sso_label: 'Microsoft' },
  }));
  const cases = [
    ['state', /expired, was already used, or was not started here\..*Start again/],
    ['browser', /started in another browser or window/],
    ['provider', /Microsoft did not sign you in/],
    ['config', /not offered on this portal/],
    ['signature', /the answer from Microsoft could not be verified/],
    ['expired', /the answer from Microsoft could not be verified/],
    ['tenant', /accounts from your organization are not allowed/],
    ['domain', /your email address is not in a domain this portal accepts/],
    ['account', /Microsoft signed you in, but that identity could not be matched to an account/],
    ['throttled', /Too many sign-ins from your network failed recently/],
    ['<b>made up</b>', /^Single sign-on did not complete\. Try again\.$/],
  ];
  for (const [reason, message] of cases) {
    await page.goto(`${env.server.url}/login/contact.html?sso_error=${encodeURIComponent(reason)}`);
    await page.waitForSelector('body[data-ready="true"] #sso-error:not([hidden])');
    assert.match(await page.textContent('#sso-error'), message, reason);
    assert.equal(new URL(page.url()).search, '', 'the reason is dropped from the address');
  }
  assert.equal(await page.$('#sso-error b'), null, 'text, never markup');
  await page.goto(`${env.server.url}/login/contact.html?sso_error=domain`);
  await page.waitForSelector('body[data-ready="true"] #sso-error:not([hidden])');
  await screenshot(page, 'sso-login-error', { mobile: true });
  // The contact portal says "contact the helpdesk"; the agent portal "ask your administrator".
  assert.match(await page.textContent('#sso-error'), /Contact the helpdesk/);
  await page.goto(`${env.server.url}/login/agent.html?sso_error=account`);
  await page.waitForSelector('body[data-ready="true"] #sso-error:not([hidden])');
  assert.match(await page.textContent('#sso-error'), /Ask your administrator/);
  assert.match(await page.textContent('#sso-error'), /^Your identity provider signed you in/);
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.isVisible('#sso-error'), false, 'shown once');
  await context.close();
});

test('a portal without passwords shows only the single sign-on button', async () => {
  // Switching a portal to single sign-on only takes a Test sign-in through a
  // provider that answers; the page's part is what login-options says, so
  // here that answer is played back.
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.route('**/api/agent/login-options', (route) => route.fulfill({
    json: { password: false, sso: true, sso_label: 'Microsoft' },
  }));
  await page.goto(`${env.server.url}/login/agent.html`);
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.isVisible('#sso-button'), true);
  assert.equal((await page.textContent('#sso-button')).trim(), 'Sign in with Microsoft');
  assert.equal(await page.isVisible('#login-form'), false);
  assert.equal(await page.isVisible('#or-divider'), false);
  await screenshot(page, 'sso-login-sso-only', { mobile: true });

  // Neither way offered (a broken configuration): said so, nothing to fill in.
  await page.route('**/api/agent/login-options', (route) => route.fulfill({
    json: { password: false, sso: false, sso_label: '' },
  }));
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.isVisible('#no-sign-in'), true);
  assert.equal(await page.isVisible('#login-form'), false);
  assert.equal(await page.isVisible('#sso-button'), false);
  await context.close();
});

test('signing out of a single sign-on session offers the provider\'s sign-out on the sign-in page', async () => {
  addUser(env.server, { email: 'sam@example.com', name: 'Sam Agent', role: 'Agent' });
  const { context, page, problems } = await signedInAdmin('sam@example.com');
  // A password session has no provider to leave: the real answer, plus the
  // address a single sign-on session would get.
  const endSession = 'https://id.example.test/logout?client_id=deskgate-agents&post_logout_redirect_uri=x';
  await page.route('**/api/logout', async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    assert.equal(body.status, 'signed_out');
    await route.fulfill({ response, json: { ...body, end_session_url: endSession } });
  });
  await page.click('#sign-out');
  await page.waitForURL(/\/login\/agent\.html$/);
  await page.waitForSelector('body[data-ready="true"] #provider-sign-out:not([hidden])');
  assert.match(await page.textContent('#provider-sign-out'), /You are signed out of deskgate\./);
  assert.match(await page.textContent('#provider-sign-out'), /You may still be signed in at id\.example\.test/);
  assert.equal(await page.getAttribute('#provider-sign-out-link', 'href'), endSession);
  assert.equal(page.url().includes('id.example.test'), false, 'the address is not in the URL');
  assert.equal(await page.evaluate(async () => (await fetch('/api/me')).status), 401, 'signed out of deskgate');
  await screenshot(page, 'sso-login-signed-out', { mobile: true });
  // Once: a reload no longer offers it.
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.isVisible('#provider-sign-out'), false);

  // A plain sign-out offers nothing.
  await page.unroute('**/api/logout');
  await submitPassword(page, env.server, 'agent', 'sam@example.com');
  await waitForHome(page);
  await page.click('#sign-out');
  await page.waitForURL(/\/login\/agent\.html$/);
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.isVisible('#provider-sign-out'), false);
  assert.deepEqual(unexpected(problems), []);
  await context.close();
});

test('the test status says who tested and when, and what that allows', async () => {
  addUser(env.server, { email: 'tom@example.com', name: 'Tom Admin', role: 'Administrator' });
  const { context, page, problems } = await signedInAdmin('tom@example.com');
  const me = await page.evaluate(async () => (await fetch('/api/me')).json());
  // A test on record needs a provider that answers; the page's part is how
  // it reads the record, so the record is played back here.
  const record = (by, byId, at) => ({ by, by_id: byId, at, valid_until: at + 24 * 3600 });
  let tested = record(me.email, me.id, Math.floor(Date.now() / 1000) - 180);
  await page.route('**/api/settings/sso/agent', (route) => (route.request().method() !== 'GET'
    ? route.continue()
    : route.fulfill({
      json: {
        configured: true,
        redirect_url: `${env.server.url}/api/agent/sso/callback`,
        provider: {
          kind: 'entra', tenant: 'contoso.onmicrosoft.com', authority: 'https://login.microsoftonline.com',
          issuer: '', client_id: '11111111-2222-3333-4444-555555555555', allowed_tenants: [],
          allowed_domains: ['contoso.com'], create_contacts: false,
        },
        client_secret_set: true,
        updated_at: tested.at - 60,
        tested,
      },
    })));
  await page.goto(`${env.server.url}/settings/authentication.html?portal=agent&sso_test=ok`);
  await page.waitForSelector('body[data-ready="true"] #provider-section:not([hidden])');
  assert.equal(await page.textContent('#test-status'), 'Tested by you 3 minutes ago.');
  assert.equal(await page.textContent('#provider-badge'), 'Tested');
  assert.match(await modeNote(page, 'sso'), /^Ready: you completed a Test sign-in 3 minutes ago\.$/);
  assert.match(await page.textContent('input[name="mode"][value="sso"] + span strong'),
    /^Microsoft Entra single sign-on only$/);
  assert.match(await page.textContent('#sso-test-result'), /^Test sign-in succeeded\./);
  assert.equal(new URL(page.url()).search, '?portal=agent');
  // "ok" in the address claims nothing unless the record agrees (checked with
  // the real provider in sso-sign-in.test.mjs).
  await screenshot(page, 'sso-settings-tested', { mobile: true });

  // Over a day ago: test again.
  tested = record(me.email, me.id, tested.at - 2 * 86400);
  await page.reload();
  await page.waitForSelector('body[data-ready="true"] #provider-section:not([hidden])');
  assert.match(await page.textContent('#test-status'), /^Tested by you 2 days ago\. That was over 24 hours ago/);
  assert.match(await modeNote(page, 'sso'), /Run Test sign-in below first/);

  // Someone else's test does not count for this admin.
  tested = record('ada@example.com', me.id + 1000, Math.floor(Date.now() / 1000) - 2 * 3600);
  await page.reload();
  await page.waitForSelector('body[data-ready="true"] #provider-section:not([hidden])');
  assert.equal(await page.textContent('#test-status'),
    'Tested by ada@example.com 2 hours ago. Switching to single sign-on only needs a test by you.');
  assert.match(await modeNote(page, 'sso'), /Run Test sign-in below first/);
  assert.deepEqual(unexpected(problems), []);
  await context.close();
});
