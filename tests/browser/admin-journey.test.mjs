// The administration journey from the browser alone, in Chromium: an
// Administrator invites an agent, who accepts, chooses a password with the
// live checklist and enrolls in the authenticator app the portal requires;
// the Administrator builds a role with *Access to Agent Recovery Code and
// Reset MFA* and gives it to them, and they reset another agent's MFA. Then
// a new group and location appear at once in the asset list's dropdowns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPage, useServerAndBrowser } from '../support/browser.mjs';
import {
  addUser, apiLogin, enrollTotp, screenshot, setMfa, submitPassword, totpCode, unexpected, waitForHome,
} from '../support/mfa.mjs';

const env = await useServerAndBrowser();
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DESKGATE = path.join(ROOT, 'build/native/bin/deskgate');

test('invite → accept with a checked password → enroll → a custom MFA role → reset another agent\'s MFA', async () => {
  addUser(env.server, { email: 'ada@example.com', name: 'Ada Admin', role: 'Administrator' });
  addUser(env.server, { email: 'rob@example.com', name: 'Rob Agent', role: 'Agent' });
  const adminContext = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const admin = await openPage(adminContext, `${env.server.url}/login/agent.html`);
  const { page } = admin;
  await submitPassword(page, env.server, 'agent', 'ada@example.com');
  await waitForHome(page);
  // Agents need the authenticator app from their next sign-in; Rob has it.
  const { client: api } = await apiLogin(env.server, 'agent', 'ada@example.com');
  await setMfa(api, 'agent', { authenticator_app: true, enforcement: 'next_login' });
  const rob = (await apiLogin(env.server, 'agent', 'rob@example.com')).client;
  await enrollTotp(rob, 'agent');

  // Invite Nia.
  await page.goto(`${env.server.url}/admin/agents.html`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.click('#invite-open');
  await page.fill('#invite-form input[name="name"]', 'Nia Newcomer');
  await page.fill('#invite-form input[name="email"]', 'nia@example.com');
  await page.click('#invite-send');
  await page.waitForSelector('#invite-done .link-field');
  const link = await page.inputValue('#invite-done .link-field');
  await page.click('#invite-close');

  // Nia: a password the checklist judges as she types, then the app.
  const niaContext = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const nia = await openPage(niaContext, link);
  await nia.page.waitForSelector('body[data-ready="true"]');
  await nia.page.fill('input[name="password"]', 'nia');
  await nia.page.waitForSelector('#checklist .rule-fail');
  await nia.page.fill('input[name="password"]', 'copper kettle meadow 19');
  await nia.page.waitForFunction(() => !document.querySelector('#checklist .rule-fail'));
  await nia.page.click('#accept');
  await nia.page.waitForSelector('#enroll-step #totp-qr svg');
  const secret = (await nia.page.textContent('#totp-key')).replace(/\s/g, '');
  await nia.page.fill('#totp-code', totpCode(secret));
  await nia.page.click('#totp-confirm');
  await nia.page.waitForSelector('#recovery-step');
  await nia.page.check('#codes-saved');
  await nia.page.click('#codes-continue');
  await waitForHome(nia.page);
  assert.equal(await nia.page.textContent('#greeting'), 'Welcome, Nia Newcomer');
  assert.equal(await nia.page.isVisible('a[href="/admin/mfa.html"]'), false);

  // A role with the brief's MFA permission, given to Nia.
  await page.goto(`${env.server.url}/admin/roles.html`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.click('#new-role');
  const draft = page.locator('.role-card').first();
  await draft.locator('input[name="name"]').fill('MFA desk');
  assert.match(await draft.textContent(), /Access to Agent Recovery Code and Reset MFA/);
  await draft.locator('input[name="manage_agent_mfa"]').check();
  await draft.locator('button[type="submit"]').click();
  await page.waitForSelector('.role-card[data-role="MFA desk"] h2');
  await page.goto(`${env.server.url}/admin/agents.html`);
  await page.waitForSelector('body[data-ready="true"]');
  assert.match(await page.textContent('tr[data-person="nia@example.com"]'), /App since/);
  await page.click('tr[data-person="nia@example.com"] .person-open');
  await page.waitForSelector('#person-dialog[open]');
  await page.selectOption('#person-role', { label: 'MFA desk' });
  await page.click('#person-save');
  await page.waitForFunction(() => /MFA desk/.test(
    document.querySelector('tr[data-person="nia@example.com"]').textContent));

  // Nia's next request carries the role: MFA recovery opens for her, and
  // she resets Rob's MFA.
  await nia.page.reload();
  await nia.page.waitForSelector('body[data-ready="true"] a[href="/admin/mfa.html"]');
  await nia.page.goto(`${env.server.url}/admin/mfa.html?portal=agent&email=rob@example.com`);
  await nia.page.waitForSelector('#person:not([hidden])');
  assert.equal(await nia.page.textContent('#person-totp'), 'Set up');
  await nia.page.click('#reset-mfa');
  await nia.page.waitForSelector('#confirm-dialog[open]');
  await nia.page.click('#confirm-dialog [data-action="confirm"]');
  await nia.page.locator('#person-status.notice-ok', { hasText: 'MFA reset' }).waitFor();
  assert.equal(await nia.page.textContent('#person-totp'), 'Not set up');
  await screenshot(nia.page, 'journey-mfa-reset');
  assert.equal((await rob.call('GET', '/api/me')).status, 401, 'Rob\'s sessions ended');
  const robRow = await api.call('GET', '/api/people?portal=agent&q=rob@example.com');
  assert.equal(robRow.body.rows[0].mfa.app_enrolled, false);
  const audit = await api.call('GET', '/api/audit?event=mfa.reset');
  assert.equal(audit.body.events[0].actor, 'nia@example.com');
  assert.deepEqual(unexpected(nia.problems), []);
  assert.deepEqual(unexpected(admin.problems), []);
  await setMfa(api, 'agent', { authenticator_app: false });
  await niaContext.close();
  await adminContext.close();
});

test('a group and a location made on their pages are in the asset list\'s dropdowns at once', async () => {
  execFileSync(DESKGATE, ['seed', '--assets', '20', '--software', '5', '--db', env.server.dbPath]);
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page, problems } = await openPage(context, `${env.server.url}/login/agent.html`);
  await submitPassword(page, env.server, 'agent', 'ada@example.com');
  await waitForHome(page);

  for (const [kind, name] of [['locations', 'Lisbon HQ'], ['groups', 'Field engineers']]) {
    await page.goto(`${env.server.url}/admin/${kind}.html`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('#add-form input[name="name"]', name);
    await page.click('#add-form button[type="submit"]');
    await page.waitForSelector(`tr[data-entry="${name}"]`);
  }
  await page.goto(`${env.server.url}/assets.html`);
  await page.waitForSelector('body[data-ready="true"]');
  const options = (select) => page.$$eval(`${select} option`, (os) => os.map((o) => o.textContent));
  assert.ok((await options('#filter-location')).includes('Lisbon HQ'));
  assert.ok((await options('#filter-group')).includes('Field engineers'));
  assert.deepEqual(unexpected(problems), []);
  await context.close();
});
