// The agent and contact lists in Chromium: an administrator finds people
// with search and filters, edits an agent's role and groups, deactivates
// someone (whose open page is then signed out) and reactivates them; the
// sign-in page tells a deactivated person why they cannot get in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { openPage, useServerAndBrowser } from '../support/browser.mjs';
import { addUser, screenshot, submitPassword, unexpected, waitForHome } from '../support/mfa.mjs';

const env = await useServerAndBrowser();

async function signedIn(email, portal = 'agent') {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page, problems } = await openPage(context, `${env.server.url}/login/${portal}.html`);
  await submitPassword(page, env.server, portal, email);
  await waitForHome(page);
  return { page, problems, context };
}

function sql(statement) {
  execFileSync('sqlite3', [env.server.dbPath, statement]);
}

test('administrators find, edit, deactivate and reactivate agents; contacts have their own list', async () => {
  addUser(env.server, { email: 'admin@example.com', name: 'Ada Admin', role: 'Administrator' });
  for (const [email, name] of [['sam@example.com', 'Sam Agent'], ['tina@example.com', 'Tina Agent'],
    ['lee@example.com', 'Lee Leaver']]) {
    addUser(env.server, { email, name, role: 'Agent' });
  }
  addUser(env.server, { portal: 'contact', email: 'carol@customer.example', name: 'Carol Contact' });
  sql("INSERT INTO agent_groups (name) VALUES ('Network'), ('Service Desk')");

  const lee = await signedIn('lee@example.com');
  const admin = await signedIn('admin@example.com');
  const { page } = admin;
  await page.click('a[href="/admin/agents.html"]');
  await page.waitForURL(/\/admin\/agents\.html$/);
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.textContent('h1'), 'Agents');
  assert.equal(await page.locator('#rows tr').count(), 4);
  assert.match(await page.textContent('#people-count'), /^4 agents$/);
  assert.match(await page.textContent('tr[data-person="admin@example.com"]'), /Administrator/);
  assert.match(await page.textContent('tr[data-person="admin@example.com"]'), /password/);
  await screenshot(page, 'people-agents', { mobile: true });

  // The newest sign-in first, by its header; the name header sorts back.
  await page.click('th[data-sort="last_sign_in"] button');
  await page.waitForFunction(() => document.querySelector('#rows tr')?.dataset.person === 'admin@example.com'
    && document.querySelector('th[data-sort="last_sign_in"]').getAttribute('aria-sort') === 'descending');
  await page.click('th[data-sort="name"] button');
  await page.click('th[data-sort="name"] button');
  await page.waitForFunction(() => document.querySelector('#rows tr')?.dataset.person === 'tina@example.com');
  await page.click('th[data-sort="name"] button');
  await page.waitForFunction(() => document.querySelector('#rows tr')?.dataset.person === 'admin@example.com'
    && document.querySelector('th[data-sort="name"]').getAttribute('aria-sort') === 'ascending');

  // Search narrows the list as you type.
  await page.fill('#search', 'tina');
  await page.waitForFunction(() => document.querySelectorAll('#rows tr').length === 1);
  assert.match(await page.textContent('#rows'), /tina@example\.com/);
  await page.fill('#search', '');
  await page.waitForFunction(() => document.querySelectorAll('#rows tr').length === 4);

  // Edit Sam: a new role and two groups.
  await page.click('tr[data-person="sam@example.com"] .person-open');
  await page.waitForSelector('#person-dialog[open]');
  await screenshot(page, 'people-edit');
  await page.selectOption('#person-role', { label: 'Administrator' });
  await page.check('#person-groups label:has-text("Network") input');
  await page.check('#person-groups label:has-text("Service Desk") input');
  await page.click('#person-save');
  await page.waitForFunction(() => !document.getElementById('person-dialog').open);
  await page.waitForFunction(() => /Network, Service Desk/.test(
    document.querySelector('tr[data-person="sam@example.com"]').textContent));
  await page.selectOption('#filter-group', { label: 'Network' });
  await page.waitForFunction(() => document.querySelectorAll('#rows tr').length === 1);
  await page.selectOption('#filter-group', '');
  await page.waitForFunction(() => document.querySelectorAll('#rows tr').length === 4);

  // Deactivate Lee: the confirmation says what happens; Lee's page is out.
  await page.click('tr[data-person="lee@example.com"] .person-open');
  await page.waitForSelector('#person-dialog[open]');
  await page.click('#person-actions >> text=Deactivate…');
  await page.waitForSelector('#confirm-dialog[open]');
  assert.match(await page.textContent('#confirm-message'), /cannot sign in any more.*1 open session|open session ends/);
  await page.click('#confirm-dialog [data-action="confirm"]');
  await page.waitForFunction(() => document.getElementById('person-status').textContent === 'Deactivated');
  await page.click('#person-close');
  // The default list shows active people only; "Deactivated" finds Lee.
  await page.waitForFunction(() => document.querySelectorAll('#rows tr').length === 3);
  await page.selectOption('select[name="status"]', 'deactivated');
  await page.waitForFunction(() => document.querySelectorAll('#rows tr').length === 1);
  assert.match(await page.textContent('#rows'), /Lee Leaver/);
  assert.equal(await lee.page.evaluate(async () => (await fetch('/api/me')).status), 401);

  // Lee cannot sign back in, and is told why.
  const leeAgain = await lee.context.newPage();
  await submitPassword(leeAgain, env.server, 'agent', 'lee@example.com');
  await leeAgain.waitForSelector('#form-error:not([hidden])');
  assert.match(await leeAgain.textContent('#form-error'), /deactivated/i);

  // Reactivated, Lee signs in again.
  await page.click('tr[data-person="lee@example.com"] .person-open');
  await page.click('#person-actions >> text=Reactivate');
  await page.waitForFunction(() => document.getElementById('person-status').textContent === 'Active');
  await page.click('#person-close');
  await submitPassword(leeAgain, env.server, 'agent', 'lee@example.com');
  await waitForHome(leeAgain);

  // Nobody deactivates themself: the action is not offered.
  await page.selectOption('select[name="status"]', 'active');
  await page.click('tr[data-person="admin@example.com"] .person-open');
  await page.waitForSelector('#person-dialog[open]');
  assert.equal(await page.locator('#person-actions >> text=Deactivate…').count(), 0);
  await page.click('#person-close');

  // Contacts: their own list, no role or group columns.
  await page.click('nav >> text=Contacts');
  await page.waitForURL(/\/admin\/contacts\.html$/);
  await page.waitForFunction(() => document.querySelectorAll('#rows tr').length === 1);
  assert.equal(await page.textContent('h1'), 'Contacts');
  assert.equal(await page.locator('#filter-role').isVisible(), false);
  await screenshot(page, 'people-contacts');
  assert.deepEqual(unexpected(admin.problems), []);
  await admin.context.close();
  await lee.context.close();
});

test('an invited agent opens the link, chooses a password checked as they type, and is signed in', async () => {
  const admin = await signedIn('admin@example.com');
  const { page } = admin;
  await page.goto(`${env.server.url}/admin/agents.html`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.click('#invite-open');
  await page.waitForSelector('#invite-dialog[open]');
  await page.fill('#invite-form input[name="name"]', 'Nia New');
  await page.fill('#invite-form input[name="email"]', 'nia@example.com');
  await page.check('#invite-groups label:has-text("Network") input');
  await page.click('#invite-send');
  // No mail server here: the administrator is given the link to pass on.
  await page.waitForSelector('#invite-done .link-field');
  const link = await page.inputValue('#invite-done .link-field');
  assert.match(link, /\/invite\.html#token=[\w-]+$/);
  await screenshot(page, 'people-invite');
  await page.click('#invite-close');
  await page.waitForFunction(() => /Invited/.test(
    document.querySelector('tr[data-person="nia@example.com"]')?.textContent ?? ''));

  const nia = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page: invite, problems } = await openPage(nia, link);
  await invite.waitForSelector('body[data-ready="true"]');
  assert.equal(await invite.textContent('h1'), 'Welcome, Nia New');
  assert.equal(await invite.inputValue('input[name="email"]'), 'nia@example.com');
  assert.doesNotMatch(invite.url(), /token=/);  // the token leaves the address bar
  await invite.fill('input[name="password"]', 'short');
  await invite.waitForSelector('#checklist .rule-fail');
  await invite.click('#accept');
  await invite.waitForSelector('#password-error:not([hidden])');
  await screenshot(invite, 'invite-accept', { mobile: true });
  await invite.fill('input[name="password"]', 'plum orchard lantern 42');
  await invite.click('#accept');
  await waitForHome(invite);
  assert.deepEqual(unexpected(problems), []);

  // Used: the same link now explains itself.
  const { page: again } = await openPage(nia, link);
  await again.waitForSelector('#link-error:not([hidden])');
  assert.match(await again.textContent('#link-error'), /invalid, expired, already used or withdrawn/);
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.match(await page.textContent('tr[data-person="nia@example.com"]'), /Active/);
  assert.match(await page.textContent('tr[data-person="nia@example.com"]'), /Network/);
  await nia.close();
  await admin.context.close();
});

test('administrators create a custom role, give it to an agent, and delete it with somewhere for its members to go', async () => {
  const admin = await signedIn('admin@example.com');
  const { page } = admin;
  await page.goto(`${env.server.url}/admin/roles.html`);
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.locator('.role-card[data-role="Administrator"] input:disabled').count() > 0, true);
  await page.click('#new-role');
  const draft = page.locator('.role-card').first();
  await draft.locator('input[name="name"]').fill('Security desk');
  await draft.locator('input[name="manage_agent_mfa"]').check();
  await draft.locator('input[name="read_audit"]').check();
  await draft.locator('input[value="own_groups"]').check();
  await draft.locator('button[type="submit"]').click();
  await page.waitForSelector('.role-card[data-role="Security desk"] h2');
  await screenshot(page, 'roles', { mobile: true });

  await page.goto(`${env.server.url}/admin/agents.html`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.click('tr[data-person="tina@example.com"] .person-open');
  await page.waitForSelector('#person-dialog[open]');
  await page.selectOption('#person-role', { label: 'Security desk' });
  await page.click('#person-save');
  await page.waitForFunction(() => /Security desk/.test(
    document.querySelector('tr[data-person="tina@example.com"]').textContent));

  await page.goto(`${env.server.url}/admin/roles.html`);
  await page.waitForSelector('.role-card[data-role="Security desk"]');
  assert.match(await page.textContent('.role-card[data-role="Security desk"]'), /1 member/);
  await page.click('.role-card[data-role="Security desk"] [data-action="delete"]');
  await page.waitForSelector('#move-dialog[open]');
  assert.match(await page.textContent('#move-text'), /1 agent has this role/);
  await page.click('#move-confirm');
  await page.waitForFunction(() => !document.querySelector('.role-card[data-role="Security desk"]'));
  assert.deepEqual(unexpected(admin.problems), []);
  await admin.context.close();
});

test('groups: add, rename, and delete one in use with its agents moved to another', async () => {
  const admin = await signedIn('admin@example.com');
  const { page } = admin;
  await page.click('a[href="/admin/groups.html"]');
  await page.waitForURL(/\/admin\/groups\.html$/);
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.textContent('h1'), 'Groups');
  await page.fill('#add-form input[name="name"]', 'Field team');
  await page.click('#add-form button[type="submit"]');
  await page.waitForSelector('tr[data-entry="Field team"]');
  await page.fill('tr[data-entry="Field team"] .inline-name', 'Field engineers');
  await page.click('tr[data-entry="Field team"] >> text=Rename');
  await page.waitForSelector('tr[data-entry="Field engineers"]');

  // Network has Sam and Nia (from the tests above): deleting it asks where they go.
  const cells = (name) => page.$$eval(`tr[data-entry="${name}"] td.num`, (tds) => tds.map((td) => td.textContent));
  assert.deepEqual(await cells('Network'), ['0', '2']);
  await page.click('tr[data-entry="Network"] >> text=Delete…');
  await page.waitForSelector('#delete-dialog[open]');
  assert.match(await page.textContent('#delete-text'), /0 records and 2 agents use it/);
  await page.selectOption('#delete-to', { label: 'Field engineers' });
  await screenshot(page, 'groups-delete');
  await page.click('#delete-confirm');
  await page.waitForFunction(() => !document.querySelector('tr[data-entry="Network"]'));
  assert.deepEqual(await cells('Field engineers'), ['0', '2']);

  await page.goto(`${env.server.url}/admin/locations.html`);
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.textContent('h1'), 'Locations');
  await page.fill('#add-form input[name="name"]', 'Lisbon');
  await page.click('#add-form button[type="submit"]');
  await page.waitForSelector('tr[data-entry="Lisbon"]');
  await screenshot(page, 'locations', { mobile: true });
  assert.deepEqual(unexpected(admin.problems), []);
  await admin.context.close();
});

test('contacts import from a CSV file: the check shows each problem by row, the fixed file invites everyone new', async () => {
  addUser(env.server, { email: 'boss@example.com', name: 'Bo Boss', role: 'Administrator' });
  addUser(env.server, { portal: 'contact', email: 'known@customer.example', name: 'Kim Known' });
  const { page, context } = await signedIn('boss@example.com');
  await page.goto(`${env.server.url}/admin/contacts.html`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.click('#import-open');
  await page.waitForSelector('#import-dialog[open]');
  assert.equal(await page.textContent('#import-title'), 'Import contacts from CSV');
  assert.equal(await page.isDisabled('#import-run'), true);

  // Excel in a ';' locale, with a bad address and a name missing.
  const broken = '\ufeffName;Email\r\nAna Alves;ana@customer.example\r\nBad Row;not-an-address\r\n'
    + ';bo@customer.example\r\nKim Known;known@customer.example\r\n';
  await page.setInputFiles('#import-file', { name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(broken) });
  await page.waitForSelector('#import-report:not([hidden])');
  assert.match(await page.textContent('#import-summary'),
    /1 new contact will be invited\. 1 address is here already.*2 rows have problems.*Nothing has been imported/);
  // Problems first, each with its row and reason.
  const firstRows = await page.locator('#import-rows tr').allTextContents();
  assert.match(firstRows[0], /^3Bad Rownot-an-address.*Email: not a valid email address/);
  assert.match(firstRows[1], /^4.*bo@customer\.example.*Name: missing/);
  assert.equal(await page.isDisabled('#import-run'), true);
  await screenshot(page, 'people-import-check', { mobile: true });

  const fixed = 'Name;Email\r\nAna Alves;ana@customer.example\r\nBo Brown;bo@customer.example\r\n'
    + 'Kim Known;known@customer.example\r\n';
  await page.setInputFiles('#import-file', { name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(fixed) });
  await page.waitForFunction(() => document.getElementById('import-run').textContent === 'Invite 2 contacts'
    && !document.getElementById('import-run').disabled);
  await page.click('#import-run');
  await page.waitForFunction(() => /Invited 2 contacts\. 1 address was here already and skipped\./
    .test(document.getElementById('import-summary').textContent));
  // No SMTP here: the links are offered as a file.
  assert.equal(await page.isVisible('#import-links-download'), true);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#import-links-download')]);
  const links = await (await download.createReadStream()).toArray();
  const text = Buffer.concat(links).toString();
  assert.match(text, /^name,email,link\r\n"Ana Alves","ana@customer\.example","http:\/\/127\.0\.0\.1:\d+\/invite\.html#token=/);
  assert.equal(text.trim().split('\r\n').length, 3);
  await screenshot(page, 'people-import-done');
  await page.click('#import-close');
  await page.waitForSelector('tr[data-person="bo@customer.example"]');
  assert.match(await page.textContent('tr[data-person="bo@customer.example"]'), /Invited/);
  assert.match(await page.textContent('tr[data-person="ana@customer.example"]'), /Invited/);
  await context.close();
});

test('an agent without the Administrator role is told the page is not theirs', async () => {
  const tina = await signedIn('tina@example.com');
  await tina.page.goto(`${env.server.url}/admin/agents.html`);
  await tina.page.waitForSelector('#load-error:not([hidden])');
  assert.match(await tina.page.textContent('#load-error'), /Only Administrators/);
  assert.equal(await tina.page.locator('#rows tr').count(), 0);
  await tina.context.close();
});
